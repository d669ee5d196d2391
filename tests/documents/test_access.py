"""Documents on the deposit page, as downloads and through the API: owners and administrators only (members see
no invoices, nor acts), another partner's document answers 404, the pages cost a constant number of queries."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.services import invoice_issue
from documents.services import act_issue
from tests.documents.conftest import pdf_text
from tests.factories import PartnerOwnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(partner, owner, requisites, charge):
    """Two invoices and the November act of the partner."""
    charge("Export fails", at="2026-11-10 10:00 +02:00")
    with time_machine.travel("2026-12-02 10:00 +02:00", tick=False):
        invoices = [invoice_issue(partner=partner, requests=n, actor=owner) for n in (1, 2)]
        act = act_issue(partner=partner, period=date(2026, 11, 1))
    return invoices, act


def test_the_deposit_page_lists_the_documents_with_their_pdf_links(
    client, owner, documents, django_assert_max_num_queries
):
    (first, second), act = documents
    client.force_login(owner)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("billing:account")).content.decode()
    for link in (
        reverse("documents:invoice_pdf", args=[first.pk]),
        reverse("documents:invoice_pdf", args=[second.pk]),
        reverse("documents:act_pdf", args=[act.pk]),
        reverse("documents:requisites"),
    ):
        assert link in page
    assert act.number in page
    assert 'id="documents"' in page


def test_the_documents_page_costs_the_same_with_more_documents(
    client, partner, owner, documents, django_assert_num_queries
):
    client.force_login(owner)
    client.get(reverse("documents:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:list"))
    before = len(few.captured_queries)
    for _ in range(5):
        invoice_issue(partner=partner, requests=1, actor=owner)
    with django_assert_num_queries(before):
        page = client.get(reverse("documents:list"))
    assert page.content.decode().count(".pdf") == 8


def test_members_see_no_documents(client, member, documents):
    (invoice, _), act = documents
    client.force_login(member)
    assert 'id="documents"' not in client.get(reverse("billing:account")).content.decode()
    for url in (
        reverse("documents:list"),
        reverse("documents:invoice_pdf", args=[invoice.pk]),
        reverse("documents:act_pdf", args=[act.pk]),
        f"/api/v1/documents/acts/{act.pk}/",
        f"/api/v1/documents/acts/{act.pk}/pdf/",
        f"/api/v1/billing/invoices/{invoice.pk}/pdf/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/documents/acts/").json()["results"] == []


def test_another_partners_documents_answer_404(client, documents):
    (invoice, _), act = documents
    client.force_login(PartnerOwnerFactory())
    for url in (
        reverse("documents:invoice_pdf", args=[invoice.pk]),
        reverse("documents:act_pdf", args=[act.pk]),
        f"/api/v1/documents/acts/{act.pk}/",
        f"/api/v1/documents/acts/{act.pk}/pdf/",
        f"/api/v1/billing/invoices/{invoice.pk}/pdf/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/documents/acts/").json()["count"] == 0


def test_owner_downloads_each_document_as_pdf(client, owner, documents):
    (invoice, _), act = documents
    client.force_login(owner)
    response = client.get(reverse("documents:act_pdf", args=[act.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{act.number}.pdf"'
    assert "Акт наданих послуг" in pdf_text(response.content)
    english = client.get(reverse("documents:invoice_pdf", args=[invoice.pk]) + "?language=en")
    assert f"Invoice No. {invoice.number}" in pdf_text(english.content)


def test_the_api_lists_acts_and_serves_pdfs(client, owner, documents):
    (invoice, _), act = documents
    client.force_login(owner)
    listed = client.get("/api/v1/documents/acts/").json()
    assert [(row["number"], row["total"], row["period"]) for row in listed["results"]] == [
        (act.number, "180.00", "2026-11-01")
    ]
    pdf = client.get(f"/api/v1/documents/acts/{act.pk}/pdf/?language=ru", HTTP_ACCEPT="application/pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert "Акт оказанных услуг" in pdf_text(pdf.content)
    invoice_pdf = client.get(f"/api/v1/billing/invoices/{invoice.pk}/pdf/")
    assert invoice.number in pdf_text(invoice_pdf.content)
    refused = client.get(f"/api/v1/billing/invoices/{invoice.pk}/pdf/?language=de")
    assert refused.status_code == 400
    assert refused.json()["language"] == ["Not a document language."]


def test_administrators_see_every_partners_documents(client, admin_user, partner, documents):
    (invoice, _), act = documents
    client.force_login(admin_user)
    assert client.get(reverse("documents:act_pdf", args=[act.pk])).status_code == 200
    page = client.get(reverse("documents:list") + f"?partner={partner.pk}").content.decode()
    assert f"{reverse('documents:invoice_pdf', args=[invoice.pk])}?partner={partner.pk}" in page
    assert client.get(reverse("documents:list")).status_code == 404


def test_the_invoice_page_links_its_pdf(client, owner, documents):
    (invoice, _), _act = documents
    client.force_login(owner)
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert reverse("documents:invoice_pdf", args=[invoice.pk]) in page
