"""Writes on managers' absences and deputies: entered by the manager themselves or by an administrator."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from outbox.services import event_emit
from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from .absences_models import ABSENCE_UNCOVERED, Absence
from .models import ManagerProfile, Role, User
from .permissions import can


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, extra={field: [message]})


def _manager_profile_lock(*, manager: User) -> ManagerProfile:
    """The manager's profile row, locked: every change to their absences and deputy is serialised on it."""
    if manager.role != Role.MANAGER:
        raise _field_error("manager", _("%(user)s is not a manager.") % {"user": manager})
    return ManagerProfile.objects.select_for_update().get(user=manager)


def _check_other_manager(*, field: str, person: User | None, manager: User) -> None:
    if person is None:
        return
    if person.role != Role.MANAGER or not person.is_active:
        raise _field_error(field, _("%(user)s is not an active manager.") % {"user": person})
    if person.pk == manager.pk:
        raise _field_error(field, _("A manager does not cover themselves."))


def deputy_set(*, actor: User, manager: User, deputy: User | None) -> ManagerProfile:
    """Name the manager's standing deputy (another manager), or none."""
    if not can(actor, "accounts.manage_absences", manager):
        raise PermissionDenied(_("Only the manager or an administrator chooses the deputy."))
    _check_other_manager(field="deputy", person=deputy, manager=manager)
    with transaction.atomic(durable=True):
        profile = _manager_profile_lock(manager=manager)
        before = {"deputy_id": profile.deputy_id}
        profile.deputy = deputy
        profile.save(update_fields=["deputy"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            instance=profile,
            before=before,
            after={"deputy_id": profile.deputy_id},
            note=f"Deputy of {manager.email}: {deputy.email if deputy else '-'}",
        )
    return profile


def absence_add(
    *,
    actor: User,
    manager: User,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    substitute: User | None = None,
) -> Absence:
    """Enter an absence in the manager's calendar. It may not overlap another of theirs, nor end in the past; only
    an administrator chooses a substitute (who covers when the deputy is away too)."""
    if not can(actor, "accounts.manage_absences", manager):
        raise PermissionDenied(_("Only the manager or an administrator enters their absences."))
    if kind not in Absence.Kind.values:
        raise _field_error("kind", _("Choose leave, sick leave or training."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise _field_error("starts_at", _("Give the times with their time zone."))
    if ends_at <= starts_at:
        raise _field_error("ends_at", _("The absence ends after it starts."))
    if ends_at <= timezone.now():
        raise _field_error("ends_at", _("The absence has already ended."))
    if substitute is not None and not actor.is_admin:
        raise _field_error("substitute", _("Only an administrator chooses a substitute."))
    _check_other_manager(field="substitute", person=substitute, manager=manager)
    with transaction.atomic(durable=True):
        _manager_profile_lock(manager=manager)
        overlapping = Absence.objects.filter(
            manager=manager, cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).first()
        if overlapping is not None:
            raise _field_error("starts_at", _("It overlaps another absence (%(absence)s).") % {"absence": overlapping})
        absence = Absence.objects.create(
            manager=manager,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            note=(note or "").strip()[:500],
            substitute=substitute,
            created_by=actor,
        )
        for uncovered in _uncovered_by(absence):
            _uncovered_tell(absence=uncovered, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATED,
            instance=absence,
            after={
                "manager_id": manager.pk,
                "kind": kind,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
            note=str(absence),
        )
    return absence


def _away(person_id: int | None, absence: Absence) -> bool:
    """Whether `person_id` is absent at some time during `absence` (or there is nobody)."""
    if person_id is None:
        return True
    return Absence.objects.filter(
        manager_id=person_id, cancelled_at__isnull=True, starts_at__lt=absence.ends_at, ends_at__gt=absence.starts_at
    ).exists()


def _uncovered_by(absence: Absence) -> list[Absence]:
    """The absences left without anyone available at some time once `absence` is entered: its own (deputy and
    substitute both away or missing), and those of the managers whose deputy is now away (without a substitute
    who is available)."""
    deputy_id = ManagerProfile.objects.filter(user_id=absence.manager_id).values_list("deputy_id", flat=True).first()
    uncovered = [absence] if _away(deputy_id, absence) and _away(absence.substitute_id, absence) else []
    principals = Absence.objects.filter(
        manager__manager_profile__deputy_id=absence.manager_id,
        cancelled_at__isnull=True,
        starts_at__lt=absence.ends_at,
        ends_at__gt=absence.starts_at,
    ).select_related("manager")
    uncovered += [other for other in principals if _away(other.substitute_id, other)]
    return uncovered


def _uncovered_tell(*, absence: Absence, actor: User) -> None:
    manager = absence.manager
    event_emit(
        type=ABSENCE_UNCOVERED,
        stream=f"absence:{absence.pk}",
        actor=actor,
        public=False,
        payload={
            "absence": {
                "id": absence.pk,
                "manager": {"id": manager.pk, "name": manager.display_name, "email": manager.email},
                "starts_at": absence.starts_at,
                "ends_at": absence.ends_at,
            }
        },
    )


def _absence_lock(*, actor: User, absence_id: int) -> Absence:
    absence = Absence.objects.select_for_update().select_related("manager").filter(pk=absence_id).first()
    if (
        absence is None
        or absence.cancelled_at is not None
        or not can(actor, "accounts.manage_absences", absence.manager)
    ):
        raise NotFound(_("No such absence."))
    return absence


def absence_cancel(*, actor: User, absence_id: int) -> Absence:
    """Cancel an absence that has not started; one under way ends now (it stays on record as it was)."""
    with transaction.atomic(durable=True):
        absence = _absence_lock(actor=actor, absence_id=absence_id)
        now = timezone.now()
        if absence.ends_at <= now:
            raise InvalidInput(_("The absence has already ended."))
        before = {"ends_at": absence.ends_at.isoformat()}
        if absence.starts_at < now:
            absence.ends_at = now
            absence.save(update_fields=["ends_at"])
            audit_record(
                actor=actor,
                action=AuditAction.CHANGED,
                instance=absence,
                before=before,
                after={"ends_at": now.isoformat()},
                note=str(absence),
            )
        else:
            absence.cancelled_at = now
            absence.save(update_fields=["cancelled_at"])
            audit_record(actor=actor, action=AuditAction.DELETED, instance=absence, before=before, note=str(absence))
    return absence


def absence_substitute_set(*, actor: User, absence_id: int, substitute: User | None) -> Absence:
    """An administrator chooses who covers during this absence when the deputy is away too."""
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator chooses a substitute."))
    with transaction.atomic(durable=True):
        absence = _absence_lock(actor=actor, absence_id=absence_id)
        _check_other_manager(field="substitute", person=substitute, manager=absence.manager)
        before = {"substitute_id": absence.substitute_id}
        absence.substitute = substitute
        absence.save(update_fields=["substitute"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            instance=absence,
            before=before,
            after={"substitute_id": absence.substitute_id},
            note=str(absence),
        )
    return absence
