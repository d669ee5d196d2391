"""Fill the working minutes of acceptance and resolution of the tickets accepted before they were stored."""

from zoneinfo import ZoneInfo

from django.db import migrations

from tickets.worktime import WorkCalendar, default_calendar, working_time_between

BATCH = 2000


def _calendars(apps) -> dict:
    """Every usable calendar's value by id, the default one also under None (as tickets.sla.calendar_values)."""
    WorkingCalendar = apps.get_model("tickets", "WorkingCalendar")
    values = {None: default_calendar()}
    for calendar in WorkingCalendar.objects.prefetch_related("intervals", "days"):
        weekly = {}
        for interval in sorted(calendar.intervals.all(), key=lambda i: (i.weekday, i.start)):
            weekly.setdefault(interval.weekday, []).append((interval.start, interval.end))
        days = list(calendar.days.all())
        try:
            value = WorkCalendar(
                tz=ZoneInfo(calendar.timezone),
                weekly=weekly,
                holidays=frozenset(d.date for d in days if d.kind == "holiday"),
                extra_working_days=frozenset(d.date for d in days if d.kind == "extra"),
            )
        except (ValueError, KeyError):
            continue
        values[calendar.pk] = value
        if calendar.is_default:
            values[None] = value
    return values


def fill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Partner = apps.get_model("accounts", "Partner")
    calendars = _calendars(apps)
    partner_calendar = dict(Partner.objects.values_list("pk", "calendar_id"))
    pending = Ticket.objects.filter(accepted_at__isnull=False, accept_working_minutes__isnull=True).order_by("pk")
    last_pk = 0
    while True:
        batch = list(
            pending.filter(pk__gt=last_pk).only(
                "pk", "status", "partner_id", "created_at", "accepted_at", "resolved_at"
            )[:BATCH]
        )
        if not batch:
            return
        for ticket in batch:
            calendar = calendars.get(partner_calendar.get(ticket.partner_id)) or calendars[None]
            ticket.accept_working_minutes = (
                working_time_between(ticket.created_at, ticket.accepted_at, calendar).total_seconds() / 60
            )
            if ticket.resolved_at:
                ticket.resolve_working_minutes = (
                    working_time_between(ticket.accepted_at, ticket.resolved_at, calendar).total_seconds() / 60
                )
        Ticket.objects.bulk_update(batch, ["accept_working_minutes", "resolve_working_minutes"])
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_scale_indexes"), ("accounts", "0002_partner_calendar")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
