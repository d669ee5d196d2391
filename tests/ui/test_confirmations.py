"""Destructive actions ask first, saying what they break (a page that works without JavaScript), and say what
happened afterwards. Opening an action's URL never acts; another partner's object is a 404."""

import pytest
from django.urls import reverse

from billing.models import InvoiceStatus
from billing.services import invoice_issue
from integrations.models import ApiToken, WebhookEndpoint
from integrations.services import api_token_create, webhook_create
from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


def _asked(response, *phrases) -> str:
    page = response.content.decode()
    assert response.status_code == 200 and 'id="confirm"' in page
    for phrase in phrases:
        assert phrase in page
    return page


def test_revoking_a_token(client, owner):
    token, _key = api_token_create(actor=owner, name="Our CRM")
    url = reverse("integrations:token_revoke", args=[token.pk])
    client.force_login(owner)
    assert f'href="{url}"' in client.get(reverse("integrations:index")).content.decode()
    _asked(client.get(url), "Revoke the token “Our CRM”?", "refused with 401")
    token.refresh_from_db()
    assert token.revoked_at is None
    done = client.post(url, follow=True)
    assert "Token Our CRM revoked." in done.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get(url).status_code == 404  # revoked: nothing left to ask about
    client.force_login(PartnerOwnerFactory())
    assert client.get(url).status_code == 404


def test_removing_a_webhook(client, owner):
    endpoint = webhook_create(actor=owner, url="https://crm.example.com/hook")
    url = reverse("integrations:webhook_remove", args=[endpoint.pk])
    client.force_login(owner)
    _asked(client.get(url), "Remove the webhook https://crm.example.com/hook?", "delivery log goes")
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    done = client.post(url, follow=True)
    assert "Webhook https://crm.example.com/hook removed." in done.content.decode()
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    other = webhook_create(actor=owner, url="https://crm.example.com/other")
    client.force_login(PartnerOwnerFactory())
    assert client.get(reverse("integrations:webhook_remove", args=[other.pk])).status_code == 404
    assert client.post(reverse("integrations:webhook_remove", args=[other.pk])).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=other.pk).exists()


def test_switching_a_colleague_off(client, owner, member, outsider):
    url = reverse("team_access", args=[member.pk])
    client.force_login(owner)
    assert f'href="{url}"' in client.get(reverse("team")).content.decode()
    page = _asked(client.get(url), f"Switch off {member.email}?", "can no longer log in", "API login tokens")
    assert 'name="active" value="0"' in page
    member.refresh_from_db()
    assert member.is_active
    done = client.post(url, {"active": "0"}, follow=True)
    assert f"{member.email} can no longer log in." in done.content.decode()
    member.refresh_from_db()
    assert not member.is_active
    assert client.get(url).status_code == 404  # already off: switched on by a button, no question
    assert client.get(reverse("team_access", args=[owner.pk])).status_code == 404
    assert client.get(reverse("team_access", args=[outsider.pk])).status_code == 404


def test_cancelling_an_invoice(client, owner, partner):
    invoice = invoice_issue(partner=partner, requests=3, actor=owner)
    url = reverse("billing:invoice_cancel", args=[invoice.pk])
    client.force_login(owner)
    assert f'href="{url}"' in client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    _asked(client.get(url), f"Cancel invoice {invoice.number}?", "3 consultations")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    done = client.post(url, follow=True)
    assert f"Invoice {invoice.number} is cancelled." in done.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert client.get(url).status_code == 302  # nothing to cancel any more: back to the invoice
    client.force_login(PartnerOwnerFactory())
    assert client.get(url).status_code == 404
