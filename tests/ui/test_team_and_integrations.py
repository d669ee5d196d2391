"""Owners manage their colleagues and their integrations in the cabinet; nobody else reaches these pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import team_member_invite
from integrations.models import ApiToken, WebhookEndpoint
from tests.factories import PartnerOwnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(partner):
    return PartnerOwnerFactory(partner=partner)


def test_an_owner_invites_a_colleague_who_sets_a_password_and_logs_in(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("team"), {"email": "New.Person@Example.com", "name": "New Person", "role": "partner_member"}
        )
    assert response.status_code == 302
    invited = User.objects.get(email="new.person@example.com")
    assert (invited.partner, invited.role, invited.has_usable_password()) == (owner.partner, "partner_member", False)
    [invitation] = mail.outbox
    link = re.search(r"https?://\S+/reset/\S+/", invitation.body).group(0)
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "A-long-new-passphrase-9", "new_password2": "A-long-new-passphrase-9"},
    )
    assert done.status_code == 302
    assert client.login(email="new.person@example.com", password="A-long-new-passphrase-9")


def test_inviting_a_colleague_already_in_the_team_says_so_next_to_the_field(client, owner, member):
    client.force_login(owner)
    response = client.post(reverse("team"), {"email": member.email, "role": "partner_member"})
    assert response.status_code == 400
    assert "in your team or invited already" in str(response.context["form"].errors["email"])


def test_inviting_an_address_of_another_partner_looks_like_any_invitation(
    client, owner, outsider, django_capture_on_commit_callbacks
):
    """The owner learns nothing about the address; its holder is told, and their account stays as it was."""
    client.force_login(owner)
    answers = {}
    for email in (outsider.email, "nobody.yet@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("team"), {"email": email, "name": "X", "role": "partner_member"}, follow=True
            )
        page = response.content.decode().replace(email, "EMAIL")
        answers[email] = (response.status_code, re.findall(r'class="message[^"]*"[^>]*>([^<]*)<', page))
    assert answers[outsider.email] == answers["nobody.yet@example.com"]
    team = client.get(reverse("team")).context
    assert {i.email for i in team["invitations"]} == {outsider.email, "nobody.yet@example.com"}
    assert outsider.email not in {person.email for person in team["people"]}

    outsider.refresh_from_db()
    assert outsider.partner != owner.partner and outsider.is_active
    notice, invitation = sorted(mail.outbox, key=lambda message: message.to[0] != outsider.email)
    assert notice.to == [outsider.email] and owner.partner.name in notice.body and "/reset/" not in notice.body
    assert invitation.to == ["nobody.yet@example.com"] and "/reset/" in invitation.body


def test_an_owner_withdraws_an_invitation_and_its_link_stops_working(
    client, owner, outsider, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("team"), {"email": "late@example.com", "role": "partner_member"})
        client.post(reverse("team"), {"email": outsider.email, "role": "partner_member"})
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    for invitation in client.get(reverse("team")).context["invitations"]:
        response = client.post(reverse("team_invitation_withdraw", args=[invitation.pk]), follow=True)
        assert "is withdrawn" in response.content.decode()
    assert not client.get(reverse("team")).context["invitations"]
    assert not User.objects.filter(email="late@example.com").exists()
    assert User.objects.filter(pk=outsider.pk, is_active=True).exists()
    client.logout()
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert not form_page.context["validlink"]


def test_another_partners_invitation_cannot_be_withdrawn(client, owner):
    other_owner = PartnerOwnerFactory()
    invitation = team_member_invite(actor=other_owner, email="theirs@example.com", name="", role="partner_member")
    client.force_login(owner)
    assert client.post(reverse("team_invitation_withdraw", args=[invitation.pk])).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_owner_switches_a_colleague_off_but_not_themselves(client, owner, member, outsider):
    client.force_login(owner)
    client.post(reverse("team_access", args=[member.pk]), {"active": "0"})
    member.refresh_from_db()
    assert not member.is_active
    response = client.post(reverse("team_access", args=[owner.pk]), {"active": "0"}, follow=True)
    assert "cannot switch off your own" in response.content.decode()
    assert client.post(reverse("team_access", args=[outsider.pk]), {"active": "0"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


@pytest.mark.parametrize("url", ["team", "integrations:index"])
def test_members_staff_and_other_partners_do_not_reach_owner_pages(client, url, member, manager):
    for user in (member, manager):
        client.force_login(user)
        assert client.get(reverse(url)).status_code == 404


def test_tokens_and_webhooks_from_the_cabinet(client, owner):
    client.force_login(owner)
    created = client.post(reverse("integrations:index"), {"name": "Our CRM"}, follow=True)
    key = re.search(r"ps_[\w-]+", created.content.decode()).group(0)
    token = ApiToken.objects.get(partner=owner.partner)
    assert token.key_hash != key and token.name == "Our CRM"
    client.post(reverse("integrations:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None

    bad = client.post(reverse("integrations:index"), {"url": "not a url", "events": ["ticket.created"]})
    assert bad.status_code == 400 and bad.context["webhook_form"].errors["url"]
    client.post(reverse("integrations:index"), {"url": "https://crm.example.com/hook", "events": ["ticket.created"]})
    endpoint = WebhookEndpoint.objects.get(partner=owner.partner)
    assert endpoint.events == ["ticket.created"]
    client.post(reverse("integrations:webhook_change", args=[endpoint.pk]), {"active": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    other_owner = PartnerOwnerFactory()
    client.force_login(other_owner)
    assert client.post(reverse("integrations:webhook_change", args=[endpoint.pk]), {"delete": "1"}).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_password_reset_request_never_tells_whether_an_address_exists(client):
    UserFactory(email="known@example.com")
    for address in ("known@example.com", "unknown@example.com"):
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")


def test_the_integrations_page_shows_the_last_attempts_in_constant_queries(
    client, owner, django_assert_max_num_queries
):
    import uuid

    from integrations.models import WebhookDelivery
    from integrations.services import webhook_create

    client.force_login(owner)
    for count in (3, 60):
        endpoint = webhook_create(actor=owner, url=f"https://crm{count}.example.com/hook")
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=endpoint, event="ticket.created", event_id=uuid.uuid4(), attempt=n, payload={})
            for n in range(1, count + 1)
        )
        with django_assert_max_num_queries(10):
            page = client.get(reverse("integrations:index"))
        shown = {e.pk: [d.attempt for d in e.recent_deliveries] for e in page.context["endpoints"]}
        assert len(shown[endpoint.pk]) == min(count, 10)


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_the_integrations_help_shows_its_placeholders_as_text(client, owner, language):
    owner.language = language
    owner.save(update_fields=["language"])
    client.force_login(owner)
    page = client.get(reverse("integrations:index")).content.decode()
    assert "Token &lt;token&gt;" in page
    assert "sha256=&lt;HMAC-SHA256" in page
    assert "<token>" not in page and "<HMAC" not in page


def test_opening_the_withdraw_address_as_a_link_withdraws_nothing(client, owner):
    invitation = team_member_invite(actor=owner, email="kept@example.com", name="", role="partner_member")
    client.force_login(owner)
    assert client.get(reverse("team_invitation_withdraw", args=[invitation.pk])).status_code == 405
    assert Invitation.objects.filter(pk=invitation.pk).exists()
