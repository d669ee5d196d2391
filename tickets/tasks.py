"""Periodic work on tickets. Tasks take primary keys, call one service, and are safe to repeat."""

from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .models import Status, Ticket
from .services import ticket_auto_close
from .sweep import sla_sweep


@shared_task(**OUTAGE_RETRY)
def close_resolved_tickets() -> int:
    """Close resolved tickets 3 working days after resolution; running twice (or late) closes each once."""
    due = Ticket.objects.filter(status=Status.RESOLVED, auto_close_at__lte=timezone.now()).values_list("pk", flat=True)
    return sum(1 for ticket_id in list(due) if ticket_auto_close(ticket_id=ticket_id) is not None)


@shared_task(**OUTAGE_RETRY)
def sla_sweep_task() -> int:
    report = sla_sweep(now=timezone.now())
    return len(report.breaches)
