"""Server time of the lists, search, the SLA audit, the queue and the ticket page at 1k, 100k and 1M tickets.

PostgreSQL only (DATABASE_URL), in a database of its own that it creates and drops. The tickets grow in stages
(`--sizes 1000,100000,1000000`); each stage adds tickets with the same spread (two years of filing, about 5,000
tickets per partner, two projects per partner, a manager per five projects, a tenth of the tickets with a comment
and a time entry, breaches on some of the accepted ones), then VACUUM ANALYZE and a CHECKPOINT, then times every
endpoint through the whole Django stack (middleware, session login, templates) with the test client: the median of
`--runs` requests after two warm-up ones. The first partner and its manager stop growing after the first size, so
their pages are the same at every size and their ratios are the cost of the table's size; the newest partner and
manager are measured too, a tenant as each size has them, whose fuller pages add to their ratios. It prints one
table per size and at the end each endpoint's medians with the ratio to the first size, and a bare DRF list of 25
tickets ordered by primary key for comparison. The SLA audit's default page reads the figures the worker stores
every minute, so the worker's run is timed too, and a partner's page, whose figures are computed on request.
"""

import argparse
import functools
import os
import statistics
import time

from _django import throwaway_postgres

os.environ.setdefault("SECRET_KEY", "bench-only")

TICKETS_PER_PARTNER = 5_000
PROJECTS_PER_PARTNER = 2
PROJECTS_PER_MANAGER = 5
# The first partner (member0) and its manager (manager0, its two projects only) stop growing after the first size:
# their pages show at every size what they showed at the first, so their ratios are the cost of the table's size
# alone. The newest partner and manager are a tenant as the bigger sizes have them (about 5,000 tickets a partner,
# three to five projects a manager), measured too: their ratios add what a fuller page costs.
SPAN_DAYS = 730
SEARCH_WORD = "ref1234"  # each ticket mentions one of 2,000 client references: 1 ticket in 2,000 matches
WIDTH = 44  # of the endpoints' names in the tables
FIGURES = "SLA audit figures (the worker, a minute)"
COMMON_WORD = "інтеграція"  # in about 1 ticket in 5: the worst case of a ranked search

VOCABULARY = (
    "request export import report contact deal invoice pipeline lead task field filter user role access error "
    "form sync webhook api email template phone call calendar dashboard widget status stage funnel account "
    "license backup restore permission duplicate merge upload download csv excel pdf print label chart "
    "замовлення клієнт угода рахунок звіт помилка доступ користувач поле фільтр інтеграція синхронізація шаблон "
    "заказ клиент сделка счет отчет ошибка доступ пользователь поле фильтр интеграция синхронизация шаблон "
    "slow timeout crash freeze login password reset token limit quota migration upgrade version release "
    "настройка налаштування документ договір акт оплата платеж повідомлення уведомление"
).split()


def _sql_words(count_sql: str) -> str:
    """SQL for `count_sql` words of the vocabulary, rarer ones less often (square of a uniform pick)."""
    return (
        f"array_to_string(ARRAY(SELECT v.words[1 + floor(power(random(), 2) * {len(VOCABULARY)})::int] "
        f"FROM generate_series(1, {count_sql}) AS w), ' ')"
    )


