"""The stored outbox: events written with the change, numbered per stream, relayed in order at least once, with
retries that keep the order. (The broker and the worker being down, with real processes: test_processes.py.)"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxEvent
from outbox.relay import outbox_prune, relay_run
from outbox.services import event_emit
from tests.helpers import postgres_only, run_concurrently
from tickets import services

pytestmark = pytest.mark.django_db
HANDLED: list[tuple[str, int, str]] = []
FAILING: set[str] = set()
LOCK = threading.Lock()


def recording_subscriber(event: OutboxEvent) -> None:
    """A subscriber for these tests: records (stream, sequence, type), and fails on the types in FAILING."""
    if event.type in FAILING:
        raise RuntimeError(f"{event.type} refused")
    with LOCK:
        HANDLED.append((event.stream, event.sequence, event.type))


@pytest.fixture
def recording(settings):
    settings.OUTBOX_SUBSCRIBERS = {"recorder": "tests.outbox.test_relay.recording_subscriber"}
    HANDLED.clear()
    FAILING.clear()
    yield HANDLED
    FAILING.clear()


def test_a_transition_stores_its_event_with_the_ticket_as_it_was(file_ticket, manager):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    created, accepted = OutboxEvent.objects.filter(stream=f"ticket:{ticket.pk}").order_by("sequence")
    assert (created.type, created.sequence, created.payload["ticket"]["status"]) == ("ticket.created", 1, "new")
    assert (accepted.type, accepted.sequence, accepted.payload["ticket"]["status"]) == (
        "ticket.status_changed",
        2,
        "accepted",
    )
    assert (
        accepted.payload["ticket"]["resolve_due_at"] is not None and created.payload["ticket"]["resolve_due_at"] is None
    )
    assert (accepted.partner_id, accepted.ticket_id, accepted.actor_id) == (ticket.partner_id, ticket.pk, manager.pk)
    assert created.delivered_at is None  # nothing committed in this test: nothing relayed yet


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        event_emit(type="x.y", stream="partner:1", payload={})


def test_the_relay_hands_out_each_event_once_in_stream_order(recording, file_ticket, manager):
    first, _second = file_ticket(), file_ticket()
    services.ticket_accept(ticket_id=first.pk, actor=manager)
    services.comment_add(ticket_id=first.pk, actor=manager, body="On it")
    assert relay_run() == 4
    assert relay_run() == 0
    first_stream = [(seq, kind) for stream, seq, kind in recording if stream == f"ticket:{first.pk}"]
    assert first_stream == [(1, "ticket.created"), (2, "ticket.status_changed"), (3, "ticket.commented")]
    assert len(recording) == 4 and not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    positions = list(OutboxEvent.objects.order_by("position").values_list("id", flat=True))
    assert positions == sorted(positions)  # committed in this order, numbered in this order


def test_a_failing_subscriber_is_retried_with_back_off_and_its_stream_waits(recording, file_ticket, manager):
    blocked, other = file_ticket(), file_ticket()
    services.ticket_accept(ticket_id=blocked.pk, actor=manager)
    FAILING.add("ticket.status_changed")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        relay_run()
        failed = OutboxEvent.objects.get(type="ticket.status_changed")
        assert failed.attempts == 1 and "refused" in failed.last_error and failed.next_attempt_at > start
        assert (f"ticket:{other.pk}", 1, "ticket.created") in recording  # other streams go on
        services.comment_add(ticket_id=blocked.pk, actor=manager, body="later")
        relay_run()
        assert [kind for stream, _seq, kind in recording if stream == f"ticket:{blocked.pk}"] == ["ticket.created"]

        FAILING.clear()
        relay_run()  # not due yet: the back-off holds
        assert OutboxEvent.objects.get(pk=failed.pk).delivered_at is None
        clock.move_to(start + timedelta(minutes=1))
        relay_run()
    assert [kind for stream, _seq, kind in recording if stream == f"ticket:{blocked.pk}"] == [
        "ticket.created",
        "ticket.status_changed",
        "ticket.commented",
    ]


def test_pruning_keeps_undelivered_events_and_recent_ones(recording, file_ticket, manager, settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old = file_ticket()
    relay_run()
    services.ticket_accept(ticket_id=old.pk, actor=manager)  # stored, not relayed
    assert outbox_prune(now=timezone.now() + timedelta(days=29)) == 0
    assert outbox_prune(now=timezone.now() + timedelta(days=31)) == 1
    assert list(OutboxEvent.objects.values_list("type", flat=True)) == ["ticket.status_changed"]
    services.comment_add(ticket_id=old.pk, actor=manager, body="after pruning")
    sequences = list(OutboxEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == [2, 3]  # the stream's numbering survives pruning


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_relays_at_once_hand_out_nothing_twice_and_keep_each_stream_in_order(recording, file_ticket, manager):
    tickets = [file_ticket() for _ in range(8)]
    for ticket in tickets:
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
        services.comment_add(ticket_id=ticket.pk, actor=manager, body="one")
        services.comment_add(ticket_id=ticket.pk, actor=manager, body="two")
    OutboxEvent.objects.update(delivered_at=None, done_by=[])  # the commits above relayed; hand all out again
    HANDLED.clear()

    results = run_concurrently([relay_run] * 4)

    assert not [r for r in results if isinstance(r, Exception)], results
    # 32 ticket events and the deposit's low-balance alert, each handed out once
    assert sum(results) == OutboxEvent.objects.count() == len(HANDLED) == len(set(HANDLED)) == 33
    for ticket in tickets:
        sequences = [seq for stream, seq, _kind in HANDLED if stream == f"ticket:{ticket.pk}"]
        assert sequences == [1, 2, 3, 4]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_ticket_get_gapless_sequence_numbers(file_ticket, manager):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    results = run_concurrently(
        [lambda n=n: services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=n + 1) for n in range(8)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    sequences = list(OutboxEvent.objects.filter(stream=f"ticket:{ticket.pk}").values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, 11))
    with transaction.atomic():
        assert OutboxEvent.objects.filter(position__isnull=True).count() == 0


def test_administrators_see_undelivered_events_in_the_admin(client, admin_user, file_ticket):
    file_ticket()
    client.force_login(admin_user)
    response = client.get("/admin/outbox/outboxevent/", {"delivered_at__isnull": "True"})
    assert response.status_code == 200 and "ticket.created" in response.text
    assert client.get("/admin/outbox/outboxevent/add/").status_code == 403


def test_the_relay_task_retries_while_the_database_is_away(monkeypatch):
    from django.db import OperationalError

    from outbox import tasks

    calls = []

    def flaky_relay():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return 7

    monkeypatch.setattr(tasks, "relay_run", flaky_relay)
    result = tasks.outbox_relay.apply()
    assert result.successful() and result.result == 7 and len(calls) == 3


def test_a_task_that_keeps_failing_fails_loudly_in_the_end(monkeypatch):
    from django.db import OperationalError

    from outbox import tasks

    def down():
        raise OperationalError("the database is down")

    monkeypatch.setattr(tasks, "relay_run", down)
    result = tasks.outbox_relay.apply()
    assert result.failed() and isinstance(result.result, OperationalError)
