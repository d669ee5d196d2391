"""A hypothesis state machine over the billing services: whatever the order of top-ups, holds, adjustments,
releases, captures and retried captures, the ledger adds up."""

import itertools
from decimal import Decimal

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from billing.models import ZERO, DepositAccount, EntryKind, Hold, HoldStatus, LedgerEntry
from billing.services import (
    deposit_top_up,
    hold_adjust,
    hold_capture,
    hold_place,
    hold_release,
    ticket_price,
)
from partner_support.errors import InsufficientDeposit
from tests.factories import AdminFactory, ProjectFactory, TicketFactory

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("2000.00"), places=2, allow_nan=False, allow_infinity=False
)
hold_amounts = st.decimals(
    min_value=Decimal("0.00"), max_value=Decimal("1000.00"), places=2, allow_nan=False, allow_infinity=False
)


class BillingMachine(RuleBasedStateMachine):
    """Each example works on a fresh partner, so examples sharing the test's transaction do not interfere."""

    tickets = Bundle("tickets")

    def __init__(self):
        super().__init__()
        self.project = ProjectFactory()
        self.partner = self.project.partner
        self.cashier = AdminFactory()
        self.keys = itertools.count()
        self.debits: dict[int, int] = {}

    def account(self) -> DepositAccount | None:
        return DepositAccount.objects.filter(partner=self.partner).first()

    def available(self) -> Decimal:
        account = self.account()
        return account.available if account else ZERO

    def active_hold(self, ticket) -> Decimal:
        hold = Hold.objects.filter(ticket=ticket, status=HoldStatus.ACTIVE).first()
        return hold.amount if hold else ZERO

    @rule(amount=amounts)
    def top_up(self, amount):
        key = f"machine:{self.partner.pk}:{next(self.keys)}"
        entry = deposit_top_up(partner=self.partner, amount=amount, actor=self.cashier, memo="", idempotency_key=key)
        assert entry.amount == amount

    @rule(
        target=tickets,
        kind=st.sampled_from(["simple", "bug", "composite", "enhancement"]),
        parts=st.integers(min_value=2, max_value=4),
        quoted=amounts,
    )
    def place_hold(self, kind, parts, quoted):
        fields = {"composite": {"parts": parts}, "enhancement": {"amount": quoted}}.get(kind, {})
        ticket = TicketFactory(project=self.project, kind=kind, **fields)
        price = ticket_price(ticket=ticket)
        available = self.available()
        try:
            hold = hold_place(ticket=ticket, amount=price, allow_short=kind == "bug")
        except InsufficientDeposit:
            assert kind != "bug" and available < price
        else:
            assert hold.amount == (min(price, max(available, ZERO)) if kind == "bug" else price)
        return ticket

    @rule(ticket=tickets, amount=hold_amounts)
    def adjust(self, ticket, amount):
        coverable = self.available() + self.active_hold(ticket)
        try:
            hold = hold_adjust(ticket=ticket, amount=amount, allow_short=ticket.kind == "bug")
        except InsufficientDeposit:
            assert ticket.kind != "bug" and amount > coverable
        else:
            assert hold.amount == (min(amount, max(coverable, ZERO)) if ticket.kind == "bug" else amount)

    @rule(ticket=tickets)
    def release(self, ticket):
        hold_release(ticket=ticket)
        assert self.active_hold(ticket) == 0

    @rule(ticket=tickets)
    def capture(self, ticket):
        balance = self.account().balance if self.account() else ZERO
        held = self.active_hold(ticket)
        has_hold = Hold.objects.filter(ticket=ticket, status=HoldStatus.ACTIVE).exists()
        # The price reserved by the hold, except a bug's (held only as far as the deposit allowed).
        price = held if has_hold and ticket.kind != "bug" else ticket_price(ticket=ticket)
        overdraft = ticket.kind == "bug"
        try:
            entry = hold_capture(ticket=ticket, actor=None, allow_overdraft=overdraft)
        except InsufficientDeposit:
            assert not overdraft and not has_hold and ticket.pk not in self.debits and balance < price
            return
        if ticket.pk in self.debits:
            assert entry.pk == self.debits[ticket.pk]
            assert self.account().balance == balance
        elif entry is not None:
            assert entry.amount == -price
            self.debits[ticket.pk] = entry.pk
        assert self.active_hold(ticket) == 0

    @precondition(lambda self: self.debits)
    @rule(data=st.data())
    def capture_again(self, data):
        ticket_id = data.draw(st.sampled_from(sorted(self.debits)))
        balance = self.account().balance
        entry = hold_capture(
            ticket=LedgerEntry.objects.get(pk=self.debits[ticket_id]).ticket, actor=None, allow_overdraft=True
        )
        assert entry.pk == self.debits[ticket_id]
        assert self.account().balance == balance

    @rule(price=amounts)
    def bug_overdraft(self, price):
        ticket = TicketFactory(project=self.project, kind="bug")
        balance = self.account().balance if self.account() else ZERO
        hold_place(ticket=ticket, amount=price, allow_short=True)
        entry = hold_capture(ticket=ticket, actor=None, allow_overdraft=True)
        self.debits[ticket.pk] = entry.pk
        assert entry.balance_after == balance - ticket_price(ticket=ticket)

    @invariant()
    def ledger_adds_up(self):
        account = self.account()
        if account is None:
            return
        # Summed in Python: SQLite's SUM() of decimal columns goes through floating point.
        entries = LedgerEntry.objects.filter(account=account)
        assert account.balance == sum(entries.values_list("amount", flat=True), ZERO)
        active = Hold.objects.filter(account=account, status=HoldStatus.ACTIVE)
        assert account.held == sum(active.values_list("amount", flat=True), ZERO)
        assert account.held >= 0
        last = entries.order_by("-id").first()
        assert last is None or last.balance_after == account.balance
        bug_overdrafts = entries.filter(
            kind=EntryKind.DEBIT, allow_overdraft=True, ticket__kind="bug", balance_after__lt=0
        )
        assert account.balance >= 0 or bug_overdrafts.exists()  # only a bug ever starts an overdraft
        # Below zero, a debit is a bug's or one its own hold covered (its reserve was eaten by a bug's overdraft).
        below_zero = entries.filter(balance_after__lt=0, amount__lt=0)
        assert not below_zero.exclude(allow_overdraft=True).exists()
        twice = entries.filter(kind=EntryKind.DEBIT).values("ticket").annotate(n=Count("id")).filter(n__gt=1)
        assert not twice.exists()


@pytest.mark.django_db
def test_billing_state_machine():
    run_state_machine_as_test(
        BillingMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
