"""Reading the audit log: searched and filtered by administrators."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_event_list(
    *, search: str = "", object_type: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    search = (search or "").strip()
    if search:
        events = events.filter(
            Q(object_repr__icontains=search)
            | Q(object_type__icontains=search)
            | Q(object_id=search)
            | Q(actor__email__icontains=search)
            | Q(note__icontains=search)
        )
    if object_type:
        events = events.filter(object_type=object_type)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(created_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return events


def audited_types() -> list[str]:
    return list(AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct())
