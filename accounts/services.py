"""Writes for people, partners and projects."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from outbox.services import event_emit
from partner_support.errors import CapacityExceeded, InvalidInput, NotFound, PermissionDenied

from .credentials import credentials_revoke_all
from .models import USER_INVITED, ManagerProfile, Partner, Project, ProjectAssignment, Role, User
from .permissions import can


def user_create(
    *,
    email: str,
    password: str | None,
    role: str,
    partner: Partner | None = None,
    name: str = "",
    phone: str = "",
    max_projects: int | None = None,
) -> User:
    """Create a user of any role; a manager also gets a capacity profile."""
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role})
    with transaction.atomic():
        user = User.objects.create_user(email, password, role=role, partner=partner, name=name, phone=phone)
        if role == Role.MANAGER:
            ManagerProfile.objects.create(user=user, max_projects=max_projects or 5)
    return user


def project_manager_set(*, project: Project, manager: User, actor: User) -> int | None:
    """Make `manager` the dedicated manager of `project`, refusing at the manager's cap; returns the previous
    manager's id. Runs inside the caller's transaction: tickets.services.project_assign_manager moves the
    project's open tickets along in the same one.

    The manager's profile row is locked first, so that two administrators assigning projects to the same manager
    at the same moment are serialised and the second one sees the first one's project in the count.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("project_manager_set runs inside the caller's transaction.")
    if not can(actor, "accounts.assign_manager"):
        raise PermissionDenied()
    if manager.role != Role.MANAGER:
        raise InvalidInput(_("%(user)s is not a manager.") % {"user": manager})
    profile = ManagerProfile.objects.select_for_update().get(user=manager)
    locked_project = Project.objects.select_for_update().get(pk=project.pk)
    previous_manager_id = locked_project.manager_id
    if previous_manager_id == manager.pk:
        return previous_manager_id
    served = Project.objects.filter(manager=manager, is_active=True).count()
    if served >= profile.max_projects:
        raise CapacityExceeded(
            _("%(manager)s already serves %(served)d of %(cap)d projects.")
            % {"manager": manager, "served": served, "cap": profile.max_projects}
        )
    locked_project.manager = manager
    locked_project.save(update_fields=["manager"])
    project.manager = manager
    ProjectAssignment.objects.create(
        project=locked_project, manager=manager, previous_manager_id=previous_manager_id, actor=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        instance=locked_project,
        before={"manager_id": previous_manager_id},
        after={"manager_id": manager.pk},
        note=f"Assigned to {manager.email}",
    )
    return previous_manager_id


def team_member_invite(*, actor: User, email: str, name: str, role: str) -> User:
    """A partner owner adds a colleague; the colleague sets a password from the link e-mailed after commit (the
    `user.invited` event, stored with the new account)."""
    partner = actor.partner
    if partner is None or not can(actor, "accounts.manage_team", partner):
        raise PermissionDenied(_("Only the partner's owners manage the team."))
    if role not in (Role.PARTNER_OWNER, Role.PARTNER_MEMBER):
        raise InvalidInput(_("Choose owner or member."), extra={"role": [_("Choose owner or member.")]})
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or "@" not in email:
        raise InvalidInput(_("Give an e-mail address."), extra={"email": [_("Give an e-mail address.")]})
    message = _("Someone already uses %(email)s.") % {"email": email}
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(message, extra={"email": [message]})
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, None, role=role, partner=partner, name=(name or "").strip()[:150])
            event_emit(
                type=USER_INVITED,
                stream=f"partner:{partner.pk}",
                partner_id=partner.pk,
                actor=actor,
                public=False,
                payload={"user": {"id": user.pk, "email": user.email, "name": user.name, "role": user.role}},
            )
    except IntegrityError:  # the same address invited at the same moment: the unique e-mail decides
        raise InvalidInput(message, extra={"email": [message]}) from None
    return user


def team_member_set_active(*, actor: User, user_id: int, active: bool) -> User:
    """Switch a colleague's access off (or on again); nobody switches themselves off."""
    partner = actor.partner
    if partner is None or not can(actor, "accounts.manage_team", partner):
        raise PermissionDenied(_("Only the partner's owners manage the team."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, partner=partner).first()
        if user is None:
            raise NotFound(_("No such colleague."))
        if user.pk == actor.pk and not active:
            raise InvalidInput(_("You cannot switch off your own access."))
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            credentials_revoke_all(user=user)  # switched off: logged out everywhere, login tokens revoked
    return user
