"""A hypothesis state machine over the ticket services with real money: top-ups, filing, acceptance (composite
parts), cancellation, rejection, resolution, reopening and retried resolutions, in any order. After each step the
deposit matches a model of what should have been charged, and the ledger's own invariants hold."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from billing.models import DepositAccount, Hold, HoldStatus, LedgerEntry
from billing.services import deposit_top_up
from partner_support.errors import ApplicationError, InsufficientDeposit
from tests.factories import AdminFactory, ManagerFactory, ProjectFactory, UserFactory
from tickets import services
from tickets.models import Kind, Status, Ticket

PRICE = Decimal("180.00")


class TicketMoneyMachine(RuleBasedStateMachine):
    tickets = Bundle("tickets")

    def __init__(self):
        super().__init__()
        self.admin = AdminFactory()
        self.manager = ManagerFactory()
        self.project = ProjectFactory(manager=self.manager)
        self.member = UserFactory(partner=self.project.partner)
        self.partner = self.project.partner
        self.topped_up = Decimal("0.00")
        self.charged: dict[int, Decimal] = {}  # ticket id -> the price debited, once
        self.top_ups = 0

    def account(self) -> DepositAccount | None:
        return DepositAccount.objects.filter(partner=self.partner).first()

    @rule(requests=st.integers(min_value=1, max_value=4))
    def top_up(self, requests):
        self.top_ups += 1
        amount = PRICE * requests
        deposit_top_up(
            partner=self.partner,
            amount=amount,
            actor=self.admin,
            memo="m",
            idempotency_key=f"sm:{self.partner.pk}:{self.top_ups}",
        )
        self.topped_up += amount

    @rule(target=tickets, kind=st.sampled_from([Kind.SIMPLE, Kind.BUG, Kind.COMPOSITE]))
    def file(self, kind):
        try:
            ticket = services.ticket_file(
                actor=self.member, project_id=self.project.pk, kind=kind, title="t", description="d"
            )
        except InsufficientDeposit:
            assert kind != Kind.BUG  # bugs are always filed
            return None
        return (ticket.pk, kind)

    def _try(self, call, **kwargs):
        try:
            return call(**kwargs)
        except ApplicationError:
            return None

    @rule(entry=tickets, parts=st.integers(min_value=2, max_value=4))
    def accept(self, entry, parts):
        if entry:
            ticket_id, kind = entry
            self._try(
                services.ticket_accept,
                ticket_id=ticket_id,
                actor=self.manager,
                parts=parts if kind == Kind.COMPOSITE else None,
            )

    @rule(entry=tickets)
    def cancel(self, entry):
        if entry:
            self._try(services.ticket_cancel, ticket_id=entry[0], actor=self.member)

    @rule(entry=tickets)
    def reject(self, entry):
        if entry:
            self._try(services.ticket_reject, ticket_id=entry[0], actor=self.manager, reason="No")

    @rule(entry=tickets)
    def resolve(self, entry):
        if not entry:
            return
        ticket_id, _kind = entry
        resolved = self._try(services.ticket_resolve, ticket_id=ticket_id, actor=self.manager, resolution="Done")
        if resolved is not None and ticket_id not in self.charged:
            self.charged[ticket_id] = PRICE * (resolved.parts or 1)

    @rule(entry=tickets)
    def reopen(self, entry):
        if entry:
            self._try(services.ticket_reopen, ticket_id=entry[0], actor=self.member, reason="Again")

    @invariant()
    def deposit_matches_the_model(self):
        account = self.account()
        if account is None:
            assert self.topped_up == 0 and not self.charged
            return
        entries = LedgerEntry.objects.filter(account=account)
        assert account.balance == self.topped_up - sum(self.charged.values(), Decimal("0.00"))
        assert account.balance == (entries.aggregate(total=Sum("amount"))["total"] or 0)
        active = Hold.objects.filter(account=account, status=HoldStatus.ACTIVE)
        assert account.held == (active.aggregate(total=Sum("amount"))["total"] or 0)
        debits = entries.filter(kind="debit")
        assert sorted(debits.values_list("ticket_id", flat=True)) == sorted(self.charged)
        for ticket_id, price in self.charged.items():
            assert debits.get(ticket_id=ticket_id).amount == -price
        closed_without_charge = Ticket.objects.filter(
            partner=self.partner, status__in=[Status.CANCELLED, Status.REJECTED]
        )
        assert not active.filter(ticket__in=closed_without_charge).exists()
        if account.balance < 0:
            assert debits.filter(allow_overdraft=True).exists()  # only a bug's debit may overdraw


@pytest.mark.django_db
def test_money_through_the_lifecycle_adds_up():
    run_state_machine_as_test(
        TicketMoneyMachine,
        settings=settings(
            max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
