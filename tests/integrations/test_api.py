"""Owners create and revoke API tokens and manage webhooks through the API; nobody else can."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_owner_creates_a_token_that_works_until_revoked(partner, project):
    owner = PartnerOwnerFactory(partner=partner)
    created = client_for(owner).post("/api/v1/integrations/tokens/", {"name": "Our CRM"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("ps_")

    crm = APIClient()
    crm.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert crm.get("/api/v1/me/").json()["email"] == owner.email
    listed = client_for(owner).get("/api/v1/integrations/tokens/").json()
    assert [t["name"] for t in listed["results"]] == ["Our CRM"] and "key" not in listed["results"][0]

    assert client_for(owner).delete(f"/api/v1/integrations/tokens/{created.json()['id']}/").status_code == 204
    assert crm.get("/api/v1/me/").status_code == 401


def test_members_managers_and_other_partners_cannot_manage_integrations(partner, member, manager, outsider):
    owner = PartnerOwnerFactory(partner=partner)
    token_id = client_for(owner).post("/api/v1/integrations/tokens/", {"name": "CRM"}, format="json").json()["id"]
    hook = client_for(owner).post(
        "/api/v1/integrations/webhooks/", {"url": "https://crm.example.com/hook"}, format="json"
    )
    assert hook.status_code == 201 and len(hook.json()["secret"]) == 64
    for stranger in (member, manager, outsider):
        client = client_for(stranger)
        assert client.get("/api/v1/integrations/tokens/").status_code == 403
        assert client.delete(f"/api/v1/integrations/tokens/{token_id}/").status_code == 403
        assert client.get("/api/v1/integrations/webhooks/").status_code == 403
    other_owner = client_for(PartnerOwnerFactory())
    assert other_owner.get("/api/v1/integrations/tokens/").json()["count"] == 0
    assert other_owner.get("/api/v1/integrations/webhooks/").json()["count"] == 0
    assert other_owner.delete(f"/api/v1/integrations/tokens/{token_id}/").status_code == 404
    assert other_owner.get(f"/api/v1/integrations/webhooks/{hook.json()['id']}/deliveries/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"url": "ftp://x"}, "url"), ({"url": "https://x.example", "events": ["ticket.deleted"]}, "events")],
)
def test_webhook_input_is_checked(partner, payload, field):
    owner = PartnerOwnerFactory(partner=partner)
    response = client_for(owner).post("/api/v1/integrations/webhooks/", payload, format="json")
    assert response.status_code == 400 and field in response.json()
