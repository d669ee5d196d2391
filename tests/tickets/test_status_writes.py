"""The service layer is the only writer of a ticket's status."""

import re
from pathlib import Path

import pytest

from tests.factories import TicketFactory
from tickets.models import Status, Ticket

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "billing", "tickets", "partner_support"]


def test_no_code_assigns_or_bulk_updates_a_ticket_status():
    offenders = []
    anywhere = re.compile(r"(\bticket\w*\.status\s*=[^=]|Ticket\.objects\b.*\.update\([^)]*\bstatus\s*=)")
    in_tickets_app = re.compile(r"\.update\([^)]*\bstatus\s*=")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if anywhere.search(line) or (app == "tickets" and in_tickets_app.search(line)):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_the_status_field_refuses_direct_assignment():
    ticket = TicketFactory()
    with pytest.raises(AttributeError):
        ticket.status = Status.CLOSED
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW
