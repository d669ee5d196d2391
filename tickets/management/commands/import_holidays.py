"""Import a country's public holidays for a year from the `holidays` package into a working calendar."""

from django.core.management.base import BaseCommand, CommandError

from tickets.calendars import holidays_import
from tickets.models import WorkingCalendar


class Command(BaseCommand):
    help = (
        "Add a country's public holidays for a year as days off of a calendar. Check the result: under martial "
        "law Ukraine has no public days off, so the package lists none that are days off; add the company's own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", default="UA", help="ISO 3166 code, e.g. UA, PL, DE (default UA).")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--calendar", help="Calendar name (default: the default calendar).")

    def handle(self, *args, country: str, year: int, calendar: str | None, **options):
        target = (
            WorkingCalendar.objects.filter(name=calendar).first()
            if calendar
            else WorkingCalendar.objects.filter(is_default=True).first()
        )
        if target is None:
            raise CommandError(f"No calendar {calendar!r}." if calendar else "There is no default calendar.")
        try:
            added, listed = holidays_import(calendar=target, country=country, year=year)
        except NotImplementedError as error:
            raise CommandError(f"Unknown country {country!r}: {error}") from None
        self.stdout.write(f"{target}: {listed} days off listed for {country} {year}, {added} added.")
        if listed == 0:
            self.stdout.write(
                self.style.WARNING("The package lists no days off: add the company's own days off by hand.")
            )
