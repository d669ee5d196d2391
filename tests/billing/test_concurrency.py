"""Real threads against PostgreSQL: the account row lock and the unique keys keep the money exact."""

from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import Partner
from billing.models import DepositAccount, EntryKind, Hold, HoldStatus, LedgerEntry
from billing.services import account_for, deposit_top_up, hold_capture, hold_place
from partner_support.errors import InsufficientDeposit
from tests.factories import AdminFactory, ManagerFactory, PartnerFactory, ProjectFactory, TicketFactory
from tests.helpers import postgres_only, run_concurrently
from tickets.models import Ticket

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8
PRICE = Decimal("180.00")


@pytest.fixture
def funded_project():
    project = ProjectFactory()
    deposit_top_up(
        partner=project.partner, amount=Decimal("5000.00"), actor=AdminFactory(), memo="x", idempotency_key="fund"
    )
    return project


def capture(ticket_id: int, actor) -> LedgerEntry | None:
    """What the resolve transition does: lock the ticket, then capture its hold."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        return hold_capture(ticket=ticket, actor=actor, allow_overdraft=False)


def test_concurrent_captures_of_one_ticket_debit_once(funded_project):
    ticket = TicketFactory(project=funded_project)
    hold_place(ticket=ticket, amount=PRICE)
    manager = ManagerFactory()
    results = run_concurrently([lambda: capture(ticket.pk, manager)] * THREADS)
    assert all(isinstance(result, LedgerEntry) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.DEBIT).count() == 1
    account = DepositAccount.objects.get(partner=funded_project.partner)
    assert (account.balance, account.held) == (Decimal("4820.00"), 0)


def test_concurrent_captures_of_one_ticket_without_locking_the_ticket_still_debit_once(funded_project):
    ticket = TicketFactory(project=funded_project)
    hold_place(ticket=ticket, amount=PRICE)
    results = run_concurrently([lambda: hold_capture(ticket=ticket, actor=None, allow_overdraft=False)] * THREADS)
    assert len({result.pk for result in results}) == 1, results
    assert DepositAccount.objects.get(partner=funded_project.partner).balance == Decimal("4820.00")


def test_concurrent_captures_of_different_tickets_lose_no_update(funded_project):
    tickets = [TicketFactory(project=funded_project) for _ in range(THREADS * 2)]
    for ticket in tickets:
        hold_place(ticket=ticket, amount=PRICE)
    results = run_concurrently([lambda ticket=ticket: capture(ticket.pk, None) for ticket in tickets])
    assert all(isinstance(result, LedgerEntry) for result in results), results
    account = DepositAccount.objects.get(partner=funded_project.partner)
    assert (account.balance, account.held) == (Decimal("5000.00") - PRICE * len(tickets), 0)
    balances_after = sorted(LedgerEntry.objects.filter(kind=EntryKind.DEBIT).values_list("balance_after", flat=True))
    assert balances_after == [Decimal("5000.00") - PRICE * n for n in range(len(tickets), 0, -1)]


def test_concurrent_holds_never_overdraw_the_available_deposit():
    project = ProjectFactory()
    deposit_top_up(
        partner=project.partner, amount=Decimal("540.00"), actor=AdminFactory(), memo="", idempotency_key="f"
    )
    tickets = [TicketFactory(project=project) for _ in range(THREADS)]
    results = run_concurrently([lambda ticket=ticket: hold_place(ticket=ticket, amount=PRICE) for ticket in tickets])
    placed = [result for result in results if isinstance(result, Hold)]
    refused = [result for result in results if isinstance(result, InsufficientDeposit)]
    assert (len(placed), len(refused)) == (3, THREADS - 3), results
    account = DepositAccount.objects.get(partner=project.partner)
    assert (account.held, account.available) == (Decimal("540.00"), 0)
    assert Hold.objects.filter(status=HoldStatus.ACTIVE).count() == 3


def test_concurrent_top_ups_with_one_key_credit_once():
    partner = PartnerFactory()
    cashier = AdminFactory()

    def pay():
        return deposit_top_up(
            partner=partner, amount=Decimal("900.00"), actor=cashier, memo="retry", idempotency_key="bank:123"
        )

    results = run_concurrently([pay] * THREADS)
    assert len({result.pk for result in results}) == 1, results
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("900.00")


def test_concurrent_first_use_creates_one_account():
    partner = PartnerFactory()
    results = run_concurrently([lambda: account_for(partner=Partner.objects.get(pk=partner.pk))] * THREADS)
    assert len({result.pk for result in results}) == 1, results
    assert DepositAccount.objects.filter(partner=partner).count() == 1