TICKETS_SQL = f"""
WITH vocabulary AS (SELECT %(vocabulary)s::text[] AS words),
s AS (
    SELECT g, %(first)s + floor(random() * (%(projects)s - %(first)s))::int AS project_index,
           random() AS r, random() AS r2, now() - random() * interval '{SPAN_DAYS} days' AS filed
    FROM generate_series(1, %(count)s) AS g
),
t AS (
    SELECT s.*, bp.project_id, bp.partner_id, bp.author_id, bp.manager_id,
           CASE WHEN s.r < 0.70 THEN 'simple' WHEN s.r < 0.85 THEN 'bug' WHEN s.r < 0.95 THEN 'composite'
                ELSE 'enhancement' END AS kind,
           CASE WHEN s.filed < now() - interval '14 days'
                THEN CASE WHEN s.r2 < 0.92 THEN 'closed' WHEN s.r2 < 0.97 THEN 'cancelled' ELSE 'rejected' END
                ELSE CASE WHEN s.r2 < 0.2 THEN 'new' WHEN s.r2 < 0.6 THEN 'accepted'
                          WHEN s.r2 < 0.7 THEN 'waiting_partner' ELSE 'resolved' END
           END AS status,
           s.filed + random() * interval '90 minutes' AS accepted,
           random() * 600 + 30 AS resolve_minutes
    FROM s JOIN bench_projects AS bp ON bp.project_index = s.project_index
)
INSERT INTO tickets_ticket (
    project_id, partner_id, author_id, assignee_id, channel, kind, title, description, status, parts,
    resolution, reject_reason, resolution_round, created_at, accepted_at, resolved_at, closed_at, cancelled_at,
    accept_due_at, accept_warn_at, accept_warned, resolve_due_at, resolve_warn_at, resolve_warned,
    accept_working_minutes, resolve_working_minutes
)
SELECT t.project_id, t.partner_id, t.author_id, t.manager_id, CASE WHEN t.g %% 3 = 0 THEN 'api' ELSE 'web' END,
       t.kind, {_sql_words("3 + t.g %% 4")},
       {_sql_words("15 + t.g %% 25")} || ' ref' || floor(random() * 2000)::int, t.status,
       CASE WHEN t.kind = 'composite' THEN 2 + t.g %% 4 END,
       CASE WHEN t.status IN ('closed', 'resolved') THEN 'Done.' ELSE '' END,
       CASE WHEN t.status = 'rejected' THEN 'Out of scope.' ELSE '' END,
       CASE WHEN t.status IN ('closed', 'resolved') THEN 1 ELSE 0 END,
       t.filed,
       CASE WHEN t.status IN ('closed', 'resolved', 'accepted', 'waiting_partner') THEN t.accepted END,
       CASE WHEN t.status IN ('closed', 'resolved')
            THEN t.accepted + t.resolve_minutes * interval '1 minute' END,
       CASE WHEN t.status IN ('closed', 'rejected') THEN t.accepted + interval '3 days' END,
       CASE WHEN t.status = 'cancelled' THEN t.filed + interval '1 hour' END,
       t.filed + interval '1 hour', t.filed + interval '48 minutes', t.status <> 'new',
       CASE WHEN t.status IN ('closed', 'resolved', 'accepted', 'waiting_partner')
            THEN t.accepted + interval '8 hours' END,
       CASE WHEN t.status IN ('closed', 'resolved', 'accepted', 'waiting_partner')
            THEN t.accepted + interval '6 hours' END,
       t.status <> 'accepted',
       CASE WHEN t.status IN ('closed', 'resolved', 'accepted', 'waiting_partner') THEN random() * 90 END,
       CASE WHEN t.status IN ('closed', 'resolved') THEN t.resolve_minutes END
FROM t, vocabulary AS v
"""

FOLLOW_UP_SQL = [
    # a comment and a time entry on one ticket in ten; a breach on one accepted ticket in fifteen (its trigger flags
    # the ticket, as with every breach)
    """INSERT INTO tickets_comment (ticket_id, author_id, body, internal, created_at)
       SELECT id, author_id, 'Any news on this? ' || title, false, created_at + interval '2 hours'
       FROM tickets_ticket WHERE id > %(after)s AND id %% 10 = 0""",
    """INSERT INTO tickets_timeentry (ticket_id, author_id, minutes, note, created_at)
       SELECT id, assignee_id, 30 + id %% 60, 'Analysis', accepted_at + interval '1 hour'
       FROM tickets_ticket WHERE id > %(after)s AND id %% 10 = 0 AND accepted_at IS NOT NULL""",
    """INSERT INTO tickets_slabreach (ticket_id, kind, due_at, detected_at, manager_id, review, review_note)
       SELECT id, 'acceptance', accept_due_at, accept_due_at + interval '1 minute', assignee_id, 'open', ''
       FROM tickets_ticket WHERE id > %(after)s AND id %% 15 = 0 AND accepted_at IS NOT NULL""",
]


