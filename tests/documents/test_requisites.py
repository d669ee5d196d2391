"""The partner's requisites: ЄДРПОУ and ІПН with their check digits, edited by the owner (page and API), checked
once for the model, the form, the API and the vendor's settings."""

# ruff: noqa: RUF001 -- Ukrainian requisites, Cyrillic on purpose

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.models import PartnerRequisites
from accounts.requisites import requisites_update
from accounts.taxcodes import edrpou_check_digit, ipn_check_digit, validate_tax_code
from audit.models import AuditEvent
from documents.checks import vendor_requisites_check
from partner_support.errors import InvalidInput, NotFound
from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db

VALID = {
    "legal_name": "ТОВ «Альфа Інтеграції»",
    "tax_code": "14360570",
    "vat_status": "non_payer",
    "vat_number": "",
    "legal_address": "м. Київ, вул. Грушевського, 1Д",
    "accountant_email": "buh@alpha.example.com",
    "document_language": "uk",
}


@pytest.mark.parametrize(
    "code",
    [
        "14360570",  # ПриватБанк: weights 1..7, 121 mod 11 = 0
        "00032129",  # Ощадбанк: 42 mod 11 = 9
        "00032106",  # Укрексімбанк
        "21560045",  # Укрпошта
        "31316718",  # Нова Пошта, between 30000000 and 60000000: weights 7,1..6, 96 mod 11 = 8
        "10000062",  # first pass 1*1 + 6*7 = 43 -> 10; second pass 1*3 + 6*9 = 57 -> 2
        "10000640",  # first pass 65 -> 10; second pass 87 -> 10 again, so the check digit is 0
        "30000005",  # middle range: 3*7 = 21 -> 10; second pass 3*9 = 27 -> 5
        "3012345670",  # ІПН: -3+0+7+18+12+24+50+30+49 = 187, 187 mod 11 = 0, mod 10 = 0
        "1111111118",  # ІПН: -1+5+7+9+4+6+10+5+7 = 52, 52 mod 11 = 8
    ],
)
def test_valid_tax_codes_pass(code):
    validate_tax_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("14360571", "check digit"),
        ("31316717", "check digit"),
        ("10000060", "check digit"),
        ("3012345671", "check digit"),
        ("1111111119", "check digit"),
        ("1436057", "8 digits"),
        ("143605700", "8 digits"),
        ("1436057O", "8 digits"),
        ("１４３６０５７０", "8 digits"),  # full-width digits are not the digits of a code
        ("", "8 digits"),
    ],
)
def test_invalid_tax_codes_are_refused_with_the_reason(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_tax_code(code)


def test_check_digits_by_hand():
    assert edrpou_check_digit("1436057") == 0
    assert edrpou_check_digit("3131671") == 8
    assert edrpou_check_digit("1000006") == 2
    assert edrpou_check_digit("1000064") == 0
    assert ipn_check_digit("301234567") == 0
    assert ipn_check_digit("111111111") == 8


def test_owner_saves_the_requisites_and_the_change_is_audited(partner, owner):
    requisites = requisites_update(partner=partner, actor=owner, **VALID)
    assert (requisites.partner, requisites.tax_code, requisites.accountant_email) == (
        partner,
        "14360570",
        "buh@alpha.example.com",
    )
    requisites_update(partner=partner, actor=owner, **{**VALID, "legal_address": "м. Львів, пл. Ринок, 1"})
    events = AuditEvent.objects.filter(object_type="accounts.partnerrequisites").order_by("id")
    assert [event.action for event in events] == ["created", "changed"]
    assert events[1].before["legal_address"] == VALID["legal_address"]
    assert events[1].after["legal_address"] == "м. Львів, пл. Ринок, 1"
    assert PartnerRequisites.objects.count() == 1


def test_a_wrong_code_is_refused_naming_the_field(partner, owner):
    with pytest.raises(InvalidInput) as refused:
        requisites_update(partner=partner, actor=owner, **{**VALID, "tax_code": "14360571"})
    assert "check digit" in refused.value.extra["tax_code"][0]
    assert not PartnerRequisites.objects.exists()


def test_a_vat_payer_gives_a_vat_number_and_a_non_payer_none(partner, owner):
    with pytest.raises(InvalidInput) as refused:
        requisites_update(partner=partner, actor=owner, **{**VALID, "vat_status": "payer"})
    assert refused.value.extra["vat_number"] == ["A VAT payer gives its VAT number."]
    with pytest.raises(InvalidInput):
        requisites_update(partner=partner, actor=owner, **{**VALID, "vat_number": "143605726598"})
    payer = requisites_update(
        partner=partner, actor=owner, **{**VALID, "vat_status": "payer", "vat_number": "143605726598"}
    )
    assert payer.vat_number == "143605726598"


def test_members_and_other_partners_cannot_edit(partner, member, outsider, admin_user):
    for actor in (member, outsider):
        with pytest.raises(NotFound):
            requisites_update(partner=partner, actor=actor, **VALID)
    assert requisites_update(partner=partner, actor=admin_user, **VALID).legal_name == VALID["legal_name"]


def test_owner_edits_them_on_the_page(client, partner, owner):
    client.force_login(owner)
    url = reverse("documents:requisites")
    assert client.get(url).status_code == 200
    refused = client.post(url, {**VALID, "tax_code": "31316719"})
    assert refused.status_code == 400
    assert "check digit" in refused.content.decode()
    saved = client.post(url, VALID)
    assert saved.status_code == 302
    assert PartnerRequisites.objects.get(partner=partner).tax_code == "14360570"


def test_members_do_not_get_the_page(client, member):
    client.force_login(member)
    assert client.get(reverse("documents:requisites")).status_code == 404


def test_owner_edits_them_through_the_api(client, partner, owner):
    client.force_login(owner)
    url = "/api/v1/requisites/"
    assert client.get(url).json()["tax_code"] == ""
    refused = client.put(url, {**VALID, "tax_code": "1436057"}, content_type="application/json")
    assert refused.status_code == 400
    assert "8 digits" in refused.json()["tax_code"][0]
    saved = client.put(url, {**VALID, "tax_code": "3012345670"}, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    assert client.get(url).json()["tax_code"] == "3012345670"


def test_the_api_hides_other_partners_requisites(client, partner, member, admin_user):
    other_owner = PartnerOwnerFactory()
    client.force_login(member)
    assert client.get("/api/v1/requisites/").status_code == 404
    client.force_login(other_owner)
    assert client.put("/api/v1/requisites/", VALID, content_type="application/json").status_code == 200
    assert not PartnerRequisites.objects.filter(partner=partner).exists()
    client.force_login(admin_user)
    saved = client.put(f"/api/v1/requisites/?partner={partner.pk}", VALID, content_type="application/json")
    assert (saved.status_code, saved.json()["partner"]) == (200, partner.pk)


def test_the_vendors_own_code_is_checked_at_start():
    assert vendor_requisites_check(None) == []
    with override_settings(VENDOR_REQUISITES={"tax_code": "39123452", "vat_number": "12"}):
        messages = [error.msg for error in vendor_requisites_check(None)]
    assert len(messages) == 2
    assert "VENDOR_TAX_CODE" in messages[0]
    assert "VENDOR_VAT_NUMBER" in messages[1]


def test_administrators_edit_requisites_in_the_admin_with_the_same_check(client, admin_user, partner):
    client.force_login(admin_user)
    url = reverse("admin:accounts_partnerrequisites_add")
    refused = client.post(url, {**VALID, "partner": partner.pk, "tax_code": "14360571"})
    assert refused.status_code == 200
    assert "check digit" in refused.content.decode()
    assert client.post(url, {**VALID, "partner": partner.pk}).status_code == 302
    assert AuditEvent.objects.filter(object_type="accounts.partnerrequisites", action="created").count() == 1
