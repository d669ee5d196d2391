"""Two people acting on one ticket at the same moment: exactly one transition wins (PostgreSQL row locks)."""

import pytest

from partner_support.errors import TransitionNotAllowed
from tests.factories import AdminFactory
from tests.helpers import postgres_only, run_concurrently
from tickets import services
from tickets.models import Status, Ticket, TicketEvent

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
