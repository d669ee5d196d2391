"""A manager enters an absence in the browser; a request filed then appears in the deputy's queue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.absences import deputy_set
from billing.services import deposit_top_up
from tests.factories import PASSWORD, AdminFactory, ManagerFactory, PartnerFactory, ProjectFactory, UserFactory
from tickets import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_enters_an_absence_and_the_deputy_queue_shows_the_new_ticket(live_server, login):
    partner = PartnerFactory(name="Alpha Integrations")
    manager = ManagerFactory(name="Mykola Manager", email="manager@e2e.test")
    deputy = ManagerFactory(name="Daria Deputy", email="deputy@e2e.test")
    project = ProjectFactory(partner=partner, manager=manager, name="Alpha Retail CRM")
    member = UserFactory(partner=partner, email="member@e2e.test")
    admin = AdminFactory()
    deposit_top_up(partner=partner, amount=Decimal("1800.00"), actor=admin, memo="e2e", idempotency_key="e2e:1")
    deputy_set(actor=admin, manager=manager, deputy=deputy)

    manager_page = login(manager.email, PASSWORD)
    manager_page.get_by_role("link", name="Absences").click()
    local = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    manager_page.get_by_label("Kind").select_option("sick")
    manager_page.get_by_label("From").fill((local - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    manager_page.get_by_label("Until").fill((local + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    manager_page.get_by_role("button", name="Add to the calendar").click()
    manager_page.wait_for_url("**/tickets/absences/")
    assert "Sick leave" in manager_page.locator("#absences").inner_text()

    ticket = services.ticket_file(
        actor=member, project_id=project.pk, kind="simple", title="Export fails", description="At 50%."
    )
    deputy_page = login(deputy.email, PASSWORD)
    deputy_page.goto(f"{live_server.url}/tickets/queue/")
    assert "Mykola Manager" in deputy_page.locator("#covering").inner_text()
    deputy_page.get_by_role("link", name=ticket.number).click()
    deputy_page.locator("#action-accept button[type=submit]").click()
    assert deputy_page.locator("#ticket-status").inner_text() == "Accepted"

    partner_page = login(member.email, PASSWORD)
    partner_page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    assert partner_page.locator("#cover-handler").inner_text() == "Daria Deputy"
