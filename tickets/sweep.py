"""The SLA sweep: finds deadlines that passed and 80% warnings that are due, from stored columns only.

It does not depend on per-ticket timers surviving in the broker: run every minute by Celery beat (or by hand with
`manage.py sla_sweep`), it catches up with everything missed while the worker was down. Concurrent sweeps are
safe: tickets are taken under row locks with SKIP LOCKED and breaches are inserted under a unique constraint; each
breach and warning is an event in the outbox, stored in the same transaction, so each is told of once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from .events import SLA_WARNING, ticket_event
from .holdings import holders_at
from .models import SlaBreach, Status, Ticket
from .sla import breach_event, tickets_flag_breached


@dataclass
class SweepReport:
    breaches: list[tuple[int, str, datetime]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


CLOCKS = {
    SlaBreach.Clock.ACCEPTANCE: (Status.NEW, "accept_due_at", "accept_warn_at", "accept_warned"),
    SlaBreach.Clock.RESOLUTION: (Status.ACCEPTED, "resolve_due_at", "resolve_warn_at", "resolve_warned"),
}


def overdue(*, clock: str, now: datetime) -> QuerySet[Ticket]:
    """Tickets whose `clock` is running and past its deadline, with no breach recorded yet."""
    status, due_field, _warn, _warned = CLOCKS[clock]
    recorded = SlaBreach.objects.filter(ticket=OuterRef("pk"), kind=clock)
    return Ticket.objects.filter(status=status, **{f"{due_field}__lt": now}).filter(~Exists(recorded)).order_by("pk")


def warnings_due(*, clock: str, now: datetime) -> QuerySet[Ticket]:
    status, _due, warn_field, warned_field = CLOCKS[clock]
    return Ticket.objects.filter(status=status, **{f"{warn_field}__lte": now, warned_field: False}).order_by("pk")


def sla_sweep(*, now: datetime, dry_run: bool = False) -> SweepReport:
    """Record breaches and warnings due at `now`, each with its event; with dry_run, only report what would be."""
    report = SweepReport()
    for clock, (_status, due_field, _warn, warned_field) in CLOCKS.items():
        with transaction.atomic(durable=True):
            found = list(
                overdue(clock=clock, now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", due_field, "assignee_id")
            )
            report.breaches += [(pk, clock, due) for pk, due, _assignee in found]
            if not dry_run and found:
                # Whoever held each ticket at its deadline answers for it (holdings, else the assignee now).
                holders = holders_at(
                    {pk: due for pk, due, _a in found}, fallback={pk: assignee for pk, _d, assignee in found}
                )
                SlaBreach.objects.bulk_create(
                    [
                        SlaBreach(ticket_id=pk, kind=clock, due_at=due, detected_at=now, manager_id=holders[pk])
                        for pk, due, _assignee in found
                    ],
                    ignore_conflicts=True,
                )
                tickets_flag_breached(ticket_ids=[pk for pk, _d, _a in found], clock=clock)
                breaches = SlaBreach.objects.filter(ticket_id__in=[pk for pk, _d, _a in found], kind=clock)
                for ticket, breach in _with_tickets(breaches):
                    breach_event(ticket=ticket, breach=breach)

            claimed = list(
                warnings_due(clock=clock, now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", due_field)
            )
            # A clock already run out (the sweep was down past its deadline) gets its breach, not a stale warning.
            warned = [pk for pk, due in claimed if due is None or due >= now]
            report.warnings += [(pk, clock) for pk in warned]
            if not dry_run and claimed:
                Ticket.objects.filter(pk__in=[pk for pk, _due in claimed]).update(**{warned_field: True})
                for ticket in _tickets(warned):
                    due = getattr(ticket, due_field)
                    ticket_event(
                        ticket=ticket, type=SLA_WARNING, actor=None, public=False, data={"clock": clock, "due_at": due}
                    )
    return report


def _tickets(ticket_ids: list[int]) -> list[Ticket]:
    return list(Ticket.objects.filter(pk__in=ticket_ids).select_related("project", "author", "assignee").order_by("pk"))


def _with_tickets(breaches) -> list[tuple[Ticket, SlaBreach]]:
    by_ticket = {breach.ticket_id: breach for breach in breaches}
    return [(ticket, by_ticket[ticket.pk]) for ticket in _tickets(list(by_ticket))]
