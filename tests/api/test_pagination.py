"""Cursor pagination of the API lists: every row once, in order, both ways; a capped count; constant cost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partner_support.pagination import COUNT_CAP, Cursor
from tests.factories import TicketFactory
from tests.helpers import postgres_only
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def walk(client, url, params=None, key="next"):
    """The ids of every page reached by following `key` links from `url`, page by page."""
    pages = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        if not body[key]:
            return pages, body
        response = client.get(body[key])


@pytest.fixture
def tickets(project, member):
    now = timezone.now()
    rows = TicketFactory.create_batch(7, project=project, author=member)
    for offset, ticket in enumerate(rows):
        # two share a filing instant: the id decides between them
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now - timedelta(minutes=min(offset, 5)))
    return rows


def test_next_links_reach_every_ticket_once_newest_first(api, member, tickets):
    pages, last = walk(api(member), "/api/v1/tickets/", {"page_size": 3})
    expected = list(Ticket.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [pk for page in pages for pk in page] == expected
    assert last["count"] == 7
    assert last["count_exact"] is True


def test_previous_links_walk_back_to_the_first_page(api, member, tickets):
    client = api(member)
    forward, last = walk(client, "/api/v1/tickets/", {"page_size": 3})
    back, first = walk(client, last["previous"], key="previous")
    assert back == list(reversed(forward[:-1]))
    assert first["previous"] is None


@pytest.mark.parametrize("ordering", ["resolve_due_at", "-resolve_due_at", "accept_due_at", "id", "-created_at"])
def test_orderings_by_a_deadline_page_through_rows_without_one(api, member, tickets, ordering):
    due = timezone.now() + timedelta(hours=3)
    for index, ticket in enumerate(tickets[:4]):
        Ticket.objects.filter(pk=ticket.pk).update(resolve_due_at=due + timedelta(minutes=index % 2))
    pages, _last = walk(api(member), "/api/v1/tickets/", {"page_size": 2, "ordering": ordering})
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(ticket.pk for ticket in tickets)
    if ordering == "resolve_due_at":
        assert set(seen[4:]) == {ticket.pk for ticket in tickets[4:]}  # not set yet: last


def test_a_mangled_cursor_is_not_found(api, member, tickets):
    response = api(member).get("/api/v1/tickets/", {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert "cursor" in response.json()["detail"]


def test_a_cursor_shows_nothing_of_another_partner(api, outsider, member, tickets):
    cursor = Cursor(key=(tickets[0].created_at + timedelta(days=1), tickets[0].pk + 1)).encode()
    body = api(outsider).get("/api/v1/tickets/", {"cursor": cursor}).json()
    assert body["results"] == []
    assert body["count"] == 0


def test_beyond_the_cap_the_count_says_it_is_an_estimate(api, admin_user, project, settings):
    TicketFactory.create_batch(3, project=project)
    from partner_support.api import KeysetPagination

    KeysetPagination.count_cap = 2
    try:
        body = api(admin_user).get("/api/v1/tickets/").json()
    finally:
        KeysetPagination.count_cap = COUNT_CAP
    assert body["count_exact"] is False
    assert body["count"] >= 3


def test_comments_are_paginated_oldest_first(api, member, file_ticket):
    from tickets import services

    ticket = file_ticket()
    for n in range(5):
        services.comment_add(ticket_id=ticket.pk, actor=member, body=f"Note {n}")
    pages, last = walk(api(member), f"/api/v1/tickets/{ticket.pk}/comments/", {"page_size": 2})
    bodies = [c.body for c in ticket.comments.order_by("created_at", "id")]
    assert len([pk for page in pages for pk in page]) == 5
    assert last["count"] == 5
    assert bodies == [f"Note {n}" for n in range(5)]


def test_a_deep_page_costs_the_queries_of_the_first(api, member, project, django_assert_max_num_queries):
    TicketFactory.create_batch(60, project=project, author=member)
    client = api(member)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/tickets/", {"page_size": 5}).json()
    for _ in range(5):
        body = client.get(body["next"]).json()
    with django_assert_max_num_queries(4):
        assert len(client.get(body["next"]).json()["results"]) == 5


def test_the_schema_documents_the_cursor_and_the_count(api, admin_user):
    schema = api(admin_user).get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert {"cursor", "page_size", "ordering", "search"} <= parameters
    page = schema["components"]["schemas"]["PaginatedTicketList"]
    assert {"count", "count_exact", "next", "previous", "results"} <= set(page["properties"])
    assert "estimate" in page["properties"]["count"]["description"]


@postgres_only
def test_every_page_of_a_search_follows_from_the_one_before(api, admin_user, project):
    """Equal ranks page on by the cursor: the rank it carries back is the very number the query compares."""
    matches = TicketFactory.create_batch(5, project=project, title="Export stops")
    TicketFactory.create_batch(2, project=project, title="Unrelated")
    pages, last = walk(api(admin_user), "/api/v1/tickets/", {"search": "export", "page_size": 2})
    assert sorted(pk for page in pages for pk in page) == sorted(ticket.pk for ticket in matches)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert (last["count"], last["count_exact"]) == (5, True)
    back, _first = walk(api(admin_user), last["previous"], key="previous")
    assert [pk for page in back for pk in page] == [pk for page in pages[:2][::-1] for pk in page]


def test_a_list_on_one_page_is_its_own_count(api, member, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TicketFactory.create_batch(3, project=project, author=member)
    client = api(member)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/tickets/").json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (3, True, 3)
    assert not any("COUNT(" in query["sql"] for query in queries)
    TicketFactory.create_batch(3, project=project, author=member)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/tickets/", {"page_size": 4}).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (6, True, 4)
    assert any("COUNT(" in query["sql"] for query in queries)
    last = client.get(body["next"]).json()
    assert (last["count"], len(last["results"])) == (6, 2)  # a later page counts the list
