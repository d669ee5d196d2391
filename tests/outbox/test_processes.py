"""The outbox with real processes: gunicorn, Celery workers with beat, a Redis broker started and stopped here,
PostgreSQL, and a webhook receiver on loopback. Nothing is mocked: the broker is really down, the worker is
really killed with SIGKILL."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import suppress
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.credentials import login_token_issue
from billing.services import deposit_top_up
from integrations.services import webhook_create
from notifications.models import Notification
from outbox.models import OutboxEvent
from tests.factories import PartnerOwnerFactory
from tests.helpers import postgres_only
from tests.receivers import Receiver
from tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS = shutil.which("redis-server") or "redis-server"
pytestmark = [
    postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server (apt-get install redis-server)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Stack:
    """The production processes against the test database and a Redis broker of their own."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.redis_port, self.web_port = free_port(), free_port()
        self.redis = None
        self.workers: list[subprocess.Popen] = []
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "partner_support.settings",
            "DEBUG": "1",
            "SECRET_KEY": settings.SECRET_KEY,  # the login tokens made here are checked there
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "OUTBOX_RELAY_SECONDS": "1",
            # what a killed worker held (an endpoint's lease, an e-mail's claim) comes back within seconds here
            "WEBHOOK_TIMEOUT_SECONDS": "5",
            "EMAIL_CLAIM_SECONDS": "10",
            "LOG_LEVEL": "ERROR",
        }
        self.env.pop("REDIS_URL", None)  # the cache stays local: only the broker goes down here
        self.web = None

    def start_redis(self):
        self.redis = subprocess.Popen(  # noqa: S603 - our own arguments
            [REDIS, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self._answers(self.redis_port), 10, "redis")

    def stop_redis(self):
        self.redis.terminate()
        self.redis.wait(10)
        wait_for(lambda: not self._answers(self.redis_port), 10, "redis to stop")

    def start_web(self):
        self.web = subprocess.Popen(  # noqa: S603 - our own arguments
            [BIN / "gunicorn", "partner_support.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}", "-w", "2"],
            cwd=ROOT,
            env={**self.env, "VAR_DIR": str(self.tmp / "web")},
            start_new_session=True,
        )
        wait_for(lambda: self._answers(self.web_port), 30, "gunicorn")

    def start_worker(self, name: str, *options: str) -> subprocess.Popen:
        """A worker with beat on both queues (as `make run` starts it), unless `options` say otherwise."""
        options = options or ("--beat", "-Q", "celery,webhooks", "-c", "2")
        worker = subprocess.Popen(  # noqa: S603 - our own arguments
            [BIN / "celery", "-A", "partner_support", "worker", "-n", name, *options],
            cwd=ROOT,
            env={**self.env, "VAR_DIR": str(self.tmp / name)},
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL to the process and every child of it (a Celery worker's pool, gunicorn's workers)."""
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def close(self):
        for process in [*self.workers, self.web]:
            if process is not None:
                self.kill(process)
        if self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait(10)

    @staticmethod
    def _answers(port: int) -> bool:
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        return False

    def get(self, token: str, path: str) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}{path}", headers={"Authorization": f"Token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback, our own server
            return json.loads(response.read())

    def post(self, token: str, path: str, data: dict, key: str | None = None) -> tuple[int, dict, float]:
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}{path}", data=json.dumps(data).encode(), method="POST", headers=headers
        )
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback, our own server
            return response.status, json.loads(response.read()), time.monotonic() - started


@pytest.fixture
def stack(tmp_path):
    made = Stack(tmp_path)
    made.start_redis()
    made.start_web()
    yield made
    made.close()


@pytest.fixture
def world(partner, project, member, manager, admin_user):
    owner = PartnerOwnerFactory(partner=partner)
    deposit_top_up(partner=partner, amount=Decimal("18000.00"), actor=admin_user, memo="t", idempotency_key="p:1")
    receiver = Receiver()
    webhook_create(actor=owner, url=receiver.url)
    yield {
        "project": project,
        "member": login_token_issue(user=member).key,
        "manager": login_token_issue(user=manager).key,
        "receiver": receiver,
        "partner": partner,
    }
    receiver.close()


def work(stack: Stack, world: dict, tickets: int) -> list[float]:
    """File, accept, comment on and resolve `tickets` requests through the API: 4 writes each."""
    timings = []
    for n in range(tickets):
        status, ticket, took = stack.post(
            world["member"],
            "/api/v1/tickets/",
            {"project": world["project"].pk, "kind": "simple", "title": f"Request {n}", "description": "d"},
        )
        assert status == 201
        timings.append(took)
        for token, action, body in [
            ("manager", "accept", {}),
            ("manager", "comments", {"body": f"On it ({n})"}),
            ("manager", "resolve", {"resolution": f"Done ({n})"}),
        ]:
            status, _answer, took = stack.post(world[token], f"/api/v1/tickets/{ticket['id']}/{action}/", body)
            assert status in (200, 201)
            timings.append(took)
    return timings


def delivered_everything(world: dict) -> bool:
    public = set(OutboxEvent.objects.filter(public=True, partner_id=world["partner"].pk).values_list("event_id"))
    received = {json.loads(body)["id"] for _headers, body in world["receiver"].received}
    return (
        not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
        and len(received) == len(public)
        and not Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).exists()
    )


def assert_each_event_once_in_order_as_it_was(stack: Stack, world: dict, redelivered: int = 0) -> None:
    """`redelivered`: how many deliveries a killed worker may have made without living to record them (at least
    once: the receiver gets those again, and deduplicates by id)."""
    bodies = [json.loads(body) for _headers, body in world["receiver"].received]
    ids = [body["id"] for body in bodies]
    assert len(ids) - len(set(ids)) <= redelivered, "an event reached the receiver twice"
    first_seen = {}
    for body in bodies:
        first_seen.setdefault(body["id"], body)
    bodies = list(first_seen.values())
    ids = [body["id"] for body in bodies]
    by_ticket: dict[int, list[dict]] = {}
    for body in bodies:
        if "ticket" in body:
            by_ticket.setdefault(body["ticket"]["id"], []).append(body)
    for events in by_ticket.values():
        assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events), "out of order"
        assert [(e["event"], e["ticket"]["status"]) for e in events] == [
            ("ticket.created", "new"),
            ("ticket.status_changed", "accepted"),
            ("ticket.commented", "accepted"),
            ("ticket.status_changed", "resolved"),
        ]
    feed = stack.get(world["member"], "/api/v1/events/?limit=500")["results"]
    assert {event["id"] for event in feed} == set(ids)  # the feed and the webhooks: the same events, the same ids
    created = OutboxEvent.objects.filter(type="ticket.created").values_list("event_id", flat=True)
    for event_id in created:
        assert Notification.objects.filter(key=f"event:{event_id}").count() == 1  # the manager, once


def test_writes_during_a_broker_outage_answer_and_every_event_arrives_once_it_returns(stack, world):
    stack.start_worker("w1")
    stack.stop_redis()
    timings = work(stack, world, tickets=5)  # 20 transitions
    assert max(timings) < 5, timings  # nobody waits on the broker
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() >= 20
    assert world["receiver"].received == []

    stack.start_redis()
    wait_for(lambda: delivered_everything(world), 90, "every event after the broker came back")
    assert_each_event_once_in_order_as_it_was(stack, world)

    # a client that lost its answer retries with the same Idempotency-Key: nothing new, the first answer
    body = {"project": world["project"].pk, "kind": "simple", "title": "Retried", "description": "d"}
    first = stack.post(world["member"], "/api/v1/tickets/", body, key="retry-1")
    again = stack.post(world["member"], "/api/v1/tickets/", body, key="retry-1")
    assert first[0] == again[0] == 201 and first[1] == again[1]
    assert Ticket.objects.filter(title="Retried").count() == 1


def test_a_worker_killed_mid_burst_loses_nothing(stack, world):
    first = stack.start_worker("w1")
    time.sleep(2)
    burst = threading.Thread(target=work, args=(stack, world, 6))
    burst.start()
    wait_for(lambda: len(world["receiver"].received) >= 3, 60, "the burst to be under way")
    stack.kill(first)  # SIGKILL, in the middle of relaying and sending
    burst.join(120)
    stack.start_worker("w2")
    # what the killed worker had claimed comes back when its lease or claim runs out, and the periodic tasks
    # (webhooks every 15 s, e-mails every minute) pick it up
    wait_for(lambda: delivered_everything(world), 180, "every event after a new worker started")
    # the killed worker's webhook sender may have been killed between a POST and its record: one event again
    assert_each_event_once_in_order_as_it_was(stack, world, redelivered=1)


def test_two_workers_with_two_relays_deliver_nothing_twice(stack, world):
    stack.start_worker("w1")
    stack.start_worker("w2")
    time.sleep(2)
    work(stack, world, tickets=5)
    wait_for(lambda: delivered_everything(world), 90, "every event with two workers")
    assert_each_event_once_in_order_as_it_was(stack, world)


def test_a_hung_broker_holds_up_no_request(stack, world):
    stack.start_worker("w1")
    time.sleep(2)
    stack.redis.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        timings = work(stack, world, tickets=3)
    finally:
        stack.redis.send_signal(signal.SIGCONT)
    assert max(timings) < 5, timings
    wait_for(lambda: delivered_everything(world), 90, "every event after the broker woke up")
    assert_each_event_once_in_order_as_it_was(stack, world)


def test_a_hung_receiver_holds_up_no_other_partners_webhooks(stack, world, other_partner_project, outsider, admin_user):
    """As deployed: webhook senders on their own queue and threads. Partner A's receiver hangs; partner B's
    events all arrive while A's first delivery is still waiting for its answer."""
    hung = threading.Event()
    world["receiver"].hold = hung
    other = other_partner_project.partner
    deposit_top_up(partner=other, amount=Decimal("1800.00"), actor=admin_user, memo="t", idempotency_key="b:1")
    healthy = Receiver()
    webhook_create(actor=PartnerOwnerFactory(partner=other), url=healthy.url)
    theirs = {"project": other_partner_project, "member": login_token_issue(user=outsider).key}
    theirs["manager"] = login_token_issue(user=other_partner_project.manager).key
    stack.env["WEBHOOK_TIMEOUT_SECONDS"] = "30"  # A's receiver hangs longer than B needs
    stack.start_worker("relay", "-B", "-Q", "celery", "-c", "2")
    stack.start_worker("hooks", "-Q", "webhooks", "-P", "threads", "-c", "4")
    try:
        work(stack, world, tickets=1)  # A: its receiver takes the first event and hangs
        wait_for(lambda: len(world["receiver"].received) == 1, 60, "A's receiver to be called")
        work(stack, {**world, **theirs}, tickets=2)  # B
        wait_for(lambda: len(healthy.received) >= 8, 60, "B's events while A hangs")
        assert len(world["receiver"].received) == 1 and not hung.is_set()  # A still on its first event
    finally:
        hung.set()
        healthy.close()
