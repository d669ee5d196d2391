"""The request list's deadline column and sorting, the dashboard's count, the queue's filters, clickable status
counts and bulk acceptance, and ticket numbers in the SLA audit as links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ManagerFactory, ProjectFactory, TicketFactory
from tickets import selectors, services
from tickets.forms import ORDERING_CHOICES
from tickets.models import Kind, SlaBreach, Status

pytestmark = pytest.mark.django_db


def test_every_sort_order_offered_is_an_indexed_ordering():
    """Each one is an index range checked by tests/tickets/test_scale_plans.py (EXPLAIN on PostgreSQL)."""
    assert {value.lstrip("-") for value, _label in ORDERING_CHOICES} <= set(selectors.ORDERINGS)


def test_the_list_shows_deadlines_and_sorts_by_them(client, member, project):
    now = timezone.now()
    later = TicketFactory(project=project, title="Due later", accept_due_at=now + timedelta(hours=5))
    sooner = TicketFactory(project=project, title="Due sooner", accept_due_at=now + timedelta(hours=1))
    client.force_login(member)
    page = client.get("/tickets/").text
    assert "Deadline" in page and 'id="sort-deadline"' in page
    assert "accept <time" in page
    by_filing = client.get("/tickets/").text
    assert by_filing.index(sooner.title) < by_filing.index(later.title)  # newest first
    by_acceptance = client.get("/tickets/", {"ordering": "accept_due_at"}).text
    assert by_acceptance.index(sooner.title) < by_acceptance.index(later.title)
    oldest = client.get("/tickets/", {"ordering": "created_at"}).text
    assert oldest.index(later.title) < oldest.index(sooner.title)
    assert 'aria-sort="ascending"' in oldest
    assert client.get("/tickets/", {"ordering": "title"}).status_code == 200  # unknown: the default order


def test_the_resolution_deadline_order_pages_by_cursor(client, member, project):
    now = timezone.now()
    for hours in range(30):
        TicketFactory(project=project, status=Status.ACCEPTED, resolve_due_at=now + timedelta(hours=hours))
    client.force_login(member)
    first = client.get("/tickets/", {"ordering": "resolve_due_at"})
    rows = first.context["page"]
    assert [t.resolve_due_at for t in rows] == sorted(t.resolve_due_at for t in rows)
    following = client.get("/tickets/?" + first.context["links"].next)
    assert following.context["page"][0].resolve_due_at > rows[-1].resolve_due_at


def test_open_filter(client, member, project):
    TicketFactory(project=project, title="Still open")
    TicketFactory(project=project, title="Long closed", status=Status.CLOSED)
    client.force_login(member)
    page = client.get("/tickets/", {"status": "open"}).text
    assert "Still open" in page and "Long closed" not in page


def test_the_dashboard_says_how_many_are_open_and_links_to_all(client, member, project, django_assert_max_num_queries):
    for _ in range(25):
        TicketFactory(project=project)
    client.force_login(member)
    with django_assert_max_num_queries(14):
        page = client.get("/").text
    assert 'id="open-count">25<' in page
    assert "The 20 with the nearest deadlines of 25 open requests are shown." in page
    assert "All 25 open requests" in page and "/tickets/?status=open&amp;ordering=resolve_due_at" in page
    assert page.count("/tickets/") >= 20


def test_the_queue_filters_searches_and_links_its_counts(client, manager, project):
    TicketFactory(project=project, title="Printer broken", kind=Kind.BUG)
    TicketFactory(project=project, title="Export slow")
    TicketFactory(project=project, title="Quoted one", kind=Kind.ENHANCEMENT, status=Status.QUOTED)
    client.force_login(manager)
    page = client.get("/tickets/queue/").text
    assert 'href="?status=new"' in page and 'href="?status=quoted"' in page
    assert 'class="badge new">2</span> New</a>' in page
    only_quoted = client.get("/tickets/queue/", {"status": "quoted"}).text
    assert "Quoted one" in only_quoted and "Printer broken" not in only_quoted
    assert 'href="?status=quoted" aria-current="true"' in only_quoted
    assert "Printer broken" in client.get("/tickets/queue/", {"kind": "bug"}).text
    assert "Export slow" not in client.get("/tickets/queue/", {"kind": "bug"}).text
    found = client.get("/tickets/queue/", {"search": "printer"}).text
    assert "Printer broken" in found and "Export slow" not in found and "1 request matches" in found


def test_bulk_accept_accepts_the_safe_ones_and_says_why_not_the_others(client, manager, project, file_ticket):
    simple, bug = file_ticket(), file_ticket(Kind.BUG)
    composite = file_ticket(Kind.COMPOSITE)
    theirs = TicketFactory(project=ProjectFactory(manager=ManagerFactory()))
    client.force_login(manager)
    page = client.get("/tickets/queue/").text
    assert f'id="pick-{simple.pk}"' in page and f'id="pick-{bug.pk}"' in page
    assert f'id="pick-{composite.pk}"' not in page
    ids = [simple.pk, bug.pk, composite.pk, theirs.pk]
    done = client.post("/tickets/queue/accept/", {"ticket": ids, "query": "kind=simple"})
    assert done.status_code == 302 and done.url == "/tickets/queue/?kind=simple"
    text = client.get(done.url).text
    assert f"2 requests accepted: {simple.number}, {bug.number}." in text
    assert f"{composite.number}: only new simple requests and bugs are accepted together." in text
    assert theirs.number not in text
    statuses = {t.pk: t.status for t in type(simple).objects.filter(pk__in=ids)}
    assert statuses == {simple.pk: "accepted", bug.pk: "accepted", composite.pk: "new", theirs.pk: "new"}
    assert "Tick the requests" in client.post("/tickets/queue/accept/", {}, follow=True).text
    client.force_login(simple.author)
    assert client.post("/tickets/queue/accept/", {"ticket": [composite.pk]}).status_code == 404


def test_a_bulk_accept_refused_by_the_service_says_why(client, manager, file_ticket):
    ticket = file_ticket()
    services.ticket_cancel(ticket_id=ticket.pk, actor=ticket.author)
    client.force_login(manager)
    text = client.post("/tickets/queue/accept/", {"ticket": [ticket.pk]}, follow=True).text
    assert f"{ticket.number}: only new simple requests" in text


def test_the_sla_audit_links_ticket_numbers(client, admin_user, project):
    ticket = TicketFactory(project=project)
    SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=ticket.created_at, manager=project.manager)
    client.force_login(admin_user)
    page = client.get("/staff/sla/").text
    assert f'<a href="/tickets/{ticket.pk}/">{ticket.number}</a>' in page
