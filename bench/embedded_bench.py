"""The embedded default (`make run`: SQLite, the file-system broker, runserver, one worker with beat) under 16
writers: the web server's writes/s, the events/s the worker delivers while they write and until it has caught up,
and how long Ctrl-C takes to stop everything."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WRITERS = 16
SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port: int, token: str | None, method: str, path: str, data: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback, our own server
        return json.loads(response.read())


def pending(env: dict) -> tuple[int, int]:
    """(events stored, events not yet delivered), read from the embedded database."""
    script = (
        "from outbox.models import OutboxEvent as E;"
        "print(E.objects.count(), E.objects.filter(delivered_at__isnull=True).count())"
    )
    out = subprocess.run(  # noqa: S603 - our own arguments
        [BIN / "python", "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    total, waiting = out.stdout.split()[-2:]  # after whatever the settings print on start
    return int(total), int(waiting)


def group_alive(group: int) -> bool:
    """Whether a process of the group still runs (zombies waiting to be reaped do not count)."""
    states = subprocess.run(  # noqa: S603 - our own arguments
        [shutil.which("ps") or "/bin/ps", "-o", "stat=", "-g", str(group)], capture_output=True, text=True
    ).stdout.split()
    return any(not state.startswith("Z") for state in states)


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="ps-embedded-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env |= {"DEBUG": "1", "VAR_DIR": str(var), "LOG_LEVEL": "ERROR", "HOST": "127.0.0.1", "PORT": str(port)}
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    stack = subprocess.Popen(  # noqa: S603 - our own script, as `make run` starts it
        [shutil.which("bash") or "/bin/bash", "scripts/run-dev.sh"],
        cwd=ROOT,
        env={**env, "BIN": str(BIN)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                call(port, None, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        owner = call(
            port,
            None,
            "POST",
            "/api/v1/auth/token/",
            {"email": "owner@alpha.demo.local", "password": "partner-support-demo"},
        )["token"]
        project = call(port, owner, "GET", "/api/v1/projects/")["results"][0]["id"]
        tickets = [
            call(
                port,
                owner,
                "POST",
                "/api/v1/tickets/",
                {"project": project, "kind": "bug", "title": f"B{n}", "description": "d"},
            )["id"]
            for n in range(WRITERS)
        ]
        writes, stop = [0] * WRITERS, time.monotonic() + SECONDS

        def writer(index: int) -> None:
            while time.monotonic() < stop:
                call(port, owner, "POST", f"/api/v1/tickets/{tickets[index]}/comments/", {"body": "more details"})
                writes[index] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wrote_for = time.monotonic() - started
        total, waiting_at_end = pending(env)
        while True:
            total, waiting = pending(env)
            if waiting == 0 or time.monotonic() - started > SECONDS + 300:
                break
            time.sleep(1)
        drained = time.monotonic() - started
        print(f"embedded stack, {WRITERS} writers for {SECONDS} s:")
        print(f"  web:     {sum(writes)} writes, {sum(writes) / wrote_for:.1f} writes/s")
        print(
            f"  worker:  {total} events, {waiting_at_end} still waiting when the writers stopped, "
            f"{waiting} after {drained:.0f} s; sustained {(total - waiting) / drained:.1f} events/s"
        )
    finally:
        stopping = time.monotonic()
        os.killpg(stack.pid, signal.SIGINT)  # Ctrl-C in the terminal of `make run`
        stack.wait(120)
        while time.monotonic() - stopping < 120 and group_alive(stack.pid):
            time.sleep(0.1)
        if group_alive(stack.pid):
            os.killpg(stack.pid, signal.SIGKILL)
            print("  Ctrl-C:  still running after 120 s (killed)")
        else:
            print(f"  Ctrl-C:  the server, the worker and beat all stopped in {time.monotonic() - stopping:.1f} s")
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
