"""Webhooks end to end through the outbox: a local HTTP receiver verifies the signature and sees each event as it
was; failures are retried in order, logged, then the endpoint is switched off and nothing it was owed is lost."""

import hashlib
import hmac
import json
import socket
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from integrations import delivery
from integrations.dispatch import endpoint_send
from integrations.models import WebhookDelivery, WebhookDispatch, WebhookEndpoint
from integrations.services import webhook_create, webhook_update
from outbox.models import OutboxEvent
from tests.factories import PartnerOwnerFactory
from tests.receivers import Receiver
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    made = []

    def make(status: int = 200, drip: float = 0.0) -> Receiver:
        made.append(Receiver(status, drip))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def owner(funded):
    return PartnerOwnerFactory(partner=funded)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(f, ...) runs a service as if its transaction committed: the relay and the sender run after it."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def bodies(server: Receiver) -> list[dict]:
    return [json.loads(body) for _headers, body in server.received]


def test_events_arrive_signed_as_they_were_and_internal_notes_never_leave(
    receiver, owner, manager, file_ticket, committed
):
    server = receiver()
    endpoint = webhook_create(actor=owner, url=server.url)
    ticket = committed(file_ticket)
    committed(services.ticket_accept, ticket_id=ticket.pk, actor=manager)
    committed(services.comment_add, ticket_id=ticket.pk, actor=manager, body="internal secret", internal=True)
    committed(services.comment_add, ticket_id=ticket.pk, actor=manager, body="Working on it")
    committed(services.ticket_escalate, ticket_id=ticket.pk, actor=manager, note="prod: the DB is on fire")
    committed(services.ticket_resume, ticket_id=ticket.pk, actor=manager)
    committed(services.ticket_resolve, ticket_id=ticket.pk, actor=manager, resolution="Fixed the export")

    for headers, body in server.received:
        expected = "sha256=" + hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Signature"], expected)
        assert headers["X-Event-Id"] == json.loads(body)["id"]
        assert b"internal secret" not in body and b"on fire" not in body
    seen = [(b["event"], b["ticket"]["status"], b["data"].get("to")) for b in bodies(server)]
    assert seen == [
        ("ticket.created", "new", None),  # the state at the event, not at delivery
        ("ticket.status_changed", "accepted", "accepted"),
        ("ticket.commented", "accepted", None),
        ("ticket.status_changed", "waiting_production", "waiting_production"),
        ("ticket.status_changed", "accepted", "accepted"),
        ("ticket.status_changed", "resolved", "resolved"),
    ]
    assert [b["sequence"] for b in bodies(server)] == sorted(b["sequence"] for b in bodies(server))
    assert bodies(server)[-1]["ticket"]["resolution"] == "Fixed the export"
    ids = {b["id"] for b in bodies(server)}
    assert ids <= {str(i) for i in OutboxEvent.objects.values_list("event_id", flat=True)}
    assert WebhookDelivery.objects.filter(endpoint=endpoint, succeeded=True).count() == 6


def test_a_failing_endpoint_is_retried_in_order_switched_off_after_a_while_and_replayed_when_switched_on(
    receiver, owner, manager, file_ticket, settings, committed
):
    settings.WEBHOOK_MAX_FAILURES, settings.WEBHOOK_FAILING_MINUTES = 3, 60
    server = receiver(status=500)
    endpoint = webhook_create(actor=owner, url=server.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        ticket = committed(file_ticket)
        committed(services.ticket_accept, ticket_id=ticket.pk, actor=manager)
        for minutes in (1, 3):  # past the 30 s and 1 min back-off
            clock.move_to(start + timedelta(minutes=minutes))
            committed(endpoint_send, endpoint_id=endpoint.pk)
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).is_active  # three failures in 3 minutes: not yet
        clock.move_to(start + timedelta(minutes=70))
        committed(endpoint_send, endpoint_id=endpoint.pk)
    endpoint.refresh_from_db()
    attempts = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", "attempt", "status_code"))
    # the first event is retried and nothing later is sent before it
    assert sorted(attempts) == [("ticket.created", n, 500) for n in (1, 2, 3, 4)]
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert [m.to for m in mail.outbox if "Webhook disabled" in m.subject] == [[owner.email]]

    committed(services.comment_add, ticket_id=ticket.pk, actor=manager, body="while it was off")
    server.status = 200
    committed(webhook_update, actor=owner, endpoint_id=endpoint.pk, is_active=True)
    committed(endpoint_send, endpoint_id=endpoint.pk)
    delivered = [b["event"] for b in bodies(server)][4:]
    # what it was owed and what it missed, in order (its own switch-off included)
    assert delivered == ["ticket.created", "ticket.status_changed", "webhook.disabled", "ticket.commented"]
    assert not WebhookDispatch.objects.filter(endpoint=endpoint, delivered_at__isnull=True).exists()


