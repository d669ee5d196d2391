"""Lists, search and the SLA audit read index ranges, whatever the table's size: their plans on PostgreSQL have no
sequential scan and no sort of the rows (tiny test tables would make a sequential scan the cheapest plan, so the
planner is told to avoid one where an index exists, as it would on a large table)."""

import json

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext

from staff.selectors import audit_stats, breach_list, default_period
from tests.factories import AdminFactory, ManagerFactory, ProjectFactory
from tests.helpers import postgres_only
from tickets import selectors
from tickets.models import Ticket, deadline_key

pytestmark = [postgres_only, pytest.mark.django_db]


def plan_of(queryset) -> dict:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def node_types(plan: dict) -> set[str]:
    return {node["Node Type"] for node in nodes(plan)}


def index_names(plan: dict) -> set[str]:
    return {node["Index Name"] for node in nodes(plan) if "Index Name" in node}


def ticket_scans(plan: dict) -> set[str]:
    return {node["Node Type"] for node in nodes(plan) if node.get("Relation Name") == "tickets_ticket"}


TICKETS = 10_000
PROJECTS = 20


@pytest.fixture
def population(project, member):
    """10,000 tickets over 20 projects of 20 partners and 5 managers (the member's project among them), filed over
    two years, a tenth of them accepted and a few resolved: enough rows that the planner's choice is the one it
    makes on a large table. One ticket in a hundred mentions an export."""
    managers = [project.manager, *(ManagerFactory() for _ in range(4))]
    projects = [project, *(ProjectFactory(manager=managers[n % len(managers)]) for n in range(1, PROJECTS))]
    author = member
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tickets_ticket (
                project_id, partner_id, author_id, assignee_id, channel, kind, title, description, status,
                resolution, reject_reason, resolution_round, created_at, accepted_at, resolved_at, accept_due_at,
                resolve_due_at, accept_warned, resolve_warned, accept_working_minutes, resolve_working_minutes
            )
            SELECT p.id, p.partner_id, %s, p.manager_id, 'web', 'simple',
                   CASE WHEN n %% 100 = 0 THEN 'Export stops' ELSE 'Request ' || n END, 'Something needs attention.',
                   CASE WHEN n %% 10 = 0 THEN 'resolved' WHEN n %% 7 = 0 THEN 'accepted' ELSE 'closed' END,
                   '', '', 0, now() - (n || ' minutes')::interval * 50,
                   CASE WHEN n %% 10 = 0 OR n %% 7 = 0 THEN now() - (n || ' minutes')::interval * 50 END,
                   CASE WHEN n %% 10 = 0 THEN now() - (n || ' minutes')::interval * 49 END,
                   now() - (n || ' minutes')::interval * 49,
                   CASE WHEN n %% 7 = 0 THEN now() + interval '1 hour' END,
                   true, true,
                   CASE WHEN n %% 10 = 0 OR n %% 7 = 0 THEN 30 END,
                   CASE WHEN n %% 10 = 0 THEN 120 END
            FROM generate_series(1, %s) AS n
            JOIN accounts_project AS p ON p.id = (%s::bigint[])[1 + n %% %s]
            """,
            [author.pk, TICKETS, [p.pk for p in projects], len(projects)],
        )
        cursor.execute("ANALYZE tickets_ticket, accounts_project, accounts_partner, accounts_user, tickets_slabreach")
    assert Ticket.objects.count() == TICKETS
    return project


def first_page(queryset):
    return queryset[:51]


@pytest.mark.parametrize("who", ["partner", "manager", "admin"])
def test_default_list_is_an_index_range_without_sort(population, member, manager, who):
    user = {"partner": member, "manager": manager, "admin": AdminFactory()}[who]
    plan = plan_of(first_page(selectors.ticket_list(user=user).order_by("-created_at", "-id")))
    assert "Sort" not in node_types(plan)
    assert "Seq Scan" not in ticket_scans(plan)
    # A partner's list reads its own range of ticket_partner_created, or walks ticket_created when the partner
    # has so large a share of the tickets that the planner finds that as cheap; either way in order.
    expected = {"partner_created", "created"} if who == "partner" else {"created"}
    assert index_names(plan) & {f"ticket_{name}" for name in expected}


def test_a_small_managers_list_reads_the_managers_own_tickets(population, member):
    """A manager of one small project among 151 (8 of 23,000 tickets) is estimated at its own count: PostgreSQL keeps
    how many tickets each project has (migration tickets 0017: 1,000 values of the column, not 100). It expected
    about 100 before, the average of the projects it did not keep. At this size either estimate leads to the
    project index; at a million tickets over 400 projects the average (5,000 for a manager's 1,000) led to a walk
    of the whole table's filing order for the first 25 rows (129 ms instead of 4.5, bench/scale_bench.py)."""
    others = [ProjectFactory(manager=population.manager) for _ in range(130)]
    small = ProjectFactory(manager=ManagerFactory())
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO tickets_ticket (project_id, partner_id, author_id, channel, kind, title, description, status,
                   resolution, reject_reason, resolution_round, created_at, accept_warned, resolve_warned)
               SELECT p.id, p.partner_id, %s, 'web', 'simple', 'Request', '', 'closed', '', '', 0,
                      now() - (n || ' hours')::interval, true, true
               FROM generate_series(1, %s) AS n
               JOIN accounts_project AS p ON p.id = (%s::bigint[])[1 + n %% %s]""",
            [member.pk, 13_000, [p.pk for p in others], len(others)],
        )
        cursor.execute(
            """INSERT INTO tickets_ticket (project_id, partner_id, author_id, channel, kind, title, description, status,
                   resolution, reject_reason, resolution_round, created_at, accept_warned, resolve_warned)
               SELECT %s, %s, %s, 'web', 'simple', 'Small', '', 'closed', '', '', 0,
                      now() - (n * 97 || ' hours')::interval, true, true
               FROM generate_series(1, 8) AS n""",
            [small.pk, small.partner_id, member.pk],
        )
        cursor.execute("ANALYZE tickets_ticket")
    plan = plan_of(first_page(selectors.ticket_list(user=small.manager).order_by("-created_at", "-id")))
    [scan] = [node for node in nodes(plan) if node.get("Relation Name") == "tickets_ticket"]
    assert scan["Plan Rows"] < 30  # its 8 tickets (and its open assigned ones, none here)


@pytest.mark.parametrize("who", ["partner", "admin"])
@pytest.mark.parametrize("deadline", ["accept_due_at", "resolve_due_at"])
@pytest.mark.parametrize("sign", ["", "-"])
def test_deadline_orderings_are_index_ranges(population, member, who, deadline, sign):
    user = {"partner": member, "admin": AdminFactory()}[who]
    key = selectors.DEADLINE_KEYS[deadline]
    tickets = selectors.ticket_list(user=user).annotate(**{key: deadline_key(deadline)})
    plan = plan_of(first_page(tickets.order_by(f"{sign}{key}", f"{sign}id")))
    assert "Sort" not in node_types(plan)
    assert "Seq Scan" not in ticket_scans(plan)
    name = {"accept_due_at": "accept_due", "resolve_due_at": "resolve_due"}[deadline]
    prefix = "ticket_partner_" if who == "partner" else "ticket_"
    assert {prefix + name} <= index_names(plan)


def test_search_reads_the_full_text_index(population, manager):
    plan = plan_of(selectors.ticket_list(user=manager, search="export").order_by("-search_rank")[:25])
    assert "ticket_search" in index_names(plan)
    assert "Seq Scan" not in ticket_scans(plan)


@pytest.mark.parametrize("who", ["partner", "manager"])
def test_a_common_word_is_searched_within_the_scope(population, member, manager, who):
    """Every ticket says "Something needs attention": the full-text index would hand over all 10,000 for a partner's
    search, so the partner's or manager's own tickets are read by the scope's index and tested instead."""
    user = {"partner": member, "manager": manager}[who]
    plan = plan_of(selectors.ticket_list(user=user, search="needs").order_by("-search_rank")[:25])
    assert "ticket_search" not in index_names(plan)
    assert "Seq Scan" not in ticket_scans(plan)
    scope_column = {"partner": "partner_id", "manager": "project_id"}[who]
    assert any(scope_column in node.get("Index Cond", "") for node in nodes(plan))


def test_a_common_word_finds_the_same_tickets_either_way(population, member):
    """The scope's reading of a common word lists what the full-text operator finds among the partner's tickets,
    in the same order."""
    found = selectors.ticket_order(selectors.ticket_list(user=member, search="needs attent"))
    assert "ts_match_vq" in str(found.query)
    query = SearchQuery("'needs' & 'attent':*", search_type="raw", config=selectors.SEARCH_CONFIG)
    reference = (
        Ticket.objects.filter(partner=member.partner)
        .alias(document=selectors.search_document())
        .filter(document=query)
        .annotate(rank=Cast(SearchRank(F("document"), query), FloatField()))
        .order_by("-rank", "-created_at", "-id")
    )
    assert found.count() == reference.count() == Ticket.objects.filter(partner=member.partner).count()
    assert list(found.values_list("pk", flat=True)[:60]) == list(reference.values_list("pk", flat=True)[:60])


def test_a_common_word_in_the_whole_table_ranks_its_newest_matches(population):
    """An administrator's search of a word in every ticket ranks the newest RANKED_NEWEST matches, found by walking
    the filing order, instead of ranking all 10,000."""
    found = selectors.ticket_list(user=AdminFactory(), search="needs")
    plan = plan_of(selectors.ticket_order(found)[:26])
    assert "ticket_created" in index_names(plan)
    assert "ticket_search" not in index_names(plan)
    assert "Seq Scan" not in ticket_scans(plan)
    newest = Ticket.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[: selectors.RANKED_NEWEST]
    assert set(found.values_list("pk", flat=True)) == set(newest)


def _make_common(word: str, condition: str) -> None:
    """Put `word` into the descriptions of the tickets matching the SQL `condition`, and let ANALYZE see it."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE tickets_ticket SET description = description || ' {word}' WHERE {condition}")  # noqa: S608
        cursor.execute("ANALYZE tickets_ticket")


def test_a_common_word_in_some_tickets_is_found_in_them_within_the_scope(population, member):
    """A word in one ticket in five: the scope's reading lists exactly the partner's tickets that hold it, in the
    order the full-text operator ranks them."""
    _make_common("zebra", "id % 7 = 0")
    found = selectors.ticket_order(selectors.ticket_list(user=member, search="zebr"))
    assert "ts_match_vq" in str(found.query)
    holding = Ticket.objects.filter(partner=member.partner, description__contains="zebra")
    assert 0 < holding.count() < Ticket.objects.filter(partner=member.partner).count()
    assert set(found.values_list("pk", flat=True)) == set(holding.values_list("pk", flat=True))
    query = SearchQuery("'zebr':*", search_type="raw", config=selectors.SEARCH_CONFIG)
    reference = (
        holding.alias(document=selectors.search_document())
        .annotate(rank=Cast(SearchRank(F("document"), query), FloatField()))
        .order_by("-rank", "-created_at", "-id")
    )
    assert list(found.values_list("pk", flat=True)) == list(reference.values_list("pk", flat=True))


def test_a_number_that_is_also_a_common_word_finds_its_old_ticket(population):
    """The newest matches of a common word are capped; the ticket whose number was searched is matched beside
    that cap, however old."""
    oldest = Ticket.objects.order_by("created_at", "id").first()
    _make_common(str(oldest.pk), f"id <> {oldest.pk} AND id % 4 = 0")
    found = selectors.ticket_order(selectors.ticket_list(user=AdminFactory(), search=str(oldest.pk)))
    assert "ts_match_vq" in str(found.query)
    assert found.first() == oldest
    assert found.count() == selectors.RANKED_NEWEST + 1


def test_an_administrators_search_within_a_small_filter_ranks_all_its_matches(population):
    """A filter that leaves few tickets (1,000 resolved) has them read by its index and every match ranked: the
    walk by filing order for the newest matches would pass most of the table when fewer than 1,001 match."""
    found = selectors.ticket_list(user=AdminFactory(), search="needs", status="resolved")
    assert "ts_match_vq" in str(found.query) and "LIMIT" not in str(found.query)
    plan = plan_of(selectors.ticket_order(found)[:26])
    assert "Seq Scan" not in ticket_scans(plan) and "ticket_search" not in index_names(plan)
    assert found.count() == Ticket.objects.filter(status="resolved").count() == TICKETS // 10


def test_an_administrators_search_within_a_large_filter_ranks_the_newest_matches(population, monkeypatch):
    """A filter that leaves many tickets: the newest matches within it are ranked."""
    monkeypatch.setattr(selectors, "RANKED_ALL_WITHIN", TICKETS // 20)
    found = selectors.ticket_list(user=AdminFactory(), search="needs", status="closed")
    assert "LIMIT 1001" in str(found.query)
    closed = Ticket.objects.filter(status="closed").order_by("-created_at", "-id")
    assert closed.count() > selectors.RANKED_NEWEST
    newest = closed.values_list("pk", flat=True)[: selectors.RANKED_NEWEST]
    assert set(found.values_list("pk", flat=True)) == set(newest)


def test_a_rare_word_is_matched_by_the_indexed_operator(population, member):
    """A word in one ticket in a hundred is below COMMON_WORD_SHARE: matched by `@@`, which the full-text index
    serves (whether the planner reads it or the partner's few hundred tickets is its choice)."""
    sql = str(selectors.ticket_list(user=member, search="export").query)
    assert "@@" in sql and "ts_match_vq" not in sql


def test_a_ticket_number_is_found_by_the_primary_key(population, member):
    """Over the whole table (an administrator's search) the number is one lookup of the primary key beside the
    full-text index. (A partner's few hundred tickets may as well be read by the partner's index and tested.)"""
    ticket = Ticket.objects.filter(partner=member.partner).first()
    plan = plan_of(selectors.ticket_list(user=AdminFactory(), search=ticket.number))
    assert {"tickets_ticket_pkey", "ticket_search"} <= index_names(plan)
    assert "Seq Scan" not in ticket_scans(plan)
    assert list(selectors.ticket_list(user=member, search=ticket.number)) == [ticket]


def test_sla_statistics_are_one_query_over_a_covering_index(population):
    """The audit's every level in one query, reading a covering index, never the table."""
    since, until = default_period()
    with CaptureQueriesContext(connection) as queries:
        stats = audit_stats(since=since, until=until)
    [statistics] = [query["sql"] for query in queries if "GROUPING SETS" in query["sql"]]
    assert stats.totals.accepted > 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statistics)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    # The period's range of ticket_accepted, or every manager's range of ticket_assignee_accepted in turn (then
    # sorted by week within each manager only: the planner's choice at a million tickets).
    assert index_names(plan) & {"ticket_accepted", "ticket_assignee_accepted"}
    assert "Seq Scan" not in ticket_scans(plan)


def test_breach_list_of_a_period_reads_the_detection_index(population):
    since, until = default_period()
    plan = plan_of(breach_list(since=since, until=until)[:50])
    assert "Sort" not in node_types(plan)
    assert "breach_detected" in index_names(plan)


def test_the_api_search_reads_the_full_text_index(population, admin_user, client):
    """The API's search ranks, so the planner cannot prefer walking ticket_created testing each row for the words."""
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/tickets/", {"search": "export"})
    assert response.status_code == 200
    assert response.json()["results"]
    page_query = next(q["sql"] for q in queries if "search_vector" in q["sql"] and "LIMIT 51" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + page_query)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    assert "ticket_search" in index_names(plan)
