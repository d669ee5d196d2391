"""Resolved tickets close by themselves 3 working days after resolution; the task is safe to run twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tickets import services
from tickets.models import Status, Ticket
from tickets.tasks import close_resolved_tickets

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def test_closes_after_three_working_days_once(file_ticket, manager):
    with time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=KYIV), tick=False):  # a Friday
        ticket = file_ticket()
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
        resolved = services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done")
    assert resolved.auto_close_at == datetime(2026, 11, 25, 15, 0, tzinfo=KYIV)  # Wednesday, weekend skipped

    with time_machine.travel(datetime(2026, 11, 25, 14, 59, tzinfo=KYIV), tick=False):
        assert close_resolved_tickets() == 0
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED

    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=KYIV), tick=False):  # the worker was down: caught up
        assert close_resolved_tickets() == 1
        assert close_resolved_tickets() == 0
    closed = Ticket.objects.get(pk=ticket.pk)
    assert closed.status == Status.CLOSED
    event = closed.events.get(transition="confirm")
    assert event.actor is None and "automatically" in event.text


def test_a_reopened_ticket_is_not_closed_by_the_old_timer(file_ticket, manager, member):
    with time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=KYIV), tick=False):
        ticket = file_ticket()
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
        services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done")
        services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="No")
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=KYIV), tick=False):
        assert close_resolved_tickets() == 0
        assert services.ticket_auto_close(ticket_id=ticket.pk) is None
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ACCEPTED
