"""At a phone's 390x844 in headless Chromium: the ticket page's status, deadline, manager and next step above the
fold; the queue as cards with filters, clickable counts and bulk acceptance; the request list sorted by deadline;
a destructive action that asks first; the SLA audit's charts drawn with a legend and no CSP violation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.services import deposit_top_up
from tests.factories import (
    PASSWORD,
    AdminFactory,
    ManagerFactory,
    PartnerFactory,
    PartnerOwnerFactory,
    ProjectFactory,
    TicketFactory,
    UserFactory,
)
from tickets import services
from tickets.models import SlaBreach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene():
    partner = PartnerFactory(name="Alpha Integrations")
    manager = ManagerFactory(name="Mykola Manager", email="manager@e2e.test", phone="+380440000001")
    project = ProjectFactory(partner=partner, manager=manager, name="Alpha Retail CRM")
    owner = PartnerOwnerFactory(partner=partner, email="owner@e2e.test", name="Andrii Alpha")
    member = UserFactory(partner=partner, email="member@e2e.test", name="Maria Alpha")
    admin = AdminFactory(email="admin@e2e.test")
    deposit_top_up(partner=partner, amount=Decimal("9000.00"), actor=admin, memo="e2e", idempotency_key="e2e:p")
    waiting = services.ticket_file(
        actor=owner, project_id=project.pk, kind="simple", title="Orders do not reach the warehouse", description="d"
    )
    services.ticket_accept(ticket_id=waiting.pk, actor=manager)
    services.comment_add(ticket_id=waiting.pk, actor=manager, body="Looking at the log. " * 30)
    services.ticket_request_info(ticket_id=waiting.pk, actor=manager, message="Which warehouse?")
    for title in ("Courier status is stale", "Checkout page is down"):
        services.ticket_file(actor=member, project_id=project.pk, kind="simple", title=title, description="d")
    return {
        "owner": owner,
        "member": member,
        "manager": manager,
        "admin": admin,
        "project": project,
        "waiting": waiting,
    }


def _above_the_fold(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"] and box["x"] + box["width"] <= 390


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_partners_ticket_page_shows_where_it_stands_and_the_next_step_first(live_server, login, scene):
    page = login(scene["owner"].email, PASSWORD)
    page.goto(f"{live_server.url}/tickets/{scene['waiting'].pk}/")
    for selector in (
        "#ticket-status",
        "#summary-due",
        "#summary a[href^='tel:']",
        "#next-step h2",
        "#manager-question",
    ):
        assert _above_the_fold(page, selector), selector
    assert page.locator("#next-step h2").inner_text() == "Waiting for your reply"
    assert _no_sideways_scroll(page)
    page.locator("#next-step").get_by_role("button", name="Reply").click()
    page.locator("#comment-form textarea").fill("The Kyiv warehouse, since Monday.")
    page.locator("#comment-form button[type=submit]").click()
    assert page.locator("#ticket-status").inner_text() == "Accepted"  # the reply resumed it
    assert "Your message is posted." in page.locator("main").inner_text()


def test_the_queue_on_a_phone_is_cards_filtered_by_its_counts_with_bulk_acceptance(live_server, login, scene):
    page = login(scene["manager"].email, PASSWORD)
    assert page.url.endswith("/tickets/queue/")  # a manager starts on the queue
    assert _no_sideways_scroll(page)
    for label in ("Status", "Deadline", "Kind"):  # each a line of the card, named by its column (CSS ::before)
        assert _above_the_fold(page, f"#queue-table tbody tr:first-child td[data-label='{label}']"), label
    page.locator("#status-counts").get_by_role("link", name="New").click()
    assert "status=new" in page.url
    assert page.locator("#queue-table tbody tr").count() == 2
    page.get_by_label("Search").fill("checkout")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("#queue-table tbody tr").count() == 1
    page.locator("#queue-table input[type=checkbox]").check()
    page.get_by_role("button", name="Accept the ticked requests").click()
    assert "1 request accepted:" in page.locator("main").inner_text()
    assert "search=checkout" in page.url


def test_the_request_list_sorts_by_deadline_from_its_header(live_server, login, scene):
    now = timezone.now()
    TicketFactory(project=scene["project"], title="Due in five hours", accept_due_at=now + timedelta(hours=5))
    TicketFactory(project=scene["project"], title="Due in one hour", accept_due_at=now + timedelta(hours=1))
    page = login(scene["owner"].email, PASSWORD)
    assert page.locator("#open-count").inner_text() == "5"  # the dashboard counts every open request
    page.goto(f"{live_server.url}/tickets/?ordering=accept_due_at")
    text = page.locator("#ticket-table").inner_text()
    assert text.index("Due in one hour") < text.index("Due in five hours")
    page.get_by_label("Sort by").select_option("resolve_due_at")  # on a phone the headers fold into the cards
    page.get_by_role("button", name="Filter").click()
    assert "ordering=resolve_due_at" in page.url and _no_sideways_scroll(page)
    desktop = login(scene["member"].email, PASSWORD, viewport={"width": 1280, "height": 900})
    desktop.goto(f"{live_server.url}/tickets/")
    desktop.locator("#sort-filed").click()
    assert "ordering=created_at" in desktop.url
    desktop.locator("#sort-deadline").click()
    assert "ordering=resolve_due_at" in desktop.url
    assert desktop.locator("#sort-deadline").locator("xpath=..").get_attribute("aria-sort") == "ascending"


def test_switching_a_colleague_off_asks_first_and_says_what_happened(live_server, login, scene):
    page = login(scene["owner"].email, PASSWORD)
    page.goto(f"{live_server.url}/team/")
    page.get_by_role("button", name="Switch off").first.click()
    assert "What this breaks:" in page.locator("#confirm").inner_text()
    assert "can no longer log in" in page.locator("#confirm").inner_text()
    page.get_by_role("button", name="Keep it, go back").click()
    assert page.url.endswith("/team/")
    page.get_by_role("button", name="Switch off").first.click()
    page.locator("#confirm").get_by_role("button", name="Switch off").click()
    assert "member@e2e.test can no longer log in." in page.locator("main").inner_text()


def test_the_sla_audit_draws_its_charts_with_legends_on_a_phone(live_server, login, scene):
    manager, project = scene["manager"], scene["project"]
    other = ManagerFactory(name="Iryna Manager")
    other_project = ProjectFactory(manager=other)
    now = timezone.now()
    for weeks in range(1, 4):
        accepted = now - timedelta(weeks=weeks)
        for owner_project, assignee, minutes in ((project, manager, 20 + weeks), (other_project, other, 70)):
            ticket = TicketFactory(
                project=owner_project,
                assignee=assignee,
                status="resolved",
                accepted_at=accepted,
                accept_working_minutes=minutes,
                resolve_working_minutes=120,
                acceptance_breached=minutes > 60,
            )
            if minutes > 60:
                SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=accepted, manager=assignee)
    page = login(scene["admin"].email, PASSWORD)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/staff/sla/?since={(now - timedelta(weeks=5)):%Y-%m-%d}")
    page.wait_for_selector("figure.charted canvas")
    assert page.locator("figure.charted").count() == 4
    for index in range(4):
        box = page.locator("figure.charted canvas").nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 200
        table = page.locator("figure.charted .chart-numbers").nth(index).bounding_box()
        assert table["width"] <= 1  # for screen readers only, once the chart is drawn
    assert problems == []
    assert _no_sideways_scroll(page)
    link = page.locator("table a[href^='/tickets/']").first
    assert link.inner_text().startswith("PS-")
