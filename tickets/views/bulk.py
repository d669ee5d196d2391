"""Bulk actions of the queue. Only what is safe to do to many tickets at once: accepting new simple requests and
critical bugs (a composite needs its number of parts, an enhancement a quote). Each ticket goes through its own
service call and transaction, so one refused ticket (taken meanwhile, not covered by the deposit) stops no other,
and the manager is told which were accepted and why the others were not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partner_support.api import is_id
from partner_support.errors import ApplicationError

from .. import selectors, services
from ..models import Kind, Status

BULK_ACCEPT_KINDS = (Kind.SIMPLE, Kind.BUG)
MAX_BULK = 100


def _ids(values: list[str]) -> list[int]:
    return sorted({int(value) for value in values if is_id(value)})


@require_POST
@login_required
def queue_accept(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_support_staff:
        raise Http404
    ids = _ids(request.POST.getlist("ticket"))[:MAX_BULK]
    if not ids:
        messages.error(request, _("Tick the requests to accept first."))
        return _back(request)
    tickets = selectors.ticket_list(user=user).filter(pk__in=ids).order_by("pk")
    accepted, refused = [], []
    for ticket in tickets:
        if ticket.status != Status.NEW or ticket.kind not in BULK_ACCEPT_KINDS:
            refused.append(
                _("%(number)s: only new simple requests and bugs are accepted together.") % {"number": ticket.number}
            )
            continue
        try:
            services.ticket_accept(ticket_id=ticket.pk, actor=user)
        except ApplicationError as error:
            refused.append(f"{ticket.number}: {error.message}")
        else:
            accepted.append(ticket.number)
    if accepted:
        messages.success(
            request,
            ngettext(
                "%(count)d request accepted: %(numbers)s.", "%(count)d requests accepted: %(numbers)s.", len(accepted)
            )
            % {"count": len(accepted), "numbers": ", ".join(accepted)},
        )
    for message in refused:
        messages.error(request, message)
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the queue with the filters it had (a query string after our own path: never another site)."""
    query = request.POST.get("query", "")
    return redirect(f"{reverse('tickets:queue')}?{query}" if query else reverse("tickets:queue"))