def grow_to(size: int) -> float:
    """Add partners, projects, managers and tickets until there are `size` tickets; returns the seconds taken."""
    from django.db import DatabaseError, connection
    from django.utils import timezone

    from accounts.models import Partner, Project, Role, User
    from tickets.models import Ticket

    started = time.perf_counter()
    partners_wanted = max(1, size // TICKETS_PER_PARTNER)
    today = timezone.localdate()
    for index in range(Partner.objects.count(), partners_wanted):
        partner = Partner.objects.create(name=f"Partner {index}", contract_number=f"B-{index}", contract_date=today)
        User.objects.create_user(f"member{index}@bench.local", "bench", role=Role.PARTNER_MEMBER, partner=partner)
        for number in range(PROJECTS_PER_PARTNER):
            project_index = index * PROJECTS_PER_PARTNER + number
            # The first partner's two projects have a manager of their own (the note at PROJECTS_PER_MANAGER).
            manager_index = 0 if index == 0 else 1 + (project_index - PROJECTS_PER_PARTNER) // PROJECTS_PER_MANAGER
            manager, _created = User.objects.get_or_create(
                email=f"manager{manager_index}@bench.local", defaults={"role": Role.MANAGER}
            )
            Project.objects.create(partner=partner, name=f"Project {number}", manager=manager)
    last_id = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_projects")
        cursor.execute(
            """CREATE TEMP TABLE bench_projects AS
               SELECT (row_number() OVER (ORDER BY p.id) - 1)::int AS project_index, p.id AS project_id,
                      p.partner_id, p.manager_id,
                      (SELECT min(u.id) FROM accounts_user u WHERE u.partner_id = p.partner_id) AS author_id
               FROM accounts_project p"""
        )
        projects = Project.objects.count()
        existing = Ticket.objects.count()
        count = size - existing
        # After the first size, the first partner's projects get no more tickets (the note at PROJECTS_PER_MANAGER).
        first = PROJECTS_PER_PARTNER if existing and projects > PROJECTS_PER_PARTNER else 0
        if count > 0:
            cursor.execute(
                TICKETS_SQL, {"vocabulary": VOCABULARY, "projects": projects, "first": first, "count": count}
            )
            for sql in FOLLOW_UP_SQL:
                cursor.execute(sql, {"after": last_id})
        cursor.execute("VACUUM ANALYZE")
        # The load's dirty pages are written now, not by a checkpoint in the middle of the timings (a superuser's
        # or pg_checkpoint's right: without it the timings go on, noisier).
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:
            print(f"  no CHECKPOINT: {error}".rstrip(), flush=True)
    return time.perf_counter() - started


def bare_list_view():
    """A DRF list of 25 tickets by primary key with a plain model serializer: the floor to compare with."""
    from rest_framework import generics, serializers

    from tickets.models import Ticket

    class BareSerializer(serializers.ModelSerializer):
        class Meta:
            model = Ticket
            fields = ["id", "title", "status", "kind", "created_at", "accept_due_at", "resolve_due_at"]

    class BareList(generics.ListAPIView):
        serializer_class = BareSerializer
        pagination_class = None

        def get_queryset(self):
            return Ticket.objects.order_by("pk")[:25]

    return BareList.as_view()


def median_ms(client, url: str, runs: int) -> float:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return median_call_ms(get, runs)


def median_call_ms(call, runs: int) -> float:
    """The median time of `runs` calls after two warm-up ones."""
    for _ in range(2):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_users() -> dict:
    """Who asks: the first partner's member and its manager (the same tenant at every size), the newest partner's
    member and the newest manager (a tenant as this size has them; the same people at the first size), and an
    administrator."""
    from accounts.models import Role, User

    newest_member = User.objects.filter(email__startswith="member").order_by("-partner_id").first()
    newest_manager = User.objects.filter(role=Role.MANAGER, email__startswith="manager").order_by("-id").first()
    return {
        "member": User.objects.get(email="member0@bench.local"),
        "manager": User.objects.get(email="manager0@bench.local"),
        "newest member": newest_member,
        "newest manager": newest_manager,
        "admin": User.objects.get_or_create(email="admin@bench.local", defaults={"role": Role.ADMIN})[0],
    }


def last_page_link(member) -> str:
    from django.test import Client
    from django.urls import reverse

    probe = Client()
    probe.force_login(member)
    return probe.get(reverse("tickets:list")).context["links"].last or "?"


def deep_api_page(member) -> str:
    """The 21st page of 25 of the member's API list, by cursor (the cost must not depend on how far)."""
    from django.test import Client

    probe = Client()
    probe.force_login(member)
    cursor = probe.get("/api/v1/tickets/?page_size=25").json()["next"] or "/api/v1/tickets/?page_size=25"
    for _ in range(20):
        page = probe.get(cursor).json()
        if not page["next"]:
            break
        cursor = page["next"]
    return cursor.replace("http://testserver", "")


def endpoints(users: dict) -> list[tuple[str, str, str]]:
    """(name, who, url) of each endpoint measured, for the data as it is now. A name without "newest" is asked by
    the first partner's member or its manager."""
    from django.urls import reverse

    from tickets.models import Ticket

    member, manager = users["member"], users["manager"]
    ticket = Ticket.objects.filter(partner_id=member.partner_id).order_by("-created_at", "-id").first()
    tickets, audit, queue = reverse("tickets:list"), reverse("staff:audit"), reverse("tickets:queue")
    return [
        ("bare DRF list, 25 by pk", "admin", "/bench/bare/"),
        ("API list, first page (partner)", "member", "/api/v1/tickets/"),
        ("API list, first page (admin)", "admin", "/api/v1/tickets/"),
        ("API list, first 25 rows (partner)", "member", "/api/v1/tickets/?page_size=25"),
        ("API list, 21st page by cursor", "member", deep_api_page(member)),
        ("API list, ordering=resolve_due_at", "admin", "/api/v1/tickets/?ordering=resolve_due_at"),
        ("list page (partner)", "member", tickets),
        ("list page, last page (partner)", "member", tickets + last_page_link(member)),
        ("list page (manager)", "manager", tickets),
        ("manager search", "manager", f"{tickets}?search={SEARCH_WORD}"),
        ("API search (admin)", "admin", f"/api/v1/tickets/?search={SEARCH_WORD}"),
        ("manager search, a word in 1 of 5", "manager", f"{tickets}?search={COMMON_WORD}"),
        ("API search, a word in 1 of 5 (admin)", "admin", f"/api/v1/tickets/?search={COMMON_WORD}"),
        ("/staff/sla/", "admin", audit),
        ("/staff/sla/, one manager", "admin", f"{audit}?manager={manager.pk}"),
        ("/staff/sla/, one partner", "admin", f"{audit}?partner={member.partner_id}"),
        ("queue (manager)", "manager", queue),
        ("ticket page (partner)", "member", reverse("tickets:detail", args=[ticket.pk])),
        ("API list, first page (newest partner)", "newest member", "/api/v1/tickets/"),
        ("list page (newest partner)", "newest member", tickets),
        ("last page (newest partner)", "newest member", tickets + last_page_link(users["newest member"])),
        ("list page (newest manager)", "newest manager", tickets),
        ("search (newest manager)", "newest manager", f"{tickets}?search={SEARCH_WORD}"),
        ("search, a word in 1 of 5 (newest manager)", "newest manager", f"{tickets}?search={COMMON_WORD}"),
        ("/staff/sla/, the newest manager", "admin", f"{audit}?manager={users['newest manager'].pk}"),
        ("queue (newest manager)", "newest manager", queue),
    ]


def measure(runs: int) -> dict[str, float]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from staff.services import audit_figures_refresh

    users = bench_users()
    clients = {}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
        session = clients[who].session
        session[settings.TWO_FACTOR_SESSION_KEY] = user.pk  # logged in with the second factor
        session.save()
    results = {}
    for name, who, url in endpoints(users):
        if url.startswith(reverse("staff:audit")):
            if FIGURES not in results:
                # The worker's run that stores the figures of the audit's default period (for all managers or one;
                # a partner's are computed by the page).
                refresh = functools.partial(audit_figures_refresh, now=timezone.now())
                results[FIGURES] = median_call_ms(refresh, runs)
                print(f"  {FIGURES:<{WIDTH}} {results[FIGURES]:8.1f} ms", flush=True)
            audit_figures_refresh(now=timezone.now())  # fresh for this page, as the worker keeps them
            stored = clients[who].get(url).context["as_of"] is not None
            assert stored == ("partner=" not in url), (name, "stored figures" if stored else "computed figures")
        results[name] = median_ms(clients[who], url, runs)
        print(f"  {name:<{WIDTH}} {results[name]:8.1f} ms", flush=True)
    return results


urlpatterns: list = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000", help="ticket counts, comma-separated, ascending")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per endpoint and size")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, to look into it")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    with throwaway_postgres("ps_bench_scale", keep=arguments.keep) as ready:
        if not ready:
            return
        from django.test.utils import override_settings, setup_test_environment
        from django.urls import include, path

        setup_test_environment(debug=False)
        urlpatterns[:] = [path("bench/bare/", bare_list_view()), path("", include("partner_support.urls"))]
        from django.conf import settings

        unthrottled = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
        table: dict[int, dict[str, float]] = {}
        with override_settings(ROOT_URLCONF=__name__, REST_FRAMEWORK=unthrottled):
            for size in sizes:
                seconds = grow_to(size)
                print(f"== {size:,} tickets (loaded in {seconds:.0f} s)", flush=True)
                table[size] = measure(arguments.runs)
        first = sizes[0]
        print("\nmedian server time, ms (ratio to the first size)")
        print(f"{'endpoint':<{WIDTH}}" + "".join(f"{size:>20,}" for size in sizes))
        for name in table[first]:
            cells = "".join(
                f"{table[size][name]:>11.1f} ({table[size][name] / table[first][name]:4.2f}x)" for size in sizes
            )
            print(f"{name:<{WIDTH}}{cells}")
        last = sizes[-1]
        bare = table[last]["bare DRF list, 25 by pk"]
        for name in (
            "API list, first page (partner)",
            "API list, first page (admin)",
            "API list, first 25 rows (partner)",
        ):
            print(f"{name} / bare DRF list at {last:,}: {table[last][name] / bare:.2f}x")


if __name__ == "__main__":
    main()
