"""Webhooks end to end: a local HTTP receiver verifies the signature; failures are retried, logged, then disabled."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services import webhook_create
from integrations.webhooks import MAX_ATTEMPTS
from tests.factories import PartnerOwnerFactory
from tickets import services

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that records what it receives and answers `status`."""

    def __init__(self, status: int = 200):
        received = self.received = []
        answer = status

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(answer)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(status: int = 200) -> Receiver:
        made.append(Receiver(status))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def owner(funded):
    return PartnerOwnerFactory(partner=funded)


def test_events_arrive_signed_and_internal_notes_never_leave(
    receiver, owner, member, manager, file_ticket, django_capture_on_commit_callbacks
):
    server = receiver()
    endpoint = webhook_create(actor=owner, url=server.url)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(ticket_id=ticket.pk, actor=manager, body="internal secret", internal=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(ticket_id=ticket.pk, actor=manager, body="Working on it")

    events = []
    for headers, body in server.received:
        expected = "sha256=" + hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Signature"], expected)
        payload = json.loads(body)
        assert payload["ticket"]["number"] == ticket.number and b"internal secret" not in body
        events.append((payload["event"], payload["data"].get("to")))
    assert events == [("ticket.created", None), ("ticket.status_changed", "accepted"), ("ticket.commented", None)]
    assert WebhookDelivery.objects.filter(endpoint=endpoint, succeeded=True).count() == 3


def test_a_failing_endpoint_is_retried_logged_and_disabled_with_notice(
    receiver, owner, file_ticket, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_FAILURES = 3
    server = receiver(status=500)
    endpoint = webhook_create(actor=owner, url=server.url)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket()
    endpoint.refresh_from_db()
    attempts = list(
        WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt").values_list("attempt", "status_code")
    )
    assert attempts == [(1, 500), (2, 500), (3, 500)]
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert [m.to for m in mail.outbox if "Webhook disabled" in m.subject] == [[owner.email]]
    assert len(server.received) == 3 < MAX_ATTEMPTS


def test_private_targets_are_refused_in_production(
    receiver, owner, file_ticket, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    server = receiver()
    endpoint = webhook_create(actor=owner, url=server.url)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket()
    assert server.received == []
    first = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt").first()
    assert "private or loopback" in first.error and not first.succeeded
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures >= 1


def test_redirects_are_not_followed(receiver, owner, file_ticket, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOK_MAX_FAILURES = 1
    target = receiver()

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", target.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = webhook_create(actor=owner, url=f"http://127.0.0.1:{server.server_port}/hook")
        with django_capture_on_commit_callbacks(execute=True):
            file_ticket()
    finally:
        server.shutdown()
        server.server_close()
    assert target.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status_code, delivery.succeeded) == (302, False)
