"""/healthz names what does not work; a database outage is a 503 with Retry-After, JSON under /api/."""

from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from health.tasks import heartbeat
from outbox.services import event_emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_worker(settings):
    """As in production: tasks go through the broker to a worker (none runs here: its heartbeat is what counts)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def test_all_well_is_200_with_each_dependency(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "scheduler", "outbox"}
    assert response["Cache-Control"] == "no-store"


def test_no_scheduler_heartbeat_is_503_naming_it(client, with_worker):
    response = client.get("/healthz")
    assert response.status_code == 503 and "scheduler" in response.json()["failed"]
    assert response["Retry-After"] == "30"
    heartbeat.apply()
    assert "scheduler" not in client.get("/healthz").json()["failed"]


def test_an_event_waiting_too_long_is_503_naming_the_outbox(client, settings):
    settings.OUTBOX_LAG_LIMIT_SECONDS = 60
    with transaction.atomic():
        event_emit(type="x.test", stream="partner:1", payload={}, occurred_at=timezone.now() - timedelta(minutes=5))
    body = client.get("/healthz").json()
    assert body["failed"] == ["outbox"] and "300 s" in body["checks"]["outbox"]["detail"]


def test_a_database_outage_answers_503_json_with_retry_after(client, member, monkeypatch):
    from tickets import selectors

    def unreachable(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(selectors, "ticket_list", unreachable)
    client.force_login(member)
    response = client.get("/api/v1/tickets/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "briefly unavailable" in response.json()["detail"]
    page = client.get("/tickets/")
    assert page.status_code == 503 and "briefly unavailable" in page.text
