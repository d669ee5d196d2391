"""The administrators' console: money moves only through the services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import DepositAccount, InvoiceStatus, LedgerEntry
from billing.services import account_for, invoice_issue

pytestmark = pytest.mark.django_db


def test_billing_changelists_render(client, admin_user, partner, fund, owner):
    fund(partner, "360.00")
    invoice_issue(partner=partner, requests=1, actor=owner)
    client.force_login(admin_user)
    for model in ["tariff", "depositaccount", "ledgerentry", "hold", "invoice"]:
        assert client.get(reverse(f"admin:billing_{model}_changelist")).status_code == 200, model


def test_ledger_is_read_only_in_the_admin(client, admin_user, partner, fund):
    entry = fund(partner, "360.00")
    client.force_login(admin_user)
    assert client.get(reverse("admin:billing_ledgerentry_add")).status_code == 403
    assert client.get(reverse("admin:billing_ledgerentry_delete", args=[entry.pk])).status_code == 403
    change = client.post(reverse("admin:billing_ledgerentry_change", args=[entry.pk]), {"amount": "1.00"})
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.amount == Decimal("360.00")


def test_top_up_through_the_admin_credits_once(client, admin_user, partner):
    account = account_for(partner=partner)
    client.force_login(admin_user)
    url = reverse("admin:billing_depositaccount_top_up", args=[account.pk])
    form = client.get(url).context["form"]
    data = {"amount": "540.00", "memo": "Bank transfer 7", "token": str(form["token"].initial)}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit
    account.refresh_from_db()
    assert account.balance == Decimal("540.00")
    entry = LedgerEntry.objects.get()
    assert (entry.actor, entry.memo) == (admin_user, "Bank transfer 7")


def test_admin_top_up_form_rejects_a_non_positive_amount(client, admin_user, partner):
    account = account_for(partner=partner)
    client.force_login(admin_user)
    url = reverse("admin:billing_depositaccount_top_up", args=[account.pk])
    response = client.post(url, {"amount": "-5", "memo": "x", "token": "7c9e6679-7425-40de-944b-e07fc1f90ae7"})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not LedgerEntry.objects.exists()


def test_balance_is_not_editable_in_the_admin(client, admin_user, partner, fund):
    fund(partner, "360.00")
    account = DepositAccount.objects.get(partner=partner)
    client.force_login(admin_user)
    url = reverse("admin:billing_depositaccount_change", args=[account.pk])
    client.post(url, {"balance": "99999.00", "held": "0"})
    account.refresh_from_db()
    assert account.balance == Decimal("360.00")


def test_opening_an_account_in_the_admin(client, admin_user, partner):
    client.force_login(admin_user)
    response = client.post(reverse("admin:billing_depositaccount_add"), {"partner": partner.pk})
    assert response.status_code == 302
    account = DepositAccount.objects.get(partner=partner)
    assert (account.balance, account.held) == (0, 0)


def test_mark_paid_action_goes_through_the_service(client, admin_user, partner, owner):
    paid = invoice_issue(partner=partner, requests=2, actor=owner)
    cancelled = invoice_issue(partner=partner, requests=1, actor=owner)
    cancelled.status = InvoiceStatus.CANCELLED
    cancelled.save()
    client.force_login(admin_user)
    data = {"action": "mark_paid", "_selected_action": [paid.pk, cancelled.pk]}
    response = client.post(reverse("admin:billing_invoice_changelist"), data, follow=True)
    assert "cancelled and cannot be paid" in response.text
    paid.refresh_from_db()
    assert paid.status == InvoiceStatus.PAID
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("360.00")
