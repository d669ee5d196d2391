"""Holds on a ticket's price and their capture as the ticket's one debit."""

from decimal import Decimal

import pytest

from billing.models import DepositAccount, EntryKind, Hold, HoldStatus, LedgerEntry
from billing.services import hold_adjust, hold_capture, hold_place, hold_release
from partner_support.errors import InsufficientDeposit
from tests.billing.factories import TariffFactory

pytestmark = pytest.mark.django_db

PRICE = Decimal("180.00")


def account_of(partner) -> DepositAccount:
    return DepositAccount.objects.get(partner=partner)


def test_hold_reserves_the_price_and_reduces_available(partner, fund, make_ticket):
    fund(partner, "540.00")
    ticket = make_ticket()
    hold = hold_place(ticket=ticket, amount=PRICE)
    assert (hold.amount, hold.status, hold.ticket) == (PRICE, HoldStatus.ACTIVE, ticket)
    account = account_of(partner)
    assert (account.balance, account.held, account.available) == (540, 180, 360)


def test_hold_is_refused_when_the_available_deposit_does_not_cover_it(partner, fund, make_ticket):
    fund(partner, "300.00")
    hold_place(ticket=make_ticket(), amount=PRICE)
    with pytest.raises(InsufficientDeposit) as refused:
        hold_place(ticket=make_ticket(), amount=PRICE)
    assert refused.value.message == "The available deposit (120.00 UAH) does not cover this request (180.00 UAH)."
    assert refused.value.http_status == 402
    assert account_of(partner).held == PRICE
    assert Hold.objects.count() == 1


def test_hold_on_a_partner_without_any_deposit_is_refused(partner, make_ticket):
    with pytest.raises(InsufficientDeposit, match=r"\(0.00 UAH\)"):
        hold_place(ticket=make_ticket(), amount=PRICE)
    assert not Hold.objects.exists()


@pytest.mark.parametrize(("deposit", "held"), [("100.00", "100.00"), ("0.00", "0.00"), ("900.00", "180.00")])
def test_bug_hold_takes_what_is_available(partner, fund, make_ticket, deposit, held):
    if Decimal(deposit):
        fund(partner, deposit)
    hold = hold_place(ticket=make_ticket(kind="bug"), amount=PRICE, allow_short=True)
    assert hold.amount == Decimal(held)
    assert account_of(partner).held == Decimal(held)


def test_placing_again_adjusts_the_active_hold(partner, fund, make_ticket):
    fund(partner, "900.00")
    ticket = make_ticket(kind="composite")
    first = hold_place(ticket=ticket, amount=PRICE)
    again = hold_place(ticket=ticket, amount=Decimal("360.00"))
    assert again.pk == first.pk
    assert account_of(partner).held == Decimal("360.00")


def test_adjust_raises_a_composite_hold_checking_available_plus_the_current_hold(partner, fund, make_ticket):
    fund(partner, "540.00")
    ticket = make_ticket(kind="composite")
    hold_place(ticket=ticket, amount=PRICE)
    hold = hold_adjust(ticket=ticket, amount=Decimal("540.00"))  # 360 available + 180 already held
    assert hold.amount == Decimal("540.00")
    assert account_of(partner).available == 0
    with pytest.raises(InsufficientDeposit, match=r"\(540.00 UAH\) does not cover this request \(720.00 UAH\)"):
        hold_adjust(ticket=ticket, amount=Decimal("720.00"))
    assert Hold.objects.get(pk=hold.pk).amount == Decimal("540.00")


def test_adjust_can_lower_a_hold(partner, fund, make_ticket):
    fund(partner, "540.00")
    ticket = make_ticket(kind="enhancement")
    hold_place(ticket=ticket, amount=Decimal("500.00"))
    hold_adjust(ticket=ticket, amount=Decimal("200.00"))
    assert account_of(partner).held == Decimal("200.00")


def test_release_returns_the_money_and_is_a_no_op_without_a_hold(partner, fund, make_ticket):
    fund(partner, "540.00")
    ticket = make_ticket()
    hold = hold_place(ticket=ticket, amount=PRICE)
    hold_release(ticket=ticket)
    hold_release(ticket=ticket)
    hold_release(ticket=make_ticket())
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED
    assert account_of(partner).held == 0
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEBIT).exists()


def test_capture_debits_the_price_once_and_retires_the_hold(partner, fund, make_ticket, manager):
    fund(partner, "540.00")
    ticket = make_ticket()
    hold = hold_place(ticket=ticket, amount=PRICE)
    entry = hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    assert (entry.kind, entry.amount, entry.balance_after, entry.ticket, entry.actor) == (
        EntryKind.DEBIT,
        -PRICE,
        Decimal("360.00"),
        ticket,
        manager,
    )
    assert entry.idempotency_key == f"debit:ticket:{ticket.pk}"
    assert ticket.number in entry.memo
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.CAPTURED
    account = account_of(partner)
    assert (account.balance, account.held) == (Decimal("360.00"), 0)


