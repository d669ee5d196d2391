"""Ordering consultations: issuing, paying and cancelling invoices."""

from decimal import Decimal

import pytest
import time_machine

from billing.models import DepositAccount, EntryKind, Invoice, InvoiceStatus, LedgerEntry
from billing.services import invoice_cancel, invoice_issue, invoice_mark_paid
from partner_support.errors import ApplicationError, InvalidInput, PermissionDenied
from tests.billing.factories import TariffFactory

pytestmark = pytest.mark.django_db


def test_owner_orders_consultations_at_the_tariff_price(partner, owner):
    TariffFactory(partner=partner, price_per_request=Decimal("200.00"))
    invoice = invoice_issue(partner=partner, requests=5, actor=owner)
    assert (invoice.requests, invoice.unit_price, invoice.amount, invoice.currency, invoice.status) == (
        5,
        Decimal("200.00"),
        Decimal("1000.00"),
        "UAH",
        InvoiceStatus.ISSUED,
    )
    assert invoice.issued_by == owner
    assert not LedgerEntry.objects.exists()


@time_machine.travel("2026-03-02 10:00 +02:00", tick=False)
def test_invoice_numbers_run_per_year(partner, owner, admin_user):
    assert invoice_issue(partner=partner, requests=1, actor=owner).number == "INV-2026-000001"
    assert invoice_issue(partner=partner, requests=1, actor=admin_user).number == "INV-2026-000002"
    with time_machine.travel("2027-01-01 00:30 +02:00", tick=False):
        assert invoice_issue(partner=partner, requests=1, actor=owner).number == "INV-2027-000001"


@pytest.mark.parametrize("requests", [0, -1, 1001, True])
def test_invoice_for_an_impossible_number_of_requests_is_refused(partner, owner, requests):
    with pytest.raises(InvalidInput, match="between 1 and 1000"):
        invoice_issue(partner=partner, requests=requests, actor=owner)
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("role_fixture", ["member", "manager", "outsider"])
def test_only_the_owner_or_an_administrator_orders(request, partner, role_fixture):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        invoice_issue(partner=partner, requests=2, actor=actor)
    assert not Invoice.objects.exists()


def test_marking_paid_credits_the_deposit_once(partner, owner, admin_user):
    invoice = invoice_issue(partner=partner, requests=10, actor=owner)
    entry = invoice_mark_paid(invoice=invoice, actor=admin_user)
    assert (entry.kind, entry.amount, entry.balance_after, entry.invoice) == (
        EntryKind.TOP_UP,
        Decimal("1800.00"),
        Decimal("1800.00"),
        invoice,
    )
    assert entry.idempotency_key == f"invoice:{invoice.pk}:paid"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_by, invoice.paid_at) == (InvoiceStatus.PAID, admin_user, entry.created_at)

    again = invoice_mark_paid(invoice=invoice, actor=admin_user)
    assert again.pk == entry.pk
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("1800.00")


def test_only_administrators_mark_paid(partner, owner):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    with pytest.raises(PermissionDenied):
        invoice_mark_paid(invoice=invoice, actor=owner)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert not LedgerEntry.objects.exists()


def test_a_cancelled_invoice_cannot_be_paid(partner, owner, admin_user):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    cancelled = invoice_cancel(invoice=invoice, actor=owner)
    assert (cancelled.status, cancelled.cancelled_at is not None) == (InvoiceStatus.CANCELLED, True)
    with pytest.raises(ApplicationError, match="cancelled and cannot be paid"):
        invoice_mark_paid(invoice=invoice, actor=admin_user)
    assert not LedgerEntry.objects.exists()
    assert invoice_cancel(invoice=invoice, actor=admin_user).status == InvoiceStatus.CANCELLED


def test_a_paid_invoice_cannot_be_cancelled(partner, owner, admin_user):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    invoice_mark_paid(invoice=invoice, actor=admin_user)
    with pytest.raises(InvalidInput, match="paid and cannot be cancelled"):
        invoice_cancel(invoice=invoice, actor=admin_user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


@pytest.mark.parametrize("role_fixture", ["member", "outsider", "manager"])
def test_others_cannot_cancel(request, partner, owner, role_fixture):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    with pytest.raises(PermissionDenied):
        invoice_cancel(invoice=invoice, actor=request.getfixturevalue(role_fixture))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
