"""Run the SLA sweep by hand; `--dry-run --at ISO` lists what would be breached at that instant, writing nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tickets.sweep import sla_sweep


class Command(BaseCommand):
    help = "Record SLA breaches and send 80% warnings that are due (the same sweep Celery beat runs every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be recorded.")
        parser.add_argument("--at", help="The instant to sweep at, ISO 8601 with a time zone (needs --dry-run).")

    def handle(self, *args, dry_run: bool, at: str | None, **options):
        now = timezone.now()
        if at:
            if not dry_run:
                raise CommandError("--at is only allowed with --dry-run: breaches are recorded at the real time.")
            now = parse_datetime(at)
            if now is None or timezone.is_naive(now):
                raise CommandError(f"--at {at!r} is not an ISO 8601 date and time with a time zone.")
        report = sla_sweep(now=now, dry_run=dry_run)
        verb = "would record" if dry_run else "recorded"
        for ticket_id, clock, due in report.breaches:
            self.stdout.write(f"PS-{ticket_id:06d} {clock} breach, due {timezone.localtime(due):%Y-%m-%d %H:%M %Z}")
        for ticket_id, clock in report.warnings:
            self.stdout.write(f"PS-{ticket_id:06d} {clock} warning")
        self.stdout.write(
            f"{now.isoformat()}: {verb} {len(report.breaches)} breaches and {len(report.warnings)} warnings."
        )
