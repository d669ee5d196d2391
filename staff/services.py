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
    stored. A row per time zone, written in one statement, so a run that overlaps another or repeats is harmless:
    each row is a whole computation, the last written. The rows of time zones nobody reads in any more go."""
    administrators = User.objects.filter(role=Role.ADMIN, is_active=True)
    zones = {settings.TIME_ZONE, *administrators.values_list("timezone", flat=True)}
    stored = []
    for name in sorted(zones):
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue  # such an administrator is shown the service's time zone (accounts.middleware)
        with timezone.override(zone):
            since, until = default_period(now)
            levels = audit_levels(since=since, until=until)
        with transaction.atomic(durable=True):
            figures = AuditFigures(
                time_zone=name, since=since, until=until, computed_at=now, levels=levels_to_json(levels)
            )
            AuditFigures.objects.bulk_create(
                [figures],
                update_conflicts=True,
                unique_fields=["time_zone"],
                update_fields=["since", "until", "computed_at", "levels"],
            )
        stored.append(name)
    AuditFigures.objects.exclude(time_zone__in=stored).delete()
    return len(stored)
