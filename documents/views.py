"""The partner's documents: requisites (owners), the list of invoices and acts, and each as a PDF download.
What the user may not see answers 404."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from accounts.permissions import can
from accounts.requisites import requisites_of, requisites_update
from billing.formatting import amount_number
from billing.selectors import invoice_list
from partner_support.api import is_id
from partner_support.errors import ApplicationError
from partner_support.forms import error_to_form

from .files import act_pdf, document_language, invoice_pdf, pdf_filename
from .forms import RequisitesForm
from .report import monthly_report, previous_month, report_period
from .report_figures import figure_rows
from .report_pdf import report_pdf
from .selectors import act_list, document_rows


def _partner(request: HttpRequest, perm: str) -> Partner:
    """The user's own partner, or for an administrator the one named by `?partner=<id>`; else 404."""
    user = request.user
    requested = request.GET.get("partner", "")
    if user.partner_id:
        partner = user.partner
    elif is_id(requested):
        partner = Partner.objects.filter(pk=int(requested)).first()
    else:
        partner = None
    if partner is None or not can(user, perm, partner):
        raise Http404
    return partner


def _query(request: HttpRequest, partner: Partner) -> str:
    return "" if request.user.partner_id else f"?partner={partner.pk}"


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    partner = _partner(request, "billing.view_documents")
    context = {
        "partner": partner,
        "rows": document_rows(user=request.user, partner=partner),
        "requisites": requisites_of(partner=partner),
        "partner_query": _query(request, partner),
    }
    return render(request, "documents/list.html", context)


@login_required
def requisites(request: HttpRequest) -> HttpResponse:
    partner = _partner(request, "accounts.edit_requisites")
    current = requisites_of(partner=partner)
    form = RequisitesForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                requisites_update(partner=partner, actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The requisites are saved."))
                return redirect(reverse("documents:requisites") + _query(request, partner))
    context = {"partner": partner, "form": form, "partner_query": _query(request, partner)}
    return render(request, "documents/requisites.html", context, status=status)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _language(request: HttpRequest, partner: Partner) -> str:
    current = requisites_of(partner=partner)
    return document_language(request.GET.get("language"), current.document_language if current else "uk")


@login_required
def invoice_download(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    content = invoice_pdf(invoice, language=_language(request, invoice.partner))
    return _pdf_response(content, pdf_filename(invoice))


@login_required
def act_download(request: HttpRequest, pk: int) -> HttpResponse:
    act = get_object_or_404(act_list(user=request.user), pk=pk)
    return _pdf_response(act_pdf(act, language=_language(request, act.partner)), pdf_filename(act))


def _bars(rows: list[tuple[str, str, int]]) -> list[dict]:
    """Each row with its bar's length in percent of the longest (drawn as SVG, no inline style: CSP)."""
    top = max((count for _value, _label, count in rows), default=0) or 1
    bars = []
    for _value, label, count in rows:
        width = round(70 * count / top)
        bars.append({"label": label, "count": count, "width": width, "text_x": 31 + width})
    return bars


@login_required
def report(request: HttpRequest) -> HttpResponse:
    partner = _partner(request, "documents.view_report")
    today = timezone.localdate()
    try:
        period = report_period(request.GET.get("month"), today=today)
    except ApplicationError as error:
        messages.error(request, error.message)
        period = report_period(None, today=today)
    data = monthly_report(partner=partner, period=period)
    query = _query(request, partner)
    joiner = "&" if query else "?"
    context = {
        "partner": partner,
        "report": data,
        "figures": figure_rows(data, money=amount_number),
        "kinds": _bars(data.by_kind),
        "channels": _bars(data.by_channel),
        "previous": f"{query}{joiner}month={previous_month(period):%Y-%m}",
        "following": f"{query}{joiner}month={data.last_day + timedelta(days=1):%Y-%m}" if data.last_day < today else "",
        "pdf_query": f"{query}{joiner}month={period:%Y-%m}",
    }
    return render(request, "documents/report.html", context)


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    partner = _partner(request, "documents.view_report")
    try:
        period = report_period(request.GET.get("month"), today=timezone.localdate())
    except ApplicationError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    content = report_pdf(monthly_report(partner=partner, period=period), language=_language(request, partner))
    return _pdf_response(content, f"report-{partner.contract_number}-{period:%Y-%m}.pdf")
