"""manage.py reconcile_sla_flags: the breach flags the SLA statistics count agree with the recorded breaches, or
the command says which tickets disagree, exits non-zero, and --fix sets them from the breaches."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import TicketFactory
from tickets.models import SlaBreach, Ticket

pytestmark = pytest.mark.django_db


def breach(ticket: Ticket, clock: str) -> SlaBreach:
    due = timezone.now() - timedelta(hours=1)
    return SlaBreach.objects.create(ticket=ticket, kind=clock, due_at=due, detected_at=due, manager=ticket.assignee)


def run(*args) -> str:
    out = StringIO()
    call_command("reconcile_sla_flags", *args, stdout=out)
    return out.getvalue()


def test_flags_that_agree_reconcile():
    late = TicketFactory(status="accepted", accepted_at=timezone.now())
    breach(late, "acceptance")
    Ticket.objects.filter(pk=late.pk).update(acceptance_breached=True)  # SQLite has no trigger to set it
    TicketFactory()
    assert "OK" in run()


def test_disagreeing_flags_are_named_and_fixed():
    unflagged = TicketFactory(status="accepted", accepted_at=timezone.now())
    breach(unflagged, "acceptance")
    Ticket.objects.filter(pk=unflagged.pk).update(acceptance_breached=False)
    flagged = TicketFactory(status="resolved", accepted_at=timezone.now())
    Ticket.objects.filter(pk=flagged.pk).update(resolution_breached=True)
    with pytest.raises(CommandError, match="2 breach flags disagree"):
        run()
    output = run("--fix")
    assert f"acceptance: 1 flags disagree: {unflagged.number}" in output
    assert f"resolution: 1 flags disagree: {flagged.number}" in output
    assert "OK" in output
    assert Ticket.objects.filter(pk=unflagged.pk, acceptance_breached=True).exists()
    assert Ticket.objects.filter(pk=flagged.pk, resolution_breached=False).exists()
    changes = AuditEvent.objects.filter(object_type="tickets.ticket").order_by("object_id")
    assert sorted((event.object_id, event.before, event.after) for event in changes) == sorted(
        [
            (str(unflagged.pk), {"acceptance_breached": False}, {"acceptance_breached": True}),
            (str(flagged.pk), {"resolution_breached": True}, {"resolution_breached": False}),
        ]
    )
    assert "OK" in run()
