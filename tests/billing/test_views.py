"""Deposit, statement and invoice pages: what each role sees, what it may do, and what it costs in queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import InvoiceStatus, LedgerEntry
from billing.services import deposit_top_up, hold_capture, hold_place, invoice_issue, invoice_mark_paid
from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(partner, fund, make_ticket, manager):
    """A top-up, a hold and a debit on the partner's deposit."""
    fund(partner, "900.00")
    ticket = make_ticket(title="Export fails")
    hold_place(ticket=ticket, amount=Decimal("180.00"))
    hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    hold_place(ticket=make_ticket(), amount=Decimal("180.00"))
    return ticket


def test_member_sees_the_deposit_and_statement(client, member, history):
    client.force_login(member)
    response = client.get(reverse("billing:account"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.balance, summary.held, summary.available) == (Decimal("720.00"), 180, Decimal("540.00"))
    assert "540.00\u00a0UAH" in response.text
    assert history.number in response.text
    assert [entry.kind for entry in response.context["page"]] == ["debit", "top_up"]


def test_account_page_for_a_partner_without_money(client, member):
    client.force_login(member)
    response = client.get(reverse("billing:account"))
    assert response.status_code == 200
    assert "No operations yet." in response.text
    assert "fewer than three requests" in response.text


def test_partner_user_cannot_look_at_another_partners_deposit(client, outsider, partner, history):
    client.force_login(outsider)
    assert client.get(reverse("billing:account"), {"partner": partner.pk}).status_code == 404
    assert client.get(reverse("billing:statement_csv"), {"partner": partner.pk}).status_code == 404
    own = client.get(reverse("billing:account"))
    assert own.status_code == 200
    assert history.number not in own.text


@pytest.mark.parametrize("query", [{"partner": "abc"}, {"partner": "999999"}, {"partner": "²"}, {"partner": "9" * 30}])
def test_admin_with_an_unknown_partner_gets_404(client, admin_user, query):
    client.force_login(admin_user)
    assert client.get(reverse("billing:account"), query).status_code == 404


def test_managers_have_no_billing_pages(client, manager, history):
    client.force_login(manager)
    assert client.get(reverse("billing:account")).status_code == 404
    assert client.get(reverse("billing:invoices")).status_code == 404
    assert client.get(reverse("billing:statement_csv")).status_code == 404


def test_pages_require_login(client):
    response = client.get(reverse("billing:account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_admin_overview_and_one_partners_deposit(client, admin_user, partner, history, other_partner_project):
    client.force_login(admin_user)
    overview = client.get(reverse("billing:account"))
    assert overview.status_code == 200
    assert partner.name in overview.text
    assert other_partner_project.partner.name in overview.text
    detail = client.get(reverse("billing:account"), {"partner": partner.pk})
    assert detail.context["summary"].balance == Decimal("720.00")


def test_account_page_query_count_is_constant(
    client, member, partner, fund, make_ticket, manager, django_assert_max_num_queries
):
    client.force_login(member)
    fund(partner, "100000.00")
    with django_assert_max_num_queries(8):
        client.get(reverse("billing:account"))
    for _ in range(40):
        ticket = make_ticket()
        hold_place(ticket=ticket, amount=Decimal("180.00"))
        hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("billing:account"))
    assert len(response.context["page"]) == 41


def test_statement_csv(client, member, partner, history):
    client.force_login(member)
    response = client.get(reverse("billing:statement_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(f'attachment; filename="statement-{partner.contract_number}-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "kind", "amount", "balance_after", "currency", "memo", "ticket", "invoice"]
    assert [row[1:5] for row in rows[1:]] == [
        ["top_up", "900.00", "900.00", "UAH"],
        ["debit", "-180.00", "720.00", "UAH"],
    ]
    assert rows[2][6] == history.number


def test_statement_csv_names_the_invoice_and_defuses_formulas(client, owner, admin_user, partner):
    invoice = invoice_issue(partner=partner, requests=2, actor=owner)
    invoice_mark_paid(invoice=invoice, actor=admin_user)
    deposit_top_up(
        partner=partner, amount=Decimal("1.00"), actor=admin_user, memo="=HYPERLINK(1)", idempotency_key="formula"
    )
    client.force_login(owner)
    rows = list(csv.reader(io.StringIO(client.get(reverse("billing:statement_csv")).content.decode())))
    assert rows[1][7] == invoice.number
    assert rows[2][5] == "'=HYPERLINK(1)"


def test_statement_csv_query_count_is_constant(
    client, member, partner, fund, make_ticket, manager, django_assert_max_num_queries
):
    client.force_login(member)
    fund(partner, "100000.00")
    for _ in range(30):
        ticket = make_ticket()
        hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("billing:statement_csv"))
    assert len(response.content.decode().splitlines()) == 32


def test_owner_orders_consultations(client, owner, partner):
    client.force_login(owner)
    page = client.get(reverse("billing:invoices"))
    assert page.context["form"] is not None
    response = client.post(reverse("billing:invoices"), {"requests": "4"})
    invoice = partner.invoices.get()
    assert response.status_code == 302
    assert response.url == reverse("billing:invoice", args=[invoice.pk])
    assert (invoice.amount, invoice.issued_by) == (Decimal("720.00"), owner)


@pytest.mark.parametrize("requests", ["0", "1001", "many"])
def test_order_form_shows_errors(client, owner, partner, requests):
    client.force_login(owner)
    response = client.post(reverse("billing:invoices"), {"requests": requests})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not partner.invoices.exists()


def test_invoices_are_the_owners_not_the_members(client, member, owner, partner):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    client.force_login(member)
    assert client.get(reverse("billing:invoices")).status_code == 404
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    assert client.post(reverse("billing:invoices"), {"requests": "3"}).status_code == 404
    assert partner.invoices.count() == 1


def test_admin_orders_for_a_chosen_partner(client, admin_user, partner):
    client.force_login(admin_user)
    response = client.post(reverse("billing:invoices"), {"requests": "2", "partner": partner.pk})
    assert response.status_code == 302
    assert partner.invoices.get().issued_by == admin_user


def test_another_partners_invoice_answers_404(client, outsider, owner, partner):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    client.force_login(outsider)
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    assert client.post(reverse("billing:invoice_pay", args=[invoice.pk])).status_code == 404
    assert client.post(reverse("billing:invoice_cancel", args=[invoice.pk])).status_code == 404
    assert invoice.number not in client.get(reverse("billing:invoices")).text
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_printable_invoice(client, owner, partner):
    invoice = invoice_issue(partner=partner, requests=3, actor=owner)
    client.force_login(owner)
    response = client.get(reverse("billing:invoice", args=[invoice.pk]))
    assert response.status_code == 200
    assert invoice.number in response.text
    assert "540.00\u00a0UAH" in response.text
    assert 'media="print"' in response.text
    assert response.context["may_cancel"] is True
    assert response.context["may_mark_paid"] is False


def test_admin_marks_an_invoice_paid_from_the_page(client, admin_user, owner, partner):
    invoice = invoice_issue(partner=partner, requests=3, actor=owner)
    client.force_login(admin_user)
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).context["may_mark_paid"] is True
    response = client.post(reverse("billing:invoice_pay", args=[invoice.pk]), follow=True)
    assert "is paid" in response.text
    assert client.post(reverse("billing:invoice_pay", args=[invoice.pk])).status_code == 302
    assert LedgerEntry.objects.get().amount == Decimal("540.00")


def test_service_refusals_become_messages_not_errors(client, admin_user, owner, partner):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    client.force_login(owner)
    response = client.post(reverse("billing:invoice_pay", args=[invoice.pk]), follow=True)
    assert response.status_code == 200
    assert "not allowed" in response.text
    client.force_login(admin_user)
    client.post(reverse("billing:invoice_cancel", args=[invoice.pk]))
    response = client.post(reverse("billing:invoice_pay", args=[invoice.pk]), follow=True)
    assert "cancelled and cannot be paid" in response.text
    assert not LedgerEntry.objects.exists()


def test_invoice_pages_query_counts_are_constant(client, admin_user, django_assert_max_num_queries):
    owner = PartnerOwnerFactory()
    invoice_issue(partner=owner.partner, requests=1, actor=owner)
    client.force_login(admin_user)
    with django_assert_max_num_queries(6):
        client.get(reverse("billing:invoices"))
    for _ in range(20):
        other = PartnerOwnerFactory()
        invoice_issue(partner=other.partner, requests=2, actor=other)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("billing:invoices"))
    assert len(response.context["page"]) == 21
    with django_assert_max_num_queries(5):
        client.get(reverse("billing:invoice", args=[response.context["page"][0].pk]))