def test_reopen_and_resolve_again_charges_nothing(partner, fund, make_ticket, manager):
    fund(partner, "540.00")
    ticket = make_ticket()
    hold_place(ticket=ticket, amount=PRICE)
    first = hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    again = hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    assert again.pk == first.pk
    assert account_of(partner).balance == Decimal("360.00")
    assert LedgerEntry.objects.filter(kind=EntryKind.DEBIT).count() == 1


def test_a_hold_placed_after_the_debit_is_released_by_the_second_capture(partner, fund, make_ticket, manager):
    fund(partner, "540.00")
    ticket = make_ticket()
    hold_place(ticket=ticket, amount=PRICE)
    hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    stray = hold_place(ticket=ticket, amount=PRICE)
    hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    assert Hold.objects.get(pk=stray.pk).status == HoldStatus.RELEASED
    account = account_of(partner)
    assert (account.balance, account.held) == (Decimal("360.00"), 0)


def test_composite_capture_debits_parts_times_price(partner, fund, make_ticket, manager):
    fund(partner, "900.00")
    ticket = make_ticket(kind="composite", parts=3)
    hold_place(ticket=ticket, amount=Decimal("540.00"))
    entry = hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    assert entry.amount == Decimal("-540.00")
    assert account_of(partner).balance == Decimal("360.00")


def test_free_ticket_writes_no_entry_and_releases_its_hold(partner, fund, make_ticket, manager):
    TariffFactory(partner=partner, bill_bugs=False)
    fund(partner, "540.00")
    ticket = make_ticket(kind="bug")
    hold = hold_place(ticket=ticket, amount=Decimal("0.00"), allow_short=True)
    assert hold_capture(ticket=ticket, actor=manager, allow_overdraft=True) is None
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEBIT).exists()
    assert account_of(partner).balance == Decimal("540.00")


def test_bug_debit_may_overdraw(partner, fund, make_ticket, manager):
    fund(partner, "100.00")
    ticket = make_ticket(kind="bug")
    hold_place(ticket=ticket, amount=PRICE, allow_short=True)
    entry = hold_capture(ticket=ticket, actor=manager, allow_overdraft=True)
    assert (entry.amount, entry.balance_after, entry.allow_overdraft) == (-PRICE, Decimal("-80.00"), True)
    account = account_of(partner)
    assert (account.balance, account.held, account.available) == (Decimal("-80.00"), 0, Decimal("-80.00"))


def test_non_bug_capture_never_overdraws(partner, fund, make_ticket, manager):
    fund(partner, "100.00")
    ticket = make_ticket(kind="enhancement", amount=Decimal("150.00"))
    with pytest.raises(InsufficientDeposit):
        hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    assert account_of(partner).balance == Decimal("100.00")
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEBIT).exists()


def test_after_an_overdraft_new_requests_are_refused_until_topped_up(partner, fund, make_ticket, manager):
    fund(partner, "100.00")
    bug = make_ticket(kind="bug")
    hold_place(ticket=bug, amount=PRICE, allow_short=True)
    hold_capture(ticket=bug, actor=manager, allow_overdraft=True)
    with pytest.raises(InsufficientDeposit, match=r"\(-80.00 UAH\)"):
        hold_place(ticket=make_ticket(), amount=PRICE)
    assert hold_place(ticket=make_ticket(kind="bug"), amount=PRICE, allow_short=True).amount == 0
    fund(partner, "260.00")
    assert hold_place(ticket=make_ticket(), amount=PRICE).amount == PRICE


def test_a_held_request_is_resolved_even_after_a_bug_overdraft_ate_into_its_reserve(fund, partner, project):
    """Beta's case: 360.00, a composite of 2 parts holds it all, then a bug is resolved (overdraft)."""
    from tests.factories import ManagerFactory, UserFactory
    from tickets import services

    fund(partner, "360.00")
    member = UserFactory(partner=partner)
    manager = project.manager or ManagerFactory()
    composite = services.ticket_file(actor=member, project_id=project.pk, kind="composite", title="t", description="d")
    services.ticket_accept(ticket_id=composite.pk, actor=manager, parts=2)
    bug = services.ticket_file(actor=member, project_id=project.pk, kind="bug", title="down", description="500")
    services.ticket_accept(ticket_id=bug.pk, actor=manager)
    services.ticket_resolve(ticket_id=bug.pk, actor=manager, resolution="Fixed")

    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Both parts done", done_parts=[1, 2])

    account = DepositAccount.objects.get(partner=partner)
    assert (account.balance, account.held) == (Decimal("-180.00"), Decimal("0.00"))  # 360 - 180 - 360


def test_the_debit_is_the_price_reserved_not_a_tariff_changed_since(fund, partner, project):
    from billing.services import tariff_for
    from tests.factories import UserFactory
    from tickets import services

    fund(partner, "900.00")
    member = UserFactory(partner=partner)
    ticket = services.ticket_file(actor=member, project_id=project.pk, kind="simple", title="t", description="d")
    services.ticket_accept(ticket_id=ticket.pk, actor=project.manager)
    tariff = tariff_for(partner=partner)
    tariff.price_per_request = Decimal("250.00")
    tariff.save()
    services.ticket_resolve(ticket_id=ticket.pk, actor=project.manager, resolution="Done")
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("720.00")
