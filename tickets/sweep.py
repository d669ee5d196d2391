"""The SLA sweep: finds deadlines that passed and 80% warnings that are due, from stored columns only.

It does not depend on per-ticket timers surviving in the broker: run every minute by Celery beat (or by hand with
`manage.py sla_sweep`), it catches up with everything missed while the worker was down. Concurrent sweeps are
safe: warnings are claimed under row locks with SKIP LOCKED, breaches are inserted under a unique constraint and
notified through a claim that succeeds once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from .models import SlaBreach, Status, Ticket


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
    """Record breaches and send warnings due at `now`; with dry_run, only report what would happen."""
    from .tasks import sla_breaches_notify, sla_warnings_notify

    report = SweepReport()
    for clock, (_status, due_field, _warn, warned_field) in CLOCKS.items():
        with transaction.atomic():
            found = list(
                overdue(clock=clock, now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", due_field, "assignee_id")
            )
            report.breaches += [(pk, clock, due) for pk, due, _assignee in found]
            if not dry_run and found:
                SlaBreach.objects.bulk_create(
                    [
                        SlaBreach(ticket_id=pk, kind=clock, due_at=due, detected_at=now, manager_id=assignee)
                        for pk, due, assignee in found
                    ],
                    ignore_conflicts=True,
                )
                breach_ids = list(
                    SlaBreach.objects.filter(ticket_id__in=[pk for pk, _d, _a in found], kind=clock).values_list(
                        "pk", flat=True
                    )
                )
                transaction.on_commit(lambda ids=breach_ids: sla_breaches_notify.delay(ids))

            warned = list(
                warnings_due(clock=clock, now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)
            )
            report.warnings += [(pk, clock) for pk in warned]
            if not dry_run and warned:
                Ticket.objects.filter(pk__in=warned).update(**{warned_field: True})
                transaction.on_commit(lambda ids=warned, c=clock: sla_warnings_notify.delay(ids, c))
    return report
