"""Deposit, statement and invoice pages. Each view asks the policy; what the user may not see answers 404."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Partner, User
from accounts.permissions import can
from partner_support.api import is_id
from partner_support.confirm import confirmation_page
from partner_support.csvcells import csv_text
from partner_support.errors import ApplicationError

from .forms import OrderConsultationsForm
from .models import InvoiceStatus
from .selectors import account_summary, deposit_overview, invoice_list, statement
from .services import invoice_cancel, invoice_issue, invoice_mark_paid

PAGE_SIZE = 50


def _allowed(user: User, perm: str) -> bool:
    """The policy's answer for the user's own partner (partner people) or for any partner (administrators)."""
    return can(user, perm, user.partner) if user.partner_id else can(user, perm)


def _shown_partner(request: HttpRequest) -> Partner | None:
    """The partner whose deposit is shown: `?partner=<id>` or the user's own; None for an administrator's overview."""
    user = request.user
    requested = request.GET.get("partner", "")
    if requested:
        partner = Partner.objects.filter(pk=int(requested)).first() if is_id(requested) else None
    elif user.partner_id:
        partner = user.partner
    else:
        return None
    if partner is None or not can(user, "billing.view_account", partner):
        raise Http404
    return partner


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if not _allowed(request.user, "billing.view_account"):
        raise Http404
    partner = _shown_partner(request)
    if partner is None:
        return render(request, "billing/overview.html", {"partners": deposit_overview()})
    summary = account_summary(partner=partner)
    page = None
    if summary.account is not None:
        entries = statement(account=summary.account).reverse()
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partner": partner,
        "summary": summary,
        "page": page,
        "partner_query": "" if request.user.partner_id else f"partner={partner.pk}",
    }
    return render(request, "billing/account.html", context)


@login_required
def statement_csv(request: HttpRequest) -> HttpResponse:
    partner = _shown_partner(request)
    if partner is None:
        raise Http404
    summary = account_summary(partner=partner)
    filename = f"statement-{partner.contract_number}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["date", "kind", "amount", "balance_after", "currency", "memo", "ticket", "invoice"])
    if summary.account is None:
        return response
    for entry in statement(account=summary.account).iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.kind,
                entry.amount,
                entry.balance_after,
                summary.currency,
                csv_text(entry.description),
                entry.ticket.number if entry.ticket else "",
                entry.invoice.number if entry.invoice else "",
            ]
        )
    return response


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _allowed(user, "billing.order_consultations"):  # invoices are the owners' (DESIGN.md section 2)
        raise Http404
    choose_partner = user.partner_id is None
    # `?requests=N`: the number a page suggests ordering (a quote the deposit does not cover).
    suggested = request.GET.get("requests", "")
    initial = {"requests": int(suggested)} if suggested.isascii() and suggested.isdigit() and len(suggested) < 6 else {}
    form = OrderConsultationsForm(request.POST or None, choose_partner=choose_partner, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            partner = form.cleaned_data["partner"] if choose_partner else user.partner
            try:
                invoice = invoice_issue(partner=partner, requests=form.cleaned_data["requests"], actor=user)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
                return redirect("billing:invoice", pk=invoice.pk)
    page = Paginator(invoice_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "billing/invoices.html", {"page": page, "form": form}, status=status)


@login_required
def invoice(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    user = request.user
    context = {
        "invoice": invoice,
        "may_mark_paid": invoice.status == InvoiceStatus.ISSUED and can(user, "billing.record_payment"),
        "may_cancel": invoice.status == InvoiceStatus.ISSUED and can(user, "billing.order_consultations", invoice),
    }
    return render(request, "billing/invoice.html", context)


@require_POST
@login_required
def invoice_pay(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    try:
        entry = invoice_mark_paid(invoice=invoice, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Invoice %(number)s is paid; the deposit is credited with %(amount)s %(currency)s.")
            % {"number": invoice.number, "amount": entry.amount, "currency": invoice.currency},
        )
    return redirect("billing:invoice", pk=invoice.pk)


@require_http_methods(["GET", "POST"])
@login_required
def invoice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    if request.method == "GET":
        if invoice.status != InvoiceStatus.ISSUED or not can(request.user, "billing.order_consultations", invoice):
            return redirect("billing:invoice", pk=invoice.pk)
        return confirmation_page(
            request,
            title=_("Cancel invoice %(number)s?") % {"number": invoice.number},
            consequences=[
                _("The invoice can no longer be paid: a payment quoting %(number)s is not credited by it.")
                % {"number": invoice.number},
                _("The %(requests)d consultations it orders are not added to the deposit; order again if needed.")
                % {"requests": invoice.requests},
            ],
            button=_("Cancel invoice"),
            cancel_url=reverse("billing:invoice", args=[invoice.pk]),
        )
    try:
        invoice_cancel(invoice=invoice, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invoice %(number)s is cancelled.") % {"number": invoice.number})
    return redirect("billing:invoice", pk=invoice.pk)
