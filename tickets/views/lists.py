"""Lists of tickets: everyone's filtered, searchable list and the staff's queue ordered by deadline."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.selectors import manager_capacity, project_list
from partner_support.pagination import InvalidCursor, PageLinks, cursor_or_none, keyset_page, page_count

from .. import selectors
from ..forms import TicketFilterForm
from ..models import OPEN_STATUSES, Status
from .bulk import BULK_ACCEPT_KINDS
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
    ordering = filters.get("ordering") or selectors.DEFAULT_ORDERING
    tickets = selectors.ticket_order(tickets, ordering=ordering)
    cursor = cursor_or_none(request.GET.get("cursor"))
    try:
        page = keyset_page(tickets, cursor=cursor, size=PAGE_SIZE)
    except InvalidCursor:
        cursor, page = None, keyset_page(tickets, cursor=None, size=PAGE_SIZE)
    count = page_count(tickets, page)
    links = PageLinks.build(
        query=query_without_page(request), page=page, count=count, size=PAGE_SIZE, number=_page_number(request, cursor)
    )
    context = {
        "form": form,
        "page": page.rows,
        "count": count,
        "links": links,
        "terms": selectors.search_terms(search) if search else [],
        "sort_links": _sort_links(request, ordering),
        "now": timezone.now(),
    }
    return render(request, "tickets/list.html", context)


# A column's header sorts by it; a second click reverses the order.
SORTABLE_COLUMNS = {"filed": ("-created_at", "created_at"), "deadline": ("resolve_due_at", "-resolve_due_at")}


def _sort_links(request: HttpRequest, ordering: str) -> dict[str, dict]:
    links = {}
    for column, (first, second) in SORTABLE_COLUMNS.items():
        params = request.GET.copy()
        for name in ("cursor", "page"):
            params.pop(name, None)
        params["ordering"] = second if ordering == first else first
        state = "descending" if ordering.startswith("-") else "ascending"
        links[column] = {"query": params.urlencode(), "sorted": state if ordering in (first, second) else ""}
    return links


def _page_number(request: HttpRequest, cursor) -> int | None:
    """The page's number as its link said (only shown; the cursor decides the rows): 1 without a cursor."""
    if cursor is None:
        return 1
    shown = request.GET.get("page", "")
    return int(shown) if shown.isascii() and shown.isdigit() and 0 < len(shown) < 7 else None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The open tickets of the projects the manager serves (administrators: all), nearest deadline first; filtered
    and searched like the list, with the count of each status (each a link to that status)."""
    user = request.user
    if not user.is_support_staff:
        raise Http404
    projects = list(project_list(user=user))
    form = TicketFilterForm(request.GET or None, projects=projects, sortable=False, open_only=True)
    filters = form.cleaned_data if form.is_valid() else {}
    everything = selectors.open_ticket_list(user=user)
    tickets = selectors.open_ticket_list(
        user=user,
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        project=filters.get("project"),
        search=filters.get("search", ""),
    )
    counts = selectors.status_counts(tickets=everything)
    page = Paginator(tickets, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    chosen = filters.get("status") or ""
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "counts": [(status, Status(status).label, counts.get(status, 0), status == chosen) for status in OPEN_STATUSES],
        "total": sum(counts.values()),
        "filtered": any(filters.get(name) for name in ("status", "kind", "project", "search")),
        "capacity": manager_capacity(manager=user) if user.is_manager else None,
        "query": query_without_page(request),
        "bulk_accept": BULK_ACCEPT_KINDS,
    }
    return render(request, "tickets/queue.html", context)
