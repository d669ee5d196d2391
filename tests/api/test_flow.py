"""The whole story through HTTP, with the deposit checked at each step (DESIGN.md section 8 shapes)."""

import pytest
from django.urls import reverse

from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


def balance(client) -> dict:
    response = client.get("/api/v1/billing/account/")
    assert response.status_code == 200, response.content
    return {key: response.json()[key] for key in ("balance", "held", "available", "currency")}


def test_token_login_me_and_the_full_lifecycle(api, funded, project, manager):
    PartnerOwnerFactory(partner=funded, email="owner@partner.example", password="s3cret-pass-word")
    anonymous = api()
    assert (
        anonymous.post("/api/v1/auth/token/", {"email": "owner@partner.example", "password": "wrong"}).status_code
        == 400
    )
    token = anonymous.post(
        "/api/v1/auth/token/", {"email": "owner@partner.example", "password": "s3cret-pass-word"}, format="json"
    ).json()["token"]
    partner_client = api()
    partner_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = partner_client.get("/api/v1/me/").json()
    assert (me["email"], me["role"], me["partner"]) == ("owner@partner.example", "partner_owner", funded.pk)
    staff = api(manager)

    projects = partner_client.get("/api/v1/projects/").json()
    assert projects["count"] == 1
    assert projects["results"][0]["manager"] == {
        "id": manager.pk,
        "name": manager.display_name,
        "email": manager.email,
        "phone": manager.phone,
    }
    assert balance(partner_client) == {"balance": "1800.00", "held": "0.00", "available": "1800.00", "currency": "UAH"}

    created = partner_client.post(
        "/api/v1/tickets/",
        {"project": project.pk, "kind": "simple", "title": "Export fails", "description": "At 50%"},
        format="json",
    )
    assert created.status_code == 201, created.content
    ticket = created.json()
    tid = ticket["id"]
    assert (ticket["status"], ticket["channel"], ticket["number"]) == ("new", "api", f"PS-{tid:06d}")
    assert ticket["accept_due_at"] and ticket["assignee"]["email"] == manager.email
    assert balance(partner_client)["available"] == "1620.00"

    accepted = staff.post(f"/api/v1/tickets/{tid}/accept/", {}, format="json").json()
    assert accepted["status"] == "accepted" and accepted["resolve_due_at"] and accepted["accepted_at"]

    waiting = staff.post(f"/api/v1/tickets/{tid}/request_info/", {"message": "Which browser?"}, format="json")
    assert waiting.json()["status"] == "waiting_partner"
    reply = partner_client.post(f"/api/v1/tickets/{tid}/comments/", {"body": "Firefox"}, format="json")
    assert reply.status_code == 201
    assert partner_client.get(f"/api/v1/tickets/{tid}/").json()["status"] == "accepted"

    staff.post(f"/api/v1/tickets/{tid}/time-entries/", {"minutes": 40, "note": "Fixed template"}, format="json")
    resolved = staff.post(f"/api/v1/tickets/{tid}/resolve/", {"resolution": "Template fixed"}, format="json")
    assert resolved.json()["status"] == "resolved"
    assert balance(partner_client) == {"balance": "1620.00", "held": "0.00", "available": "1620.00", "currency": "UAH"}

    reopened = partner_client.post(f"/api/v1/tickets/{tid}/reopen/", {"reason": "Still at 50%"}, format="json")
    assert reopened.json()["status"] == "accepted"
    staff.post(f"/api/v1/tickets/{tid}/resolve/", {"resolution": "Really fixed"}, format="json")
    assert balance(partner_client)["balance"] == "1620.00"  # no second charge
    confirmed = partner_client.post(f"/api/v1/tickets/{tid}/confirm/", {}, format="json")
    assert confirmed.json()["status"] == "closed"
    rated = partner_client.post(f"/api/v1/tickets/{tid}/rating/", {"score": 5, "comment": "Thanks"}, format="json")
    assert rated.status_code == 201 and rated.json()["resolution_round"] == 2

    time_log = partner_client.get(f"/api/v1/tickets/{tid}/time-entries/").json()
    assert [(e["minutes"], e["note"]) for e in time_log] == [(40, "Fixed template")]
    history = [e["transition"] for e in partner_client.get(f"/api/v1/tickets/{tid}/history/").json() if e["transition"]]
    assert history == ["accept", "request_info", "resume", "resolve", "reopen", "resolve", "confirm"]
    entries = partner_client.get("/api/v1/billing/entries/").json()
    assert [(e["kind"], e["amount"], e["ticket_number"]) for e in entries["results"]] == [
        ("top_up", "1800.00", None),
        ("debit", "-180.00", f"PS-{tid:06d}"),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "simple", "title": "t", "description": "d"}, "project"),
        ({"project": 1, "kind": "urgent", "title": "t", "description": "d"}, "kind"),
        ({"project": "x", "kind": "simple", "title": "t", "description": "d"}, "project"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api, funded, member, payload, field):
    response = api(member).post("/api/v1/tickets/", payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_an_uncovered_deposit_is_402_and_a_wrong_state_409(api, partner, project, member, manager):
    client = api(member)
    refused = client.post(
        "/api/v1/tickets/", {"project": project.pk, "kind": "simple", "title": "t", "description": "d"}, format="json"
    )
    assert refused.status_code == 402 and "deposit" in refused.json()["detail"]
    bug = client.post(
        "/api/v1/tickets/", {"project": project.pk, "kind": "bug", "title": "Down", "description": "500"}, format="json"
    )
    assert bug.status_code == 201
    conflict = client.post(f"/api/v1/tickets/{bug.json()['id']}/confirm/", {}, format="json")
    assert conflict.status_code == 409 and "not possible" in conflict.json()["detail"]


def test_errors_are_json_never_html(api, member):
    client = api(member)
    for url in ("/api/v1/tickets/999999/", "/api/v1/nowhere/", "/api/v1/tickets/abc/"):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), url
    assert api().get("/api/v1/tickets/").status_code == 401  # with WWW-Authenticate: Token


def test_filters_are_validated(api, member):
    response = api(member).get("/api/v1/tickets/", {"status": "sleeping"})
    assert response.status_code == 400 and "status" in response.json()


def test_schema_and_docs_are_served(client):
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


def test_ids_too_long_for_the_database_are_simply_not_found(client, member):
    client.force_login(member)
    for url in ("/tickets/99999999999999999999/", "/tickets/1/attachments/99999999999999999999/"):
        assert client.get(url).status_code == 404, url


def test_the_interactive_docs_use_no_cdn(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn." not in page and "/static/drf_spectacular_sidecar/" in page
