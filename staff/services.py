"""Writes of the administrators' console of its own (the rest are the domain apps' services it calls)."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from tickets.sla_stats import levels_to_json

from .models import AuditFigures
from .selectors import audit_levels, default_period


def audit_figures_refresh(*, now: datetime) -> int:
    """Compute and store the SLA figures of the audit's default period (the eight weeks up to the day of `now`) in
    the service's time zone and in each one an active administrator reads the audit in; returns how many were
    stored. The worker runs it (no actor: it changes no business state, only what the audit page reads).

    The figures are computed first, then written in one transaction that holds every stored row: a run that
    overlaps another waits for it and leaves alone the rows it finds computed at a later `now` (so an older run
    finishing last does not put yesterday's period back after midnight). The rows of time zones nobody reads the
    audit in any more, written before `now`, go."""
    administrators = User.objects.filter(role=Role.ADMIN, is_active=True)
    computed = {}
    for name in sorted({settings.TIME_ZONE, *administrators.values_list("timezone", flat=True)}):
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue  # such an administrator is shown the service's time zone (accounts.middleware)
        with timezone.override(zone):
            since, until = default_period(now)
            computed[name] = AuditFigures(
                time_zone=name,
                since=since,
                until=until,
                computed_at=now,
                levels=levels_to_json(audit_levels(since=since, until=until)),
            )
    with transaction.atomic(durable=True):
        held = dict(AuditFigures.objects.select_for_update().order_by("pk").values_list("time_zone", "computed_at"))
        newer = [figures for name, figures in computed.items() if held.get(name, now) <= now]
        AuditFigures.objects.bulk_create(
            newer,
            update_conflicts=True,
            unique_fields=["time_zone"],
            update_fields=["since", "until", "computed_at", "levels"],
        )
        AuditFigures.objects.exclude(time_zone__in=computed).filter(computed_at__lt=now).delete()
    return len(newer)
