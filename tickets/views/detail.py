"""The ticket page and its forms. Every POST answers with a redirect back to the page (POST-redirect-GET); a
refused input renders the page again with the messages next to the fields, never a server error."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from .. import selectors, services
from ..forms import CommentForm, PartForm, RatingForm, TimeEntryForm
from ..models import Status, Ticket
from ..services.parts import parts_editable
from .actions import ACTIONS, PARTNER, STAFF
from .common import allowed_now, visible_ticket
from .next_step import next_step_for
from .replies import reply_initial

RATED_STATUSES = (Status.RESOLVED, Status.CLOSED)
NO_WORK_STATUSES = (Status.REJECTED, Status.CANCELLED)


def _render(request: HttpRequest, ticket: Ticket, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The page, with `bound` forms (name -> form carrying errors) in place of fresh ones."""
    user = request.user
    bound = bound or {}
    sees_internal = can(user, "tickets.view_internal", ticket)
    is_staff = can(user, STAFF, ticket)
    parts = selectors.parts_for(ticket=ticket)
    time_entries = list(selectors.time_entries_for(ticket=ticket))
    events = list(selectors.events_for(user=user, ticket=ticket))
    actions = [
        (action, bound.get(action.name) or action.form(ticket))
        for action in ACTIONS.values()
        if action.name in bound or allowed_now(user, ticket, action.name, action.perm)
    ]
    next_step, more_actions = next_step_for(user, ticket, actions=actions, events=events)
    rating = selectors.rating_of_resolution(ticket=ticket) if ticket.status in RATED_STATUSES else None
    may_rate = ticket.status in RATED_STATUSES and can(user, PARTNER, ticket) and rating is None
    context = {
        "ticket": ticket,
        "manager": ticket.assignee,
        "requester": ticket.author if is_staff else None,
        "events": events,
        "comments": selectors.comments_for(user=user, ticket=ticket),
        "attachments": selectors.attachments_for(user=user, ticket=ticket),
        "parts": parts,
        "parts_done": sum(1 for part in parts if part.is_done),
        "time_entries": time_entries,
        "minutes_total": sum(entry.minutes for entry in time_entries),
        "next_step": next_step,
        "more_actions": more_actions,
        "comment_form": (
            bound.get("comment")
            or CommentForm(may_write_internal=sees_internal, initial=reply_initial(request, ticket))
            if can(user, "tickets.comment", ticket)
            else None
        ),
        "time_form": (
            bound.get("time") or TimeEntryForm(parts=parts)
            if is_staff and ticket.status not in NO_WORK_STATUSES
            else None
        ),
        "part_forms": [
            (part, bound.get(f"part-{part.pk}") or _part_form(part))
            for part in (parts if is_staff and parts_editable(ticket) else [])
        ],
        "rating_form": bound.get("rating") or RatingForm() if may_rate else None,
        "rating": rating,
        "sees_internal": sees_internal,
    }
    return render(request, "tickets/detail.html", context, status=status)


def _part_form(part, data=None) -> PartForm:
    return PartForm(data, prefix=f"part-{part.pk}", initial={"title": part.label, "done": part.is_done})


def _refused(request, ticket: Ticket, name: str, form: forms.Form, error: ApplicationError) -> HttpResponse:
    if isinstance(error, NotFound):
        raise Http404(error.message)
    error_to_form(form, error)
    return _render(request, ticket, bound={name: form}, status=error.http_status)


@login_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _render(request, visible_ticket(request.user, ticket_id))


@require_POST
@login_required
def ticket_action(request: HttpRequest, ticket_id: int, name: str) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    form = action.form(ticket, request.POST)
    if not form.is_valid():
        return _render(request, ticket, bound={name: form}, status=400)
    try:
        ticket = action.perform(ticket=ticket, actor=request.user, data=form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, ticket, name, form, error)
    messages.success(
        request,
        _("Ticket %(number)s: %(status)s.") % {"number": ticket.number, "status": Status(ticket.status).label},
    )
    return redirect("tickets:detail", ticket_id=ticket.pk)


@require_POST
@login_required
def comment_add(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    form = CommentForm(
        request.POST, request.FILES, may_write_internal=can(request.user, "tickets.view_internal", ticket)
    )
    if not form.is_valid():
        return _render(request, ticket, bound={"comment": form}, status=400)
    try:
        services.comment_add(
            ticket_id=ticket.pk,
            actor=request.user,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data.get("internal", False),
            files=form.cleaned_data["files"],
        )
    except ApplicationError as error:
        return _refused(request, ticket, "comment", form, error)
    messages.success(request, _("Your message is posted."))
    return redirect("tickets:detail", ticket_id=ticket.pk)


@require_POST
@login_required
def time_add(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    form = TimeEntryForm(request.POST, parts=selectors.parts_for(ticket=ticket))
    if not form.is_valid():
        return _render(request, ticket, bound={"time": form}, status=400)
    try:
        entry = services.time_entry_add(
            ticket_id=ticket.pk,
            actor=request.user,
            minutes=form.cleaned_data["minutes"],
            note=form.cleaned_data["note"],
            part_id=form.cleaned_data.get("part"),
        )
    except ApplicationError as error:
        return _refused(request, ticket, "time", form, error)
    messages.success(request, _("%(minutes)d min logged.") % {"minutes": entry.minutes})
    return redirect("tickets:detail", ticket_id=ticket.pk)


@require_POST
@login_required
def part_update(request: HttpRequest, ticket_id: int, part_id: int) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    part = next((part for part in selectors.parts_for(ticket=ticket) if part.pk == part_id), None)
    if part is None:
        raise Http404
    form = _part_form(part, request.POST)
    name = f"part-{part.pk}"
    if not form.is_valid():
        return _render(request, ticket, bound={name: form}, status=400)
    try:
        services.part_update(
            part_id=part.pk, actor=request.user, title=form.cleaned_data["title"], done=form.cleaned_data["done"]
        )
    except ApplicationError as error:
        return _refused(request, ticket, name, form, error)
    messages.success(request, _("Part %(position)d is saved.") % {"position": part.position})
    return redirect("tickets:detail", ticket_id=ticket.pk)


@require_POST
@login_required
def rating_add(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket(request.user, ticket_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render(request, ticket, bound={"rating": form}, status=400)
    try:
        services.rating_add(
            ticket_id=ticket.pk,
            actor=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as error:
        return _refused(request, ticket, "rating", form, error)
    messages.success(request, _("Thank you for your rating."))
    return redirect("tickets:detail", ticket_id=ticket.pk)
