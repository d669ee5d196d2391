"""Idempotency-Key: a retried API write does nothing new and answers what the first one answered."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from billing.models import Hold
from idempotency.middleware import idempotency_prune
from idempotency.models import IdempotentRequest
from tests.helpers import postgres_only, run_concurrently
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(funded, member, project):
    client = APIClient()
    client.force_login(member)
    body = {"project": project.pk, "kind": "simple", "title": "Export fails", "description": "At 50%."}

    def post(key: str, **changes):
        return client.post("/api/v1/tickets/", {**body, **changes}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    post.login_again = lambda: client.force_login(member)  # after an idle day the session has ended
    return post


def test_a_retried_post_files_once_and_answers_the_first_answer(filing):
    first = filing("8c1e-filing-1")
    again = filing("8c1e-filing-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1 and Hold.objects.count() == 1
    assert filing("8c1e-filing-2").status_code == 201 and Ticket.objects.count() == 2  # another key, another ticket


def test_the_same_key_with_another_body_is_refused(filing):
    assert filing("k-1").status_code == 201
    response = filing("k-1", title="Something else")
    assert response.status_code == 422 and "another request" in response.json()["detail"]
    assert Ticket.objects.count() == 1


def test_a_transition_retried_answers_200_not_409(filing, manager):
    ticket = filing("k-file").json()
    client = APIClient()
    client.force_login(manager)
    url = f"/api/v1/tickets/{ticket['id']}/accept/"
    first = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    again = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert first.status_code == again.status_code == 200 and again.json()["status"] == "accepted"
    assert client.post(url, {}, format="json").status_code == 409  # without a key: the real answer now


def test_keys_are_per_caller(filing, funded, project):
    from tests.factories import UserFactory

    assert filing("shared-key").status_code == 201
    other = APIClient()
    other.force_login(UserFactory(partner=funded))
    body = {"project": project.pk, "kind": "simple", "title": "Theirs", "description": "d"}
    response = other.post("/api/v1/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="shared-key")
    assert response.status_code == 201 and response.json()["title"] == "Theirs"  # not the first caller's answer


def test_a_refused_request_is_answered_the_same_again_and_a_bad_key_is_400(filing):
    first = filing("k-bad", title="")
    assert first.status_code == 400 and filing("k-bad", title="").json() == first.json()
    assert filing("x" * 256).status_code == 400
    assert filing("").status_code == 400


def test_after_the_ttl_a_key_is_forgotten(filing):
    assert filing("k-old").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        filing.login_again()
        assert filing("k-old").status_code == 201  # a new request now
        assert idempotency_prune(now=timezone.now() + timedelta(hours=25)) == 1
    assert Ticket.objects.count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_retries_file_once(funded, member, project):
    def post():
        client = APIClient()
        client.force_login(member)
        body = {"project": project.pk, "kind": "simple", "title": "Race", "description": "d"}
        return client.post("/api/v1/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="race-1").status_code

    codes = run_concurrently([post] * 6)
    assert Ticket.objects.count() == 1 and codes.count(201) >= 1
    assert set(codes) <= {201, 409} and IdempotentRequest.objects.count() == 1


def test_the_schema_documents_the_header(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/tickets/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])
    assert "422" in post["responses"]


def test_a_key_left_unanswered_by_a_dead_worker_is_taken_over(filing, member):
    import hashlib

    scope = hashlib.sha256(f"user:{member.pk}".encode()).hexdigest()
    IdempotentRequest.objects.create(
        scope=scope, key="k-dead", fingerprint="x", created_at=timezone.now() - timedelta(minutes=5)
    )
    assert filing("k-dead").status_code == 201 and Ticket.objects.count() == 1
