"""Ticking a checklist step from the ticket page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from partner_support.errors import ApplicationError, NotFound, PermissionDenied

from ..services import checklist_tick
from .common import visible_ticket


@require_POST
@login_required
def checklist_step(request: HttpRequest, ticket_id: int, step_id: int) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    try:
        checklist_tick(actor=request.user, ticket_id=ticket.pk, step_id=step_id, done=request.POST.get("done") == "1")
    except (NotFound, PermissionDenied):  # partners: no checklist exists for them
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#checklist")
