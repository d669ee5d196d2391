"""Filing requests: the partner's form in the cabinet and the manager's form for a critical bug taken by phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can
from accounts.selectors import project_list
from billing.formatting import amount_number, currency_sign
from billing.services import tariff_for
from partner_support.errors import ApplicationError, InsufficientDeposit
from partner_support.forms import error_to_form

from .. import services
from ..forms import PhoneBugForm, TicketFileForm
from ..models import Channel, Kind
from ..sla import policy_minutes

KIND_EXPLANATIONS = {
    Kind.SIMPLE: gettext_lazy(
        "One question or task. Resolved within %(hours)s working hours of acceptance. "
        "Price: 1 request (%(price)s %(currency)s)."
    ),
    Kind.COMPOSITE: gettext_lazy(
        "Several simple tasks; on acceptance the manager states how many parts (each at most one hour of work). "
        "%(hours)s working hours per part. Price: 1 request per part (%(price)s %(currency)s each)."
    ),
    Kind.BUG: gettext_lazy(
        "A critical error of the system. Resolved within %(hours)s working hours of acceptance. "
        "Price: 1 request (%(price)s %(currency)s); filed even when the deposit is short."
    ),
    Kind.ENHANCEMENT: gettext_lazy(
        "A paid improvement. The manager quotes programmer hours (%(rate)s %(currency)s per hour) and a due date; "
        "work starts when you approve the quote."
    ),
}


def _kinds(partner) -> list[tuple[str, str, str]]:
    """Each kind with its deadline and price as this partner's SLA policies and tariff state them now."""
    tariff = tariff_for(partner=partner)
    explained = []
    for kind in Kind:
        _accept, minutes = policy_minutes(partner_id=partner.pk, kind=kind)
        price = tariff.price_per_request if kind != Kind.BUG or tariff.bill_bugs else 0
        terms = {
            "price": amount_number(price),
            "rate": amount_number(tariff.hourly_rate),
            "currency": currency_sign(tariff.currency),
            "hours": floatformat(minutes / 60, -1) if minutes else "",
        }
        explained.append((kind.value, kind.label, KIND_EXPLANATIONS[kind] % terms))
    return explained


@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_partner and can(user, "tickets.file_ticket", user.partner)):
        raise Http404
    projects = [project for project in project_list(user=user) if project.is_active]
    form = TicketFileForm(request.POST or None, request.FILES or None, projects=projects)
    context = {"form": form, "kinds": _kinds(user.partner), "insufficient": False}
    if request.method != "POST":
        return render(request, "tickets/new.html", context)
    if not form.is_valid():
        return render(request, "tickets/new.html", context, status=400)
    data = form.cleaned_data
    try:
        ticket = services.ticket_file(
            actor=user,
            project_id=data["project"],
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            files=data["files"],
        )
    except InsufficientDeposit as error:
        context["insufficient"] = True
        form.add_error(None, error.message)
        return render(request, "tickets/new.html", context, status=error.http_status)
    except ApplicationError as error:
        error_to_form(form, error)
        return render(request, "tickets/new.html", context, status=error.http_status)
    messages.success(request, _("Request %(number)s is filed.") % {"number": ticket.number})
    return redirect("tickets:detail", ticket_id=ticket.pk)


@login_required
def phone_bug(request: HttpRequest) -> HttpResponse:
    """A manager registers a critical bug reported by phone, on the partner's behalf."""
    user = request.user
    if not user.is_support_staff:
        raise Http404
    projects = [p for p in project_list(user=user) if p.is_active and can(user, "tickets.file_phone_bug", p)]
    form = PhoneBugForm(request.POST or None, projects=projects)
    if request.method != "POST":
        return render(request, "tickets/phone.html", {"form": form})
    if not form.is_valid():
        return render(request, "tickets/phone.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        ticket = services.ticket_file(
            actor=user,
            project_id=data["project"],
            kind=Kind.BUG,
            title=data["title"],
            description=data["description"],
            channel=Channel.PHONE,
        )
    except ApplicationError as error:
        error_to_form(form, error)
        return render(request, "tickets/phone.html", {"form": form}, status=error.http_status)
    messages.success(request, _("Critical bug %(number)s is registered.") % {"number": ticket.number})
    return redirect("tickets:detail", ticket_id=ticket.pk)
