"""Periodic and after-commit work on tickets. Tasks take primary keys, call one service, and are safe to repeat."""

import logging

from celery import shared_task
from django.utils import timezone

from notifications import messages
from notifications.models import Kind as NotificationKind
from notifications.selectors import administrators
from notifications.services import notify

from .models import SlaBreach, Status, Ticket
from .services import ticket_auto_close
from .sweep import sla_sweep

logger = logging.getLogger(__name__)

# Functions called with (event=, ticket_id=, actor_id=, data=) for every ticket event, in this order.
EVENT_LISTENERS: list = []


@shared_task
def close_resolved_tickets() -> int:
    """Close resolved tickets 3 working days after resolution; running twice (or late) closes each once."""
    due = Ticket.objects.filter(status=Status.RESOLVED, auto_close_at__lte=timezone.now()).values_list("pk", flat=True)
    return sum(1 for ticket_id in list(due) if ticket_auto_close(ticket_id=ticket_id) is not None)


@shared_task
def ticket_event_deliver(*, event: str, ticket_id: int, actor_id: int | None, data: dict) -> None:
    """Hand one ticket event (tickets.outbox) to every listener; one failing listener does not starve the others."""
    for listener in EVENT_LISTENERS:
        try:
            listener(event=event, ticket_id=ticket_id, actor_id=actor_id, data=data)
        except Exception:
            logger.exception("Listener %s failed on %s of ticket %s", listener.__qualname__, event, ticket_id)


@shared_task
def sla_sweep_task() -> int:
    report = sla_sweep(now=timezone.now())
    return len(report.breaches)


@shared_task
def sla_breach_notify(breach_id: int) -> bool:
    """Tell the responsible manager and the administrators, once per breach (claimed by a conditional update)."""
    if not SlaBreach.objects.filter(pk=breach_id, notified_at__isnull=True).update(notified_at=timezone.now()):
        return False
    breach = SlaBreach.objects.select_related("ticket", "manager").get(pk=breach_id)
    notify(
        kind=NotificationKind.SLA_BREACH,
        key=f"breach:{breach.pk}",
        users=[breach.manager, *administrators()],
        compose=lambda user: messages.sla_breach(breach),
        ticket=breach.ticket,
        url=messages.ticket_url(breach.ticket),
    )
    return True


@shared_task
def sla_breaches_notify(breach_ids: list[int]) -> int:
    """One message per sweep rather than one per breach; each breach is still notified once."""
    return sum(sla_breach_notify(breach_id) for breach_id in breach_ids)


@shared_task
def sla_warnings_notify(ticket_ids: list[int], clock: str) -> int:
    return sum(sla_warning_notify(ticket_id, clock) for ticket_id in ticket_ids)


@shared_task
def sla_warning_notify(ticket_id: int, clock: str) -> bool:
    """Warn the assignee that 80% of a clock has run (the sweep marks the ticket warned once)."""
    ticket = Ticket.objects.select_related("assignee").filter(pk=ticket_id).first()
    if ticket is None or ticket.assignee is None:
        return False
    due = ticket.accept_due_at if clock == SlaBreach.Clock.ACCEPTANCE else ticket.resolve_due_at
    notify(
        kind=NotificationKind.SLA_WARNING,
        key=f"sla_warning:{ticket.pk}:{clock}:{due.isoformat()}",
        users=[ticket.assignee],
        compose=lambda user: messages.sla_warning(ticket, clock, due),
        ticket=ticket,
        url=messages.ticket_url(ticket),
    )
    return True
