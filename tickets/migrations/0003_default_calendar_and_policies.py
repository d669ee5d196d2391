from datetime import time

from django.db import migrations

RESOLVE_MINUTES = {"simple": 480, "bug": 180, "composite": 480, "enhancement": None}


def create_defaults(apps, schema_editor):
    WorkingCalendar = apps.get_model("tickets", "WorkingCalendar")
    WorkingInterval = apps.get_model("tickets", "WorkingInterval")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    if not WorkingCalendar.objects.filter(is_default=True).exists():
        calendar = WorkingCalendar.objects.create(
            name="Kyiv office, Mon-Fri 09:00-18:00", timezone="Europe/Kyiv", is_default=True
        )
        WorkingInterval.objects.bulk_create(
            WorkingInterval(calendar=calendar, weekday=weekday, start=time(9), end=time(18)) for weekday in range(5)
        )
    for kind, minutes in RESOLVE_MINUTES.items():
        SlaPolicy.objects.get_or_create(
            partner=None, kind=kind, defaults={"accept_minutes": 60, "resolve_minutes": minutes}
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_calendarday_slabreach_slapolicy_workingcalendar_and_more")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
