"""Two sweepers at the same moment (e.g. a second beat by mistake): nothing doubled, nothing lost."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from outbox.models import OutboxEvent
from tests.helpers import postgres_only, run_concurrently
from tickets.models import Kind, SlaBreach, Ticket
from tickets.sweep import sla_sweep

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
KYIV = ZoneInfo("Europe/Kyiv")


def test_concurrent_sweeps_record_and_notify_each_breach_once(file_ticket):
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=KYIV), tick=False):
        tickets = [file_ticket(Kind.BUG) for _ in range(20)]  # bugs are filed whatever the deposit
    at_noon = datetime(2026, 11, 23, 12, tzinfo=KYIV)

    reports = run_concurrently([lambda: sla_sweep(now=at_noon)] * 4)

    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sorted(SlaBreach.objects.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tickets)
    # each ticket claimed by exactly one sweeper; its clock had run out, so a breach and no stale 80% warning
    assert sum(len(r.warnings) for r in reports) == 0
    assert Ticket.objects.filter(accept_warned=True).count() == 20
    assert OutboxEvent.objects.filter(type="sla.breached").count() == 20
    breach_mails = [m for m in mail.outbox if "SLA breached" in m.subject]
    assert len(breach_mails) == 20
    breach_notifications = Notification.objects.filter(kind=NotificationKind.SLA_BREACH)
    # one event per breach, told once to each of the manager and the administrator
    assert breach_notifications.values("key").distinct().count() == 20 and breach_notifications.count() == 40
