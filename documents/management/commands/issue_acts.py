"""Issue the acts of a past month by hand (the beat task does it from the first working day of the next month)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from documents.services import acts_issue_for_month
from partner_support.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue the acts of services not issued yet for a month that has ended (issued ones stay as they are)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month, as YYYY-MM (e.g. 2026-11).")

    def handle(self, *args, month: str, **options):
        try:
            year, number = (int(part) for part in month.split("-"))
            period = date(year, number, 1)
        except ValueError as error:
            raise CommandError("--month takes YYYY-MM, e.g. 2026-11.") from error
        try:
            acts = acts_issue_for_month(period=period)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for act in acts:
            self.stdout.write(f"{act.number} {act.partner.name} {act.total} {act.currency}")
        self.stdout.write(f"{len(acts)} acts for {period:%Y-%m}.")
