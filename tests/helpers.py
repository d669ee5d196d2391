"""Shared test helpers."""

import email
import threading
from collections.abc import Callable
from email.policy import default as default_policy
from email.utils import parseaddr

import pytest
from django.db import close_old_connections, connection


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    not on_postgresql(), reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and real concurrent transactions"
)


def run_concurrently(functions: list[Callable[[], object]]) -> list[object]:
    """Run each function in its own thread (own database connection), released together by a barrier.

    Returns each function's result or the exception it raised, in order.
    """
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)

    def worker(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as error:
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def mail_authenticated(raw: bytes, authserv_id: str = "mx.partner-support.local") -> bytes:
    """The message as our receiving mail server passes it on when DMARC passes for its From: domain."""
    sender = parseaddr(str(email.message_from_bytes(raw, policy=default_policy).get("From", "")))[1]
    domain = sender.rpartition("@")[2].lower()
    return f"Authentication-Results: {authserv_id}; dmarc=pass header.from={domain}\r\n".encode() + raw
