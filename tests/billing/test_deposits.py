"""Top-ups, adjustments and the low-balance alert."""

from decimal import Decimal

import pytest
from django.core import mail

from billing.models import DepositAccount, EntryKind, LedgerEntry
from billing.services import adjustment_record, deposit_top_up, hold_capture, hold_place, hold_release
from outbox.models import OutboxEvent
from outbox.relay import relay_run
from partner_support.errors import InvalidInput, PermissionDenied
from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


def top_up(partner, actor, amount="500.00", key="k-1", memo="Bank transfer 42"):
    return deposit_top_up(partner=partner, amount=Decimal(amount), actor=actor, memo=memo, idempotency_key=key)


def test_top_up_credits_the_deposit_and_writes_an_entry(partner, admin_user):
    entry = top_up(partner, admin_user)
    account = DepositAccount.objects.get(partner=partner)
    assert account.balance == Decimal("500.00")
    assert (entry.kind, entry.amount, entry.balance_after, entry.actor, entry.memo) == (
        EntryKind.TOP_UP,
        Decimal("500.00"),
        Decimal("500.00"),
        admin_user,
        "Bank transfer 42",
    )
    second = top_up(partner, admin_user, amount="100.00", key="k-2")
    assert second.balance_after == Decimal("600.00")


def test_top_up_replayed_with_the_same_key_credits_once(partner, admin_user):
    first = top_up(partner, admin_user)
    again = top_up(partner, admin_user)
    assert again.pk == first.pk
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("500.00")
    assert LedgerEntry.objects.count() == 1


def test_a_key_reused_for_another_amount_is_refused(partner, admin_user):
    top_up(partner, admin_user)
    with pytest.raises(InvalidInput, match="already used"):
        top_up(partner, admin_user, amount="700.00")
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("500.00")


@pytest.mark.parametrize("role_fixture", ["owner", "member", "manager"])
def test_only_administrators_record_payments(request, partner, role_fixture):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        top_up(partner, actor)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "10.005"])
def test_top_up_refuses_amounts_that_are_not_positive_kopecks(partner, admin_user, amount):
    with pytest.raises(InvalidInput):
        top_up(partner, admin_user, amount=amount)
    assert not LedgerEntry.objects.exists()


def test_top_up_refuses_floats(partner, admin_user):
    with pytest.raises(TypeError):
        deposit_top_up(partner=partner, amount=100.0, actor=admin_user, memo="", idempotency_key="float")


def test_top_up_requires_a_key(partner, admin_user):
    with pytest.raises(InvalidInput, match="idempotency key"):
        top_up(partner, admin_user, key="  ")


def test_adjustment_is_signed_and_idempotent(partner, admin_user, fund):
    fund(partner, "500.00")
    entry = adjustment_record(
        partner=partner, amount=Decimal("-120.00"), actor=admin_user, memo="Duplicate payment", idempotency_key="adj-1"
    )
    assert (entry.kind, entry.amount, entry.balance_after) == (EntryKind.ADJUSTMENT, Decimal("-120.00"), 380)
    again = adjustment_record(
        partner=partner, amount=Decimal("-120.00"), actor=admin_user, memo="Duplicate payment", idempotency_key="adj-1"
    )
    assert again.pk == entry.pk
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("380.00")


def test_adjustment_cannot_take_the_balance_below_zero(partner, admin_user, fund):
    fund(partner, "100.00")
    with pytest.raises(InvalidInput, match="below zero"):
        adjustment_record(partner=partner, amount=Decimal("-100.01"), actor=admin_user, memo="x", idempotency_key="a")
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("100.00")


def test_adjustment_needs_a_reason_an_amount_and_an_administrator(partner, admin_user, owner):
    with pytest.raises(InvalidInput):
        adjustment_record(partner=partner, amount=Decimal("10.00"), actor=admin_user, memo=" ", idempotency_key="a")
    with pytest.raises(InvalidInput):
        adjustment_record(partner=partner, amount=Decimal("0"), actor=admin_user, memo="x", idempotency_key="a")
    with pytest.raises(PermissionDenied):
        adjustment_record(partner=partner, amount=Decimal("10.00"), actor=owner, memo="x", idempotency_key="a")
    assert not LedgerEntry.objects.exists()


def low_balance_mails():
    return [message for message in mail.outbox if message.subject == "Low deposit balance"]


def test_low_balance_alert_once_per_crossing(
    partner, owner, make_ticket, fund, manager, django_capture_on_commit_callbacks
):
    PartnerOwnerFactory(partner=partner, email="second-owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        fund(partner, "720.00")  # four requests: above the line
    assert low_balance_mails() == []

    first, second = make_ticket(), make_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        hold_place(ticket=first, amount=Decimal("180.00"))  # 540 available: three requests, still not below
    assert low_balance_mails() == []
    with django_capture_on_commit_callbacks(execute=True):
        hold_place(ticket=second, amount=Decimal("180.00"))  # 360: below three requests
    messages = low_balance_mails()  # one message per owner: no address is shown to anyone else
    assert sorted(m.to for m in messages) == sorted([[owner.email], ["second-owner@example.com"]])
    assert all("360.00 UAH" in m.body and "http://127.0.0.1:8000/billing/" in m.body for m in messages)
    assert DepositAccount.objects.get(partner=partner).low_balance_alerted

    with django_capture_on_commit_callbacks(execute=True):
        hold_capture(ticket=first, actor=manager, allow_overdraft=False)  # still below: no second mail
    assert len(low_balance_mails()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        hold_release(ticket=second)
        fund(partner, "360.00")  # back to 900 available: the flag clears
    assert not DepositAccount.objects.get(partner=partner).low_balance_alerted
    with django_capture_on_commit_callbacks(execute=True):
        hold_place(ticket=make_ticket(), amount=Decimal("540.00"))  # below again: a new crossing, a new mail
    assert len(low_balance_mails()) == 4


def test_a_low_balance_that_recovered_before_the_relay_ran_tells_nobody(partner, owner, fund):
    account = fund(partner, "100.00").account  # below the line; not relayed yet (no commit in this test)
    assert DepositAccount.objects.get(pk=account.pk).low_balance_alerted
    fund(partner, "1000.00")
    assert not DepositAccount.objects.get(pk=account.pk).low_balance_alerted
    assert relay_run() >= 1 and OutboxEvent.objects.filter(type="deposit.low", delivered_at__isnull=False).exists()
    assert low_balance_mails() == []
