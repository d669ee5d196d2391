"""Check every ticket's breach flags against its recorded breaches; exit non-zero when one disagrees."""

from django.core.management.base import BaseCommand, CommandError

from tickets.sla import breach_flag_mismatches, breach_flags_repair

SHOWN = 20  # ticket numbers listed per clock


class Command(BaseCommand):
    help = (
        "For every ticket: acceptance_breached and resolution_breached, which the SLA audit and the monthly report "
        "count, are set exactly when a breach of that clock is recorded. Exits with status 1 listing the tickets "
        "that disagree; --fix sets their flags from the breaches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Set the disagreeing flags from the breach rows.")

    def handle(self, *args, fix: bool, **options):
        mismatches = breach_flag_mismatches()
        wrong = sum(len(ticket_ids) for ticket_ids in mismatches.values())
        for clock, ticket_ids in mismatches.items():
            if not ticket_ids:
                continue
            numbers = ", ".join(f"PS-{ticket_id:06d}" for ticket_id in ticket_ids[:SHOWN])
            more = f" and {len(ticket_ids) - SHOWN} more" if len(ticket_ids) > SHOWN else ""
            self.stdout.write(self.style.ERROR(f"{clock}: {len(ticket_ids)} flags disagree: {numbers}{more}"))
            if fix:
                changed = breach_flags_repair(ticket_ids=ticket_ids, clock=clock)
                self.stdout.write(f"  fixed {changed}")
        if wrong and fix:
            wrong = sum(len(ticket_ids) for ticket_ids in breach_flag_mismatches().values())
        if wrong:
            advice = "" if fix else " (run with --fix to set them)"
            raise CommandError(f"{wrong} breach flags disagree with the recorded breaches{advice}")
        self.stdout.write(self.style.SUCCESS("OK: every breach flag agrees with the recorded breaches"))