def test_the_owner_replays_a_range_in_order(receiver, owner, manager, member, file_ticket, committed, api):
    server = receiver()
    endpoint = webhook_create(actor=owner, url=server.url)
    ticket = committed(file_ticket)
    committed(services.ticket_accept, ticket_id=ticket.pk, actor=manager)
    first, second = bodies(server)
    url = f"/api/v1/integrations/webhooks/{endpoint.pk}/replay/"
    with_callbacks = committed(api(owner).post, url, {"after": first["position"] - 1}, format="json")
    assert with_callbacks.json() == {"replayed": 2}
    assert [b["id"] for b in bodies(server)[2:]] == [first["id"], second["id"]]
    assert api(owner).post(url, {"after": 5, "up_to": 5}, format="json").json() == {"replayed": 0}  # empty range
    assert api(owner).post(url, {"after": -1}, format="json").status_code == 400
    assert api(member).post(url, {"after": 0}, format="json").status_code == 403


def test_private_targets_are_refused_in_production(receiver, owner, file_ticket, settings, committed):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    server = receiver()
    endpoint = webhook_create(actor=owner, url=server.url)
    committed(file_ticket)
    assert server.received == []
    first = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt").first()
    assert "private or loopback" in first.error and not first.succeeded
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures >= 1


def test_the_connection_goes_to_the_address_checked_not_to_a_second_lookup(receiver, settings, monkeypatch):
    """A rebinding DNS answers a public address to the check and a private one later: there is no later."""
    server = receiver()
    lookups = []

    def resolver(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(delivery.socket, "getaddrinfo", resolver)
    outcome = delivery.post(
        url=f"http://hooks.rebinding.example:{server.port}/hook", body=b"{}", headers={}, secret="s", timeout=5
    )
    # the name is resolved once; the connection is opened to the address literal (127.0.0.1) that was checked
    assert outcome.succeeded and lookups == ["hooks.rebinding.example", "127.0.0.1"]
    assert server.received[0][0]["Host"] == f"hooks.rebinding.example:{server.port}"

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    public_then_private = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80)),
    ]
    monkeypatch.setattr(delivery.socket, "getaddrinfo", lambda *args, **kwargs: public_then_private)
    refused = delivery.post(url="http://mixed.example/hook", body=b"{}", headers={}, secret="s", timeout=5)
    assert not refused.succeeded and "private or loopback" in refused.error


def test_a_receiver_that_drips_its_answer_costs_at_most_the_timeout(receiver):
    server = receiver(drip=0.3)
    started = time.monotonic()
    outcome = delivery.post(url=server.url, body=b"{}", headers={}, secret="s", timeout=1)
    elapsed = time.monotonic() - started
    assert not outcome.succeeded and "within 1 s" in outcome.error
    assert 0.9 < elapsed < 2.5


def test_redirects_are_not_followed(receiver, owner, file_ticket, committed, settings):
    settings.WEBHOOK_MAX_FAILURES = 1
    target = receiver()
    redirecting = receiver(status=302)
    endpoint = webhook_create(actor=owner, url=redirecting.url)
    committed(file_ticket)
    assert target.received == []
    delivery_row = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery_row.status_code, delivery_row.succeeded) == (302, False)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("10.0.0.5", False),
        ("::ffff:10.0.0.5", False),
        ("64:ff9b::a00:5", False),  # NAT64 of 10.0.0.5
        ("2002:a00:5::1", False),  # 6to4 of 10.0.0.5
        ("::127.0.0.1", False),
    ],
)
def test_an_address_is_public_only_with_every_ipv4_address_it_carries(address, public):
    assert delivery._public(address) is public
