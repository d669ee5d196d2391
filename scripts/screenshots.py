"""`make screenshots`: the partner's ticket page, the manager's queue and the SLA audit, at desktop size and on a
390x844 phone, as PNG files in var/screenshots/ for anyone to look at.

Builds a database of its own (var/screenshots/db.sqlite3: the demo accounts, requests in every state, six weeks of
accepted and breached requests of two managers), serves it with `manage.py runserver` on a free port and takes the
pictures with Playwright in headless Chromium (/usr/bin/chromium, or CHROMIUM_PATH)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
DATABASE = OUT / "db.sqlite3"
KYIV = ZoneInfo("Europe/Kyiv")
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ENV = {
    **os.environ,
    "DEBUG": "1",
    "DATABASE_URL": f"sqlite:///{DATABASE}",
    "CELERY_BROKER_URL": "memory://",  # the pictures need no worker: events wait in memory and are dropped
    "REDIS_URL": "",
    "TWO_FACTOR_REQUIRED_ROLES": "",  # the pictures are of the pages behind the login, not of its second step
    "EMAIL_FILE_PATH": str(OUT / "mail"),
}


def build() -> dict:
    """The database the pictures show; returns the ids of the pages to take."""
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_support.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Project, User
    from billing.services import deposit_top_up
    from staff.demo import seed_demo
    from tickets import services

    call_command("migrate", verbosity=0)
    seed_demo(today=timezone.localdate())
    owner = User.objects.get(email="owner@alpha.demo.local")
    member = User.objects.get(email="member@alpha.demo.local")
    beta = User.objects.get(email="owner@beta.demo.local")
    manager1 = User.objects.get(email="manager1@demo.local")
    manager2 = User.objects.get(email="manager2@demo.local")
    retail = Project.objects.get(name="Alpha Retail CRM")
    logistics = Project.objects.get(name="Alpha Logistics CRM")
    clinic = Project.objects.get(name="Beta Clinic CRM")
    admin = User.objects.get(email="admin@demo.local")
    for project in (retail, clinic):
        deposit_top_up(
            partner=project.partner,
            amount=Decimal("9000.00"),
            actor=admin,
            memo="Payment received",
            idempotency_key=f"screenshots:{project.partner_id}",
        )

    def file(project, author, title, kind="simple", when=None):
        with time_machine.travel(when or timezone.now(), tick=False):
            return services.ticket_file(
                actor=author, project_id=project.pk, kind=kind, title=title, description=f"{title}: steps attached."
            )

    # Six weeks of history for the SLA audit: two managers, some acceptances late.
    monday = timezone.localtime().date() - timedelta(days=timezone.localtime().weekday())
    for weeks_ago in range(6, 0, -1):
        day = monday - timedelta(weeks=weeks_ago)
        for n, (project, author, manager) in enumerate(
            [(retail, member, manager1), (logistics, owner, manager1), (clinic, beta, manager2)]
        ):
            start = datetime.combine(day + timedelta(days=n), datetime.min.time(), KYIV).replace(hour=10)
            ticket = file(project, author, f"Report export {weeks_ago}-{n}", when=start)
            late = (weeks_ago + n) % 3 == 0
            with time_machine.travel(start + timedelta(minutes=90 if late else 20 + 7 * n), tick=False):
                services.ticket_accept(ticket_id=ticket.pk, actor=manager)
            with time_machine.travel(start + timedelta(hours=2 + n + weeks_ago % 2), tick=False):
                services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed the template.")

    # Open requests for the queue, and the partner's request waiting for their reply.
    waiting = file(retail, owner, "Orders do not reach the warehouse")
    services.ticket_accept(ticket_id=waiting.pk, actor=manager1)
    services.comment_add(ticket_id=waiting.pk, actor=manager1, body="Looking at the integration log now.")
    services.ticket_request_info(
        ticket_id=waiting.pk, actor=manager1, message="Which warehouse, and since when? A screenshot helps."
    )
    file(logistics, member, "Courier status is not updated")
    file(retail, owner, "Checkout page is down", kind="bug")
    accepted = file(logistics, owner, "Add a discount field to the invoice template")
    services.ticket_accept(ticket_id=accepted.pk, actor=manager1)
    file(retail, member, "Import of 3 price lists", kind="composite")
    return {"ticket": waiting.pk}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own server on loopback)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}")


def shoot(base: str, pages: dict) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    shots = [
        ("partner-ticket", "owner@alpha.demo.local", f"/tickets/{pages['ticket']}/"),
        ("queue", "manager1@demo.local", "/tickets/queue/"),
        ("sla-audit", "admin@demo.local", f"/staff/sla/?since={(datetime.now() - timedelta(weeks=7)):%Y-%m-%d}"),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        for size, viewport in SIZES.items():
            for name, email, path in shots:
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(f"{base}/login/")
                page.get_by_label("E-mail").fill(email)
                page.get_by_label("Password").fill("partner-support-demo")
                page.get_by_role("button", name="Log in").click()
                page.wait_for_load_state("networkidle")
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    builder = subprocess.run(  # noqa: S603 (this interpreter, this script)
        [sys.executable, __file__, "--build"], env=ENV, cwd=ROOT, check=True, capture_output=True, text=True
    )
    pages = {"ticket": int(builder.stdout.strip().splitlines()[-1])}
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (this interpreter, our manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/login/")
        for path in shoot(base, pages):
            print(path.relative_to(ROOT))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    if sys.argv[1:] == ["--build"]:
        print(build()["ticket"])
    else:
        main()
