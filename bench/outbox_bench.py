"""The stored outbox (PostgreSQL): what it adds to each write, and how fast the relay and the webhook senders go.

Prints (1) milliseconds per write (file a request, accept it, comment) with the stored outbox against the earlier
path that only enqueued a task after commit; (2) the relay's throughput, events per second handed to the
subscribers (notifications, webhook dispatch rows); (3) webhook events per second POSTed to a receiver on
loopback and acknowledged.
"""

import os
import statistics
import sys
import time
from pathlib import Path

from _django import throwaway_postgres

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "1"
TICKETS = 300
ROUNDS = 3


def writes(services, member, manager, project, count: int) -> float:
    """Seconds for `count` x (file, accept, comment): 3 writes, 3 events each time."""
    started = time.perf_counter()
    for n in range(count):
        ticket = services.ticket_file(actor=member, project_id=project.pk, kind="bug", title=f"T{n}", description="d")
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
        services.comment_add(ticket_id=ticket.pk, actor=manager, body="On it")
    return time.perf_counter() - started


def main() -> None:
    with throwaway_postgres("ps_bench_outbox") as ready:
        if not ready:
            return
        from django.db import transaction
        from django.utils import timezone

        from accounts.models import Partner, Project, Role, User
        from integrations.dispatch import endpoint_send
        from integrations.models import WebhookDispatch, WebhookEndpoint
        from outbox.models import OutboxEvent
        from outbox.relay import relay_run
        from outbox.tasks import outbox_relay
        from tests.receivers import Receiver
        from tickets import events, services

        partner = Partner.objects.create(name="Bench", contract_number="B-1", contract_date=timezone.now().date())
        manager = User.objects.create_user("m@bench.local", None, role=Role.MANAGER)
        member = User.objects.create_user("p@bench.local", None, role=Role.PARTNER_OWNER, partner=partner)
        project = Project.objects.create(partner=partner, name="P", manager=manager)

        def on_commit_path(**kwargs):  # before the outbox: a task enqueued after commit, nothing stored
            transaction.on_commit(lambda: outbox_relay.apply_async(retry=False))

        stored, enqueued = [], []
        for _round in range(ROUNDS):
            stored.append(writes(services, member, manager, project, TICKETS))
            original = events.event_emit
            events.event_emit = on_commit_path
            try:
                enqueued.append(writes(services, member, manager, project, TICKETS))
            finally:
                events.event_emit = original
        per_write = 1000 / (3 * TICKETS)
        stored_ms, enqueued_ms = statistics.median(stored) * per_write, statistics.median(enqueued) * per_write
        print(f"writes: {3 * TICKETS} per round, {ROUNDS} rounds, median per write:")
        print(f"  stored outbox    {stored_ms:6.2f} ms")
        print(f"  on_commit only   {enqueued_ms:6.2f} ms")
        print(f"  added by outbox  {stored_ms - enqueued_ms:6.2f} ms per write ({stored_ms / enqueued_ms:.2f}x)")

        receiver = Receiver()
        WebhookEndpoint.objects.create(
            partner=partner, url=receiver.url, secret=os.urandom(16).hex(), created_by=member
        )
        OutboxEvent.objects.update(delivered_at=None, done_by=[])
        pending = OutboxEvent.objects.count()
        started = time.perf_counter()
        delivered = relay_run(limit=10**9)
        elapsed = time.perf_counter() - started
        print(
            f"relay: {delivered} of {pending} events to 2 subscribers in {elapsed:.2f} s: {delivered / elapsed:,.0f}/s"
        )

        endpoint = WebhookEndpoint.objects.get()
        owed = WebhookDispatch.objects.filter(delivered_at__isnull=True).count()
        started = time.perf_counter()
        while endpoint_send(endpoint_id=endpoint.pk, limit=10**9):
            pass
        elapsed = time.perf_counter() - started
        sent = len(receiver.received)
        print(f"webhooks: {sent} of {owed} events POSTed and acknowledged in {elapsed:.2f} s: {sent / elapsed:,.0f}/s")
        receiver.close()


if __name__ == "__main__":
    main()
