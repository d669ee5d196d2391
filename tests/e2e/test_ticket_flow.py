"""The whole path of a request through two browsers: the partner files, the manager accepts and resolves."""

from decimal import Decimal

import pytest

from billing.services import deposit_top_up
from tests.factories import PASSWORD, AdminFactory, ManagerFactory, PartnerFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    partner = PartnerFactory(name="Alpha Integrations")
    manager = ManagerFactory(name="Mykola Manager", email="manager@e2e.test")
    ProjectFactory(partner=partner, manager=manager, name="Alpha Retail CRM")
    member = UserFactory(partner=partner, email="member@e2e.test")
    deposit_top_up(
        partner=partner, amount=Decimal("1800.00"), actor=AdminFactory(), memo="e2e", idempotency_key="e2e:1"
    )
    return member, manager


def test_partner_files_manager_accepts_and_resolves(live_server, login, people):
    member, manager = people
    partner_page = login(member.email, PASSWORD)
    assert partner_page.locator("#available").inner_text() == "1,800.00\u00a0UAH"

    partner_page.get_by_role("link", name="New request", exact=True).first.click()
    partner_page.get_by_label("Project").select_option(label="Alpha Retail CRM")
    partner_page.locator("#id_kind_simple").check()
    partner_page.get_by_label("Title").fill("Export to Excel fails")
    partner_page.get_by_label("Description").fill("It stops at 50% on every large report.")
    partner_page.get_by_role("button", name="File the request").click()
    partner_page.wait_for_url("**/tickets/*/")
    assert partner_page.locator("#ticket-status").inner_text() == "New"
    assert partner_page.locator("#deadlines time[data-due]").count() == 1
    number = partner_page.locator("h1").inner_text().split(" ")[0]
    ticket_url = partner_page.url

    manager_page = login(manager.email, PASSWORD)
    manager_page.goto(f"{live_server.url}/tickets/queue/")
    manager_page.get_by_role("link", name=number).click()
    manager_page.locator("#action-accept button[type=submit]").click()
    assert manager_page.locator("#ticket-status").inner_text() == "Accepted"

    partner_page.goto(ticket_url)
    assert partner_page.locator("#ticket-status").inner_text() == "Accepted"
    assert partner_page.locator("#resolve-due time[data-due]").count() == 1
    assert partner_page.locator("#manager a[href^='tel:']").count() == 1

    manager_page.locator("#action-resolve textarea").fill("The report template is fixed.")
    manager_page.locator("#action-resolve button[type=submit]").click()
    assert manager_page.locator("#ticket-status").inner_text() == "Resolved"

    partner_page.goto(f"{live_server.url}/")
    assert partner_page.locator("#available").inner_text() == "1,620.00\u00a0UAH"
    partner_page.goto(ticket_url)
    assert partner_page.locator("#resolution").inner_text() == "The report template is fixed."
