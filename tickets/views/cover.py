"""The absences page: a manager's deputy and absences, and handing their open tickets over in one action.
Managers see and change their own; administrators anyone's (`?manager=<id>`), and choose substitutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.absences import absence_add, absence_cancel, absence_substitute_set, deputy_set
from accounts.cover import absence_list, covers_at
from accounts.models import ManagerProfile, Role, User
from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from ..cover_forms import AbsenceForm, DeputyForm, HandoverForm, SubstituteForm
from ..models import OPEN_STATUSES, Ticket
from ..services import tickets_hand_over


def _managers() -> list[User]:
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("name", "email"))


def _target(request: HttpRequest, managers: list[User]) -> User | None:
    """Whose absences the page is about: a manager's own; for an administrator, the chosen manager (or none)."""
    user = request.user
    if user.is_manager:
        return user
    if not user.is_admin:
        raise Http404
    chosen = request.POST.get("manager") or request.GET.get("manager") or ""
    return next((manager for manager in managers if str(manager.pk) == chosen), None)


def _person(managers: list[User], person_id: int | None) -> User | None:
    return next((manager for manager in managers if manager.pk == person_id), None)


def _render(request: HttpRequest, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    managers = _managers()
    target = _target(request, managers)
    now = timezone.now()
    covers = covers_at(at=now)
    names = {manager.pk: manager for manager in managers}
    absences = list(absence_list(manager=target).filter(ends_at__gt=now).order_by("starts_at", "id"))
    for absence in absences:
        cover = covers.get(absence.manager_id)
        absence.is_live = absence.starts_at <= now and cover is not None and cover.absence_id == absence.pk
        absence.covered_by = names.get(cover.covered_by_id) if absence.is_live and cover.covered_by_id else None
        absence.substitute_form = SubstituteForm(
            initial={"substitute": absence.substitute_id},
            managers=[m for m in managers if m.pk != absence.manager_id],
            prefix=f"absence-{absence.pk}",
        )
    others = [manager for manager in managers if target is None or manager.pk != target.pk]
    profile = ManagerProfile.objects.select_related("deputy").filter(user=target).first() if target else None
    context = {
        "target": target,
        "managers": managers,
        "absences": absences,
        "profile": profile,
        "held": Ticket.objects.filter(assignee=target, status__in=OPEN_STATUSES).count() if target else 0,
        "deputy_form": bound.get("deputy")
        or DeputyForm(initial={"deputy": profile.deputy_id if profile else None}, managers=others),
        "absence_form": bound.get("absence") or AbsenceForm(),
        "handover_form": bound.get("handover")
        or HandoverForm(initial={"to": profile.deputy_id if profile else None}, managers=others),
    }
    return render(request, "tickets/absences.html", context, status=status)


def _back(request: HttpRequest, target: User) -> HttpResponse:
    url = reverse("tickets:absences")
    return redirect(f"{url}?manager={target.pk}" if request.user.is_admin else url)


def _target_or_404(request: HttpRequest) -> tuple[User, list[User]]:
    managers = _managers()
    target = _target(request, managers)
    if target is None:
        raise Http404
    return target, managers


@login_required
def absences(request: HttpRequest) -> HttpResponse:
    if not request.user.is_support_staff:
        raise Http404
    return _render(request)


@require_POST
@login_required
def absence_new(request: HttpRequest) -> HttpResponse:
    target, _others = _target_or_404(request)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence_add(actor=request.user, manager=target, **form.cleaned_data)
        except ApplicationError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("The absence is in the calendar."))
            return _back(request, target)
    return _render(request, bound={"absence": form}, status=400)


@require_POST
@login_required
def deputy_change(request: HttpRequest) -> HttpResponse:
    target, managers = _target_or_404(request)
    form = DeputyForm(request.POST, managers=[m for m in managers if m.pk != target.pk])
    if form.is_valid():
        try:
            deputy_set(actor=request.user, manager=target, deputy=_person(managers, form.cleaned_data["deputy"]))
        except ApplicationError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("The deputy is saved."))
            return _back(request, target)
    return _render(request, bound={"deputy": form}, status=400)


@require_POST
@login_required
def handover(request: HttpRequest) -> HttpResponse:
    target, managers = _target_or_404(request)
    form = HandoverForm(request.POST, managers=[m for m in managers if m.pk != target.pk])
    if form.is_valid():
        try:
            moved = tickets_hand_over(
                actor=request.user,
                holder=target,
                to=_person(managers, form.cleaned_data["to"]),
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("Open tickets handed over: %(count)d.") % {"count": len(moved)})
            return _back(request, target)
    return _render(request, bound={"handover": form}, status=400)


@require_POST
@login_required
def absence_end(request: HttpRequest, absence_id: int) -> HttpResponse:
    try:
        absence = absence_cancel(actor=request.user, absence_id=absence_id)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("tickets:absences")
    messages.success(request, _("The absence is cancelled."))
    return _back(request, absence.manager)


@require_POST
@login_required
def substitute_change(request: HttpRequest, absence_id: int) -> HttpResponse:
    if not request.user.is_admin:
        raise Http404
    managers = _managers()
    form = SubstituteForm(request.POST, managers=managers, prefix=f"absence-{absence_id}")
    if not form.is_valid():
        messages.error(request, _("Choose a manager."))
        return redirect("tickets:absences")
    try:
        absence = absence_substitute_set(
            actor=request.user, absence_id=absence_id, substitute=_person(managers, form.cleaned_data["substitute"])
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("tickets:absences")
    messages.success(request, _("The substitute is saved."))
    return _back(request, absence.manager)
