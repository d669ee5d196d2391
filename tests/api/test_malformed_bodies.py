"""Every endpoint answers a body it cannot use with 400 and a message, never 500."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, PartnerOwnerFactory, TicketFactory
from tickets.models import Kind

pytestmark = pytest.mark.django_db
NESTED = "[" * 5000 + "]" * 5000
NESTED_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


def post(client, path, raw: str):
    return client.post(path, raw, content_type="application/json")


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "123", '{"email": ["x"], "password": {}}', NESTED])
def test_token_login_refuses_malformed_bodies(client, body):
    response = post(client, "/api/v1/auth/token/", body)
    assert response.status_code == 400
    assert response.json()  # a message, in JSON


def test_token_login_still_works(client, member):
    response = post(client, "/api/v1/auth/token/", json.dumps({"email": member.email, "password": PASSWORD}))
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize("body", ['{"name": ["x"]}', "123", "[]", "null", '{"name": {"a": 1}}', NESTED_OBJECT])
def test_integration_tokens_refuse_malformed_bodies(client, partner, body):
    client.force_login(PartnerOwnerFactory(partner=partner))
    response = post(client, "/api/v1/integrations/tokens/", body)
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tickets/",
        "/api/v1/tickets/{id}/comments/",
        "/api/v1/tickets/{id}/accept/",
        "/api/v1/tickets/{id}/time-entries/",
        "/api/v1/billing/invoices/",
        "/api/v1/integrations/webhooks/",
    ],
)
@pytest.mark.parametrize("body", [NESTED, NESTED_OBJECT, "[", "NaN", '{"body": Infinity}'])
def test_json_nested_thousands_of_levels_or_broken_is_a_400_anywhere(client, project, owner, path, body):
    ticket = TicketFactory(project=project)
    client.force_login(owner)
    response = post(client, path.format(id=ticket.pk), body)
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_quote_due_time_without_a_time_zone_is_refused(client, project, manager):
    ticket = TicketFactory(project=project, kind=Kind.ENHANCEMENT)
    client.force_login(manager)
    due = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    naive = post(
        client,
        f"/api/v1/tickets/{ticket.pk}/quote/",
        json.dumps({"estimate_hours": "4.00", "due_at": due.strftime("%Y-%m-%dT%H:%M:%S")}),
    )
    assert naive.status_code == 400 and "time zone" in naive.json()["due_at"][0]
    aware = post(
        client,
        f"/api/v1/tickets/{ticket.pk}/quote/",
        json.dumps({"estimate_hours": "4.00", "due_at": due.isoformat()}),
    )
    assert aware.status_code == 200, aware.json()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/tickets/", "page_size=-1"),
        ("/api/v1/tickets/", "page_size="),
        ("/api/v1/tickets/", "status="),
        ("/api/v1/tickets/", "project=abc"),
        ("/api/v1/billing/invoices/", "page="),
        ("/api/v1/billing/invoices/", "page=0"),
        ("/api/v1/billing/invoices/", "page=x"),
    ],
)
def test_malformed_list_parameters_are_a_400(client, owner, path, query):
    client.force_login(owner)
    assert client.get(f"{path}?{query}").status_code == 400


def test_sub_lists_are_plain_arrays_as_the_schema_says(client, project, owner):
    ticket = TicketFactory(project=project)
    client.force_login(owner)
    schema = client.get("/api/v1/schema/?format=json").json()
    entries = schema["paths"]["/api/v1/tickets/{id}/time-entries/"]["get"]["responses"]["200"]
    assert entries["content"]["application/json"]["schema"]["type"] == "array"
    assert isinstance(client.get(f"/api/v1/tickets/{ticket.pk}/time-entries/").json(), list)
    # a ticket's conversation can be long: paginated, and the schema says so
    comments = schema["paths"]["/api/v1/tickets/{id}/comments/"]["get"]["responses"]["200"]
    assert comments["content"]["application/json"]["schema"]["$ref"].endswith("/CommentPage")
    assert set(client.get(f"/api/v1/tickets/{ticket.pk}/comments/").json()) >= {"count", "next", "results"}
    transition = schema["paths"]["/api/v1/tickets/{id}/accept/"]["post"]["responses"]
    assert {"400", "401", "402", "403", "404", "409", "429"} <= set(transition)
