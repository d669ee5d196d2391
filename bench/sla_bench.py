"""The SLA sweep over 100,000 open tickets of which 1% are overdue (PostgreSQL), with the query plans."""

import time
from datetime import timedelta

from _django import throwaway_postgres

OPEN_TICKETS = 100_000
OVERDUE_SHARE = 0.01


def main() -> None:
    with throwaway_postgres("ps_bench_sla") as ready:
        if not ready:
            return
        from django.db import connection
        from django.utils import timezone

        from accounts.models import Partner, Project, Role, User
        from tickets.models import SlaBreach, Ticket
        from tickets.sweep import overdue, sla_sweep

        now = timezone.now()
        partner = Partner.objects.create(name="Bench", contract_number="B-1", contract_date=now.date())
        manager = User.objects.create_user("m@bench.local", None, role=Role.MANAGER)
        author = User.objects.create_user("p@bench.local", None, role=Role.PARTNER_MEMBER, partner=partner)
        project = Project.objects.create(partner=partner, name="P", manager=manager)
        overdue_every = int(1 / OVERDUE_SHARE)
        started = time.perf_counter()
        batch = []
        for n in range(OPEN_TICKETS):
            late = n % overdue_every == 0
            due = now - timedelta(minutes=5) if late else now + timedelta(hours=4)
            common = {"project": project, "partner": partner, "author": author, "assignee": manager, "title": f"T{n}"}
            if n % 2:
                ticket = Ticket(kind="simple", description="-", accept_due_at=due, accept_warn_at=due, **common)
            else:
                ticket = Ticket(
                    kind="simple", status="accepted", description="-", resolve_due_at=due, resolve_warn_at=due, **common
                )
            batch.append(ticket)
        Ticket.objects.bulk_create(batch, batch_size=5000)
        print(f"created {OPEN_TICKETS} tickets in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        for clock in ("acceptance", "resolution"):
            sql, params = overdue(clock=clock, now=now).values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                print(f"EXPLAIN overdue {clock}:")
                for (line,) in cursor.fetchall():
                    print("   ", line)

        started = time.perf_counter()
        report = sla_sweep(now=now, dry_run=True)
        print(f"sweep (dry run):  {time.perf_counter() - started:.3f} s, {len(report.breaches)} overdue found")
        started = time.perf_counter()
        report = sla_sweep(now=now)
        elapsed = time.perf_counter() - started
        print(f"sweep (recording): {elapsed:.3f} s, {SlaBreach.objects.count()} breaches recorded")
        started = time.perf_counter()
        sla_sweep(now=now)
        print(f"sweep (nothing new): {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
