"""Every API URL walked as a user of another partner: 404/403 for objects, nothing foreign in lists."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from billing.services import invoice_issue
from tests.documents.conftest import pdf_text
from tests.factories import PartnerOwnerFactory
from tickets import services
from tickets.models import Kind, SlaBreach

pytestmark = pytest.mark.django_db


def api_patterns():
    """(route regex, name) of every endpoint under /api/v1/, expanded from the resolver."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    return [(route, name) for route, name in walk(get_resolver().url_patterns) if route.startswith("api/v1/")]


def concrete(route: str, ids: dict) -> str | None:
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    if "(?P<format>" in route:
        return None
    for key, value in ids.items():
        route = re.sub(rf"\(\?P<{key}>[^)]*\)", str(value), route)
    return "/" + route if "(?P<" not in route else None


@pytest.fixture
def victim_world(funded, project, member, manager, admin_user):
    """A partner with a ticket of every shape: comments, internal note, time, parts, attachment, rating, breach."""
    composite = services.ticket_file(
        actor=member, project_id=project.pk, kind=Kind.COMPOSITE, title="T", description="D"
    )
    services.ticket_accept(ticket_id=composite.pk, actor=manager, parts=2)
    services.comment_add(ticket_id=composite.pk, actor=manager, body="secret internal", internal=True)
    services.time_entry_add(ticket_id=composite.pk, actor=manager, minutes=5)
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Done")
    services.rating_add(ticket_id=composite.pk, actor=member, score=4)
    breach = SlaBreach.objects.create(ticket=composite, kind="acceptance", due_at=composite.created_at, manager=manager)
    owner = PartnerOwnerFactory(partner=funded)
    invoice = invoice_issue(partner=funded, requests=3, actor=owner)
    return {
        "pk": composite.pk,
        "part_id": composite.part_rows.first().pk,
        "breach": breach.pk,
        "invoice": invoice.pk,
        "title": composite.title,
        "partner": funded.pk,
    }


def test_every_api_url_refuses_another_partners_objects(api, victim_world, outsider, other_partner_project):
    client = api(outsider)
    checked = 0
    for route, _name in api_patterns():
        ids = {"pk": victim_world["pk"], "part_id": victim_world["part_id"]}
        if "invoices" in route:
            ids["pk"] = victim_world["invoice"]
        if "breaches" in route:
            ids["pk"] = victim_world["breach"]
        url = concrete(route, ids)
        if url is None:
            continue
        for method in ("get", "post", "patch"):
            response = getattr(client, method)(url, {}, format="json")
            is_pdf = response.get("Content-Type") == "application/pdf"  # the outsider's own report
            body = pdf_text(response.content) if is_pdf else response.content.decode()
            assert "secret internal" not in body, (method, url)
            if "(?P<pk>" in route:
                assert response.status_code in (403, 404, 405), (method, url, response.status_code, body)
            elif response.status_code == 200 and method == "get":
                # By the victim's ticket number and partner: a bare id could be one of the outsider's own rows.
                compact = body.replace(" ", "")
                assert f"PS-{victim_world['pk']:06d}" not in compact, url
                assert f'"partner":{victim_world["partner"]},' not in compact, url
            checked += 1
    assert checked > 40


def test_lists_of_another_partner_show_nothing_of_the_victim(api, victim_world, outsider, funded):
    client = api(outsider)
    for url in ("/api/v1/tickets/", "/api/v1/projects/", "/api/v1/billing/invoices/", "/api/v1/billing/entries/"):
        response = client.get(url)
        assert response.status_code == 200, url
        data = response.json()
        rows = data["results"] if isinstance(data, dict) else data
        assert all(row.get("partner") != funded.pk for row in rows), url
    assert client.get("/api/v1/tickets/", {"search": f"PS-{victim_world['pk']:06d}"}).json()["count"] == 0
    assert client.get("/api/v1/billing/account/", {"partner": funded.pk}).json()["partner"] != funded.pk
    assert client.get("/api/v1/sla/breaches/").status_code == 403
    report = client.get("/api/v1/reports/monthly/", {"partner": funded.pk}).json()
    assert report["partner"] != funded.pk
    assert client.get("/api/v1/requisites/", {"partner": funded.pk}).status_code == 404  # a member: not theirs either


def test_ticket_list_costs_the_same_few_queries_for_5_or_200_tickets(
    api, funded, project, member, manager, admin_user, django_assert_max_num_queries
):
    from tests.factories import TicketFactory

    client = api(member)
    TicketFactory.create_batch(5, project=project, author=member)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/tickets/").json()["count"] == 5
    TicketFactory.create_batch(195, project=project, author=member)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/tickets/", {"page_size": 200})
    assert len(response.json()["results"]) == 200
