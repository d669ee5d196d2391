"""Writes for people, partners and projects."""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from outbox.services import event_emit
from partner_support.errors import CapacityExceeded, InvalidInput, NotFound, PermissionDenied

from .credentials import credentials_revoke_all
from .models import (
    USER_INVITED,
    USER_INVITED_ELSEWHERE,
    Invitation,
    ManagerProfile,
    Partner,
    Project,
    ProjectAssignment,
    Role,
    User,
)
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


def team_member_invite(*, actor: User, email: str, name: str, role: str) -> Invitation:
    """A partner owner invites a colleague by e-mail address; the answer is the same whether or not the address
    has an account with another partner (accounts.models.Invitation). A free address gets an account whose
    password the colleague chooses from the link e-mailed after commit (`user.invited`); the holder of an address
    taken elsewhere is told (`user.invited_elsewhere`)."""
    partner = actor.partner
    if partner is None or not can(actor, "accounts.manage_team", partner):
        raise PermissionDenied(_("Only the partner's owners manage the team."))
    if role not in (Role.PARTNER_OWNER, Role.PARTNER_MEMBER):
        raise InvalidInput(_("Choose owner or member."), extra={"role": [_("Choose owner or member.")]})
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or "@" not in email:
        raise InvalidInput(_("Give an e-mail address."), extra={"email": [_("Give an e-mail address.")]})
    taken = _("%(email)s is in your team or invited already.") % {"email": email}
    name = (name or "").strip()[:150]
    try:
        with transaction.atomic():
            Partner.objects.select_for_update().get(pk=partner.pk)  # one invitation of an address at a time
            if User.objects.filter(email__iexact=email, partner=partner).exists():
                raise InvalidInput(taken, extra={"email": [taken]})
            invitation = Invitation.objects.create(partner=partner, email=email, name=name, role=role, invited_by=actor)
            holder = User.objects.filter(email__iexact=email).first()
            if holder is None:
                try:
                    with transaction.atomic():
                        invitation.user = User.objects.create_user(email, None, role=role, partner=partner, name=name)
                except IntegrityError:  # registered by another partner at this very moment: invited elsewhere
                    holder = User.objects.get(email__iexact=email)
                else:
                    invitation.save(update_fields=["user"])
            event_emit(
                type=USER_INVITED if holder is None else USER_INVITED_ELSEWHERE,
                stream=f"partner:{partner.pk}",
                partner_id=partner.pk,
                actor=actor,
                public=False,
                payload={"invitation": {"id": invitation.pk, "email": email, "role": role}},
            )
    except IntegrityError:  # invited already, or at the same moment: the unique constraints decide
        raise InvalidInput(taken, extra={"email": [taken]}) from None
    return invitation


def team_invitation_withdraw(*, actor: User, invitation_id: int) -> Invitation:
    """Withdraw a pending invitation: its link stops working, and the account made for it goes (or, when it has
    filed a request by e-mail meanwhile, stays switched off in the team)."""
    partner = actor.partner
    if partner is None or not can(actor, "accounts.manage_team", partner):
        raise PermissionDenied(_("Only the partner's owners manage the team."))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(pk=invitation_id, partner=partner)
            .select_related("user")
        ).first()
        if invitation is None or (invitation.user is not None and invitation.user.has_usable_password()):
            raise NotFound(_("No such invitation."))
        invitee = invitation.user
        invitation.delete()
        if invitee is not None:
            try:
                with transaction.atomic():
                    invitee.delete()
            except (IntegrityError, ProtectedError):  # e-mailed a request already: kept, switched off
                invitee.is_active = False
                invitee.save(update_fields=["is_active"])
                credentials_revoke_all(user=invitee)
    return invitation


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
