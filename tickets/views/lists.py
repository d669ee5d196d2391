"""Lists of tickets: everyone's filtered, searchable list and the staff's queue ordered by deadline."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.selectors import manager_capacity, project_list

from .. import selectors
from ..forms import TicketFilterForm
from ..models import OPEN_STATUSES, Status
from .common import PAGE_SIZE, query_without_page


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    projects = list(project_list(user=user))
    form = TicketFilterForm(request.GET or None, projects=projects)
    filters = form.cleaned_data if form.is_valid() else {}
    tickets = selectors.ticket_list(
        user=user,
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        project=filters.get("project"),
        search=filters.get("search", ""),
    ).order_by("-created_at", "-id")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "tickets/list.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The open tickets of the projects the manager serves (administrators: all), nearest deadline first."""
    user = request.user
    if not user.is_support_staff:
        raise Http404
    tickets = selectors.open_ticket_list(user=user)
    counts = selectors.status_counts(tickets=tickets)
    page = Paginator(tickets, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "counts": [(Status(status).label, counts.get(status, 0)) for status in OPEN_STATUSES],
        "capacity": manager_capacity(manager=user) if user.is_manager else None,
        "query": "",
    }
    return render(request, "tickets/queue.html", context)
