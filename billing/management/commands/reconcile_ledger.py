"""Check every deposit against its ledger and holds; exit non-zero when one does not add up."""

from django.core.management.base import BaseCommand, CommandError

from billing.selectors import reconciliation
from billing.services.pricing import money


class Command(BaseCommand):
    help = (
        "For every deposit account: balance == sum of its ledger entries, held == sum of its active holds, and the "
        "last entry's balance_after == balance. Exits with status 1 listing the accounts that do not reconcile."
    )

    def handle(self, *args, **options):
        broken = []
        count = 0
        for account in reconciliation():
            count += 1
            # SQLite sums decimal columns in floating point: back to cents before comparing.
            account.entries_total, account.holds_total = money(account.entries_total), money(account.holds_total)
            problems = []
            if account.balance != account.entries_total:
                problems.append(f"balance {account.balance:.2f} != sum of entries {account.entries_total:.2f}")
            if account.held != account.holds_total:
                problems.append(f"held {account.held:.2f} != sum of active holds {account.holds_total:.2f}")
            if account.last_balance_after is not None and account.last_balance_after != account.balance:
                problems.append(
                    f"last entry's balance_after {account.last_balance_after:.2f} != balance {account.balance:.2f}"
                )
            if problems:
                broken.append(f"{account.partner.name} (account {account.pk})")
                self.stdout.write(self.style.ERROR(f"{account.partner.name} (account {account.pk}): "))
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
        if broken:
            raise CommandError(f"{len(broken)} of {count} accounts do not reconcile: {', '.join(broken)}")
        self.stdout.write(self.style.SUCCESS(f"OK: {count} accounts reconciled"))
