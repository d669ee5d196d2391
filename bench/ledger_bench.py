"""Debits per second: 8 worker threads resolving (capturing) tickets on one deposit account and on eight.

Every capture locks the partner's account row, so captures on one account are serialised by design; on eight
accounts they run side by side. Tickets and holds are created first; only the captures are timed. Then
`reconcile_ledger` must find every account exact. Runs against a throwaway PostgreSQL database.
"""

import queue
import threading
import time
from decimal import Decimal

from _django import throwaway_postgres

TICKETS = 2_000
WORKERS = 8
PRICE = Decimal("180.00")


def prepare(*, accounts: int, label: str) -> list[int]:
    """`accounts` partners, each funded for its share of TICKETS, each ticket with its hold; returns ticket ids."""
    from django.utils import timezone

    from accounts.models import Partner, Project, Role, User
    from billing.services import deposit_top_up, hold_place
    from tickets.models import Ticket

    admin = User.objects.get(email="admin@bench.local")
    per_account = TICKETS // accounts
    by_account = []
    for index in range(accounts):
        partner = Partner.objects.create(
            name=f"{label} {index}", contract_number=f"{label}-{index}", contract_date=timezone.localdate()
        )
        author = User.objects.create_user(
            f"{label}-{index}@bench.local", None, role=Role.PARTNER_MEMBER, partner=partner
        )
        project = Project.objects.create(partner=partner, name="P")
        deposit_top_up(
            partner=partner,
            amount=PRICE * (per_account + 10),
            actor=admin,
            memo="bench",
            idempotency_key=f"bench:{label}:{index}",
        )
        by_account.append(
            Ticket.objects.bulk_create(
                Ticket(project=project, partner=partner, author=author, kind="simple", title=f"T{n}", description="-")
                for n in range(per_account)
            )
        )
    # Interleave the accounts, so that the workers take tickets of different partners at the same time.
    tickets = [ticket for round_ in zip(*by_account, strict=True) for ticket in round_]
    for ticket in tickets:
        hold_place(ticket=ticket, amount=PRICE)
    return [ticket.pk for ticket in tickets]


def capture_all(ticket_ids: list[int]) -> tuple[float, int]:
    """Capture every ticket with WORKERS threads; returns (seconds, errors)."""
    from django.db import connection, transaction

    from billing.services import hold_capture
    from tickets.models import Ticket

    work: queue.Queue[int] = queue.Queue()
    for ticket_id in ticket_ids:
        work.put(ticket_id)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            while True:
                try:
                    ticket_id = work.get_nowait()
                except queue.Empty:
                    return
                with transaction.atomic():
                    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
                    hold_capture(ticket=ticket, actor=None, allow_overdraft=False)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, len(errors)


def main() -> int:
    with throwaway_postgres("ps_bench_ledger") as ready:
        if not ready:
            return 0
        from django.core.management import CommandError, call_command

        from accounts.models import Role, User
        from billing.models import EntryKind, LedgerEntry

        User.objects.create_user("admin@bench.local", None, role=Role.ADMIN)
        for accounts in (1, 8):
            ticket_ids = prepare(accounts=accounts, label=f"A{accounts}")
            seconds, errors = capture_all(ticket_ids)
            print(
                f"{accounts} account(s), {WORKERS} threads: {len(ticket_ids)} debits in {seconds:.2f} s = "
                f"{len(ticket_ids) / seconds:,.0f} debits/s ({errors} errors)"
            )
        print(f"debits written: {LedgerEntry.objects.filter(kind=EntryKind.DEBIT).count()}")
        try:
            call_command("reconcile_ledger")
        except CommandError as error:
            print(f"reconcile: FAILED ({error})")
            return 1
        print("reconcile: OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
