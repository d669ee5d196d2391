"""The administrators' console: SLA audit (filters, review, charts, CSV), managers' workload (reassignment) and
the audit log of administrative changes."""

import csv
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Project
from accounts.permissions import can
from accounts.selectors import manager_workload
from audit.selectors import audit_event_list, audited_types
from partner_support.csvcells import csv_text
from partner_support.errors import ApplicationError
from tickets.services import breach_review, project_assign_manager

from .charts import weekly_charts
from .forms import AssignForm, AuditFilterForm, BreachReviewForm, ChangesFilterForm
from .selectors import audit_stats, breach_list, weekly_series

PAGE_SIZE = 50


def _administrators_only(request: HttpRequest) -> None:
    """The console exists only for administrators; to anyone else it is not found."""
    if not can(request.user, "tickets.audit_sla"):
        raise Http404


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict]:
    """The form (with its errors shown) and the filters to apply: those that are valid, the default period when the
    period is not."""
    form = AuditFilterForm(request.GET)
    form.is_valid()
    return form, form.filters()


def _charts(rows) -> list:
    weeks = sorted({row.week for row in rows})
    per_manager = {name: dict(points) for name, points in weekly_series(rows).items()}
    return weekly_charts(
        weeks,
        per_manager,
        [
            (_("Accepted tickets"), "", _("tickets accepted in the week"), lambda r: r.accepted),
            (_("Breach rate"), "%", _("percent of accepted tickets"), lambda r: r.breach_rate * 100),
            (_("Median acceptance time"), _("min"), _("working minutes"), lambda r: r.median_acceptance),
            (
                _("Median resolution time"),
                _("h"),
                _("working hours"),
                lambda r: r.median_resolution / 60 if r.median_resolution is not None else None,
            ),
        ],
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    form, filters = _filters(request)
    page = Paginator(breach_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    stats = audit_stats(**{key: filters[key] for key in ("since", "until", "manager", "partner")})
    query = request.GET.copy()
    query.pop("page", None)
    other_manager = query.copy()
    other_manager.pop("manager", None)
    return render(
        request,
        "staff/audit.html",
        {
            "form": form,
            "page": page,
            "rows": stats.weeks,
            "managers": stats.managers,
            # Every manager's weeks are in the charts' tables; the table of weeks is for one manager.
            "weeks_table": bool(filters["manager"]) or len(stats.managers) <= 1,
            "totals": stats.totals,
            "as_of": stats.as_of,
            "figures_next": stats.as_of and stats.as_of + timedelta(minutes=settings.AUDIT_FIGURES_MINUTES),
            "charts": _charts(stats.weeks),
            "query": query.urlencode(),
            "manager_query": other_manager.urlencode(),
            "review_form": BreachReviewForm(),
        },
    )


@login_required
def audit_csv(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    _form, filters = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sla-breaches-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["ticket", "partner", "project", "clock", "due_at", "detected_at", "manager", "review", "note"])
    for breach in breach_list(**filters).iterator(chunk_size=500):
        writer.writerow(
            [
                breach.ticket.number,
                csv_text(breach.ticket.partner.name),
                csv_text(breach.ticket.project.name),
                breach.kind,
                timezone.localtime(breach.due_at).isoformat(),
                timezone.localtime(breach.detected_at).isoformat(),
                breach.manager.email if breach.manager else "",
                breach.review,
                csv_text(breach.review_note),
            ]
        )
    return response


@login_required
@require_POST
def review(request: HttpRequest, breach_id: int) -> HttpResponse:
    _administrators_only(request)
    form = BreachReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose acknowledge or excuse."))
    else:
        try:
            breach_review(breach_id=breach_id, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Breach reviewed."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/staff/sla/") else "staff:audit")


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    projects = Project.objects.select_related("partner", "manager").order_by("manager__email", "partner__name", "name")
    return render(
        request,
        "staff/workload.html",
        {"managers": manager_workload(), "projects": projects, "assign_form": AssignForm()},
    )


@login_required
@require_POST
def assign(request: HttpRequest, project_id: int) -> HttpResponse:
    _administrators_only(request)
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise Http404
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a manager."))
        return redirect("staff:workload")
    try:
        project_assign_manager(project=project, manager=form.cleaned_data["manager"], actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(project)s is now served by %(manager)s.")
            % {"project": project.name, "manager": form.cleaned_data["manager"].display_name},
        )
    return redirect("staff:workload")


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """The audit log of administrative changes, searched by text, kind of object and period."""
    _administrators_only(request)
    form = ChangesFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        search=filters.get("q", ""),
        object_type=filters.get("type", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        before, after = event.before or {}, event.after or {}
        event.rows = [(name, before.get(name), after.get(name)) for name in event.changed_fields]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "types": audited_types(),
        "filters": {key: request.GET.get(key, "") for key in ("q", "type", "since", "until")},
        "query": query.urlencode(),
    }
    return render(request, "staff/changes.html", context, status=200 if form.is_valid() else 400)
