"""Writing the audit log: a snapshot of an object's fields, and one row per administrative change."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models

from .models import AuditAction, AuditEvent


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | date | datetime | time | timedelta):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model) -> dict:
    """The instance's own fields (foreign keys as ids, secrets such as password hashes left out), JSON-safe."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("password",):
            continue
        values[field.attname] = _plain(getattr(instance, field.attname))
    return values


def audit_record(
    *,
    actor,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Append one row to the audit log; a change that changed nothing is not recorded."""
    if action == AuditAction.CHANGED and before == after:
        return None
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        note=note,
    )
