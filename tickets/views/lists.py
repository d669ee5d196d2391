"""Lists of tickets: everyone's filtered, searchable list and the staff's queue ordered by deadline."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.selectors import manager_capacity, project_list
from partner_support.pagination import InvalidCursor, PageLinks, capped_count, cursor_or_none, keyset_page

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
    search = filters.get("search", "")
    tickets = selectors.ticket_list(
        user=user,
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        project=filters.get("project"),
        search=search,
    )
    ranked = "search_rank" in tickets.query.annotations  # PostgreSQL's full-text search: best matches first
    tickets = tickets.order_by(*(["-search_rank"] if ranked else []), "-created_at", "-id")
    cursor = cursor_or_none(request.GET.get("cursor"))
    try:
        page = keyset_page(tickets, cursor=cursor, size=PAGE_SIZE)
    except InvalidCursor:
        cursor, page = None, keyset_page(tickets, cursor=None, size=PAGE_SIZE)
    count = capped_count(tickets)
    links = PageLinks.build(
        query=query_without_page(request), page=page, count=count, size=PAGE_SIZE, number=_page_number(request, cursor)
    )
    context = {
        "form": form,
        "page": page.rows,
        "count": count,
        "links": links,
        "terms": selectors.search_terms(search) if search else [],
    }
    return render(request, "tickets/list.html", context)


def _page_number(request: HttpRequest, cursor) -> int | None:
    """The page's number as its link said (only shown; the cursor decides the rows): 1 without a cursor."""
    if cursor is None:
        return 1
    shown = request.GET.get("page", "")
    return int(shown) if shown.isascii() and shown.isdigit() and 0 < len(shown) < 7 else None


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
