"""Two people acting on one ticket at the same moment: exactly one transition wins (PostgreSQL row locks)."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from billing.models import LedgerEntry
from partner_support.errors import TransitionNotAllowed
from tests.factories import AdminFactory
from tests.helpers import postgres_only, run_concurrently
from tickets import services
from tickets.models import Status, Ticket, TicketEvent, TicketPart

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_accept_and_reject_one_wins(file_ticket, manager):
    ticket = file_ticket()
    admin = AdminFactory()
    results = run_concurrently(
        [
            lambda: services.ticket_accept(ticket_id=ticket.pk, actor=manager),
            lambda: services.ticket_reject(ticket_id=ticket.pk, actor=admin, reason="Duplicate"),
        ]
    )
    winners = [r for r in results if isinstance(r, Ticket)]
    losers = [r for r in results if isinstance(r, TransitionNotAllowed)]
    assert len(winners) == 1 and len(losers) == 1, results
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == winners[0].status
    assert TicketEvent.objects.filter(ticket=ticket, kind="transition").count() == 1


def test_eight_concurrent_resolves_resolve_once(file_ticket, manager):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    results = run_concurrently(
        [lambda: services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed")] * 8
    )
    assert sum(isinstance(r, Ticket) for r in results) == 1
    assert sum(isinstance(r, TransitionNotAllowed) for r in results) == 7
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.resolution_round) == (Status.RESOLVED, 1)
    assert TicketEvent.objects.filter(ticket=ticket, transition="resolve").count() == 1


def test_partner_cancel_racing_manager_resolve(file_ticket, manager, member):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    results = run_concurrently(
        [
            lambda: services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed"),
            lambda: services.ticket_cancel(ticket_id=ticket.pk, actor=member),
        ]
    )
    assert sum(isinstance(r, Ticket) for r in results) == 1, results
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status in (Status.RESOLVED, Status.CANCELLED)
    assert TicketEvent.objects.filter(ticket=ticket, kind="transition").exclude(transition="accept").count() == 1


def test_a_part_ticked_while_the_composite_is_resolved_is_settled_one_way(file_ticket, manager):
    """The tick waits for the resolution's lock (or the resolution for the tick's): the debit always matches the
    parts stored as done, and the ledger reconciles."""
    ticket = services.ticket_accept(ticket_id=file_ticket("composite").pk, actor=manager, parts=3)
    first = TicketPart.objects.get(ticket=ticket, position=1)
    results = run_concurrently(
        [
            lambda: services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done"),
            lambda: services.part_update(part_id=first.pk, actor=manager, done=True),
        ]
    )
    done = TicketPart.objects.filter(ticket=ticket, done_at__isnull=False).count()
    debits = list(LedgerEntry.objects.filter(ticket=ticket).values_list("amount", flat=True))
    assert debits == ([Decimal("-180.00") * done] if done else []), results
    assert TicketPart.objects.filter(ticket=ticket, dropped_at__isnull=False).count() == 3 - done
    call_command("reconcile_ledger")
