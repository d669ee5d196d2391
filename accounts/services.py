"""Writes for people, partners and projects."""

from django.db import transaction
from django.utils.translation import gettext as _

from partner_support.errors import CapacityExceeded, InvalidInput, PermissionDenied

from .models import ManagerProfile, Partner, Project, ProjectAssignment, Role, User


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


def project_assign_manager(*, project: Project, manager: User, actor: User) -> Project:
    """Make `manager` the dedicated manager of `project`, refusing at the manager's cap.

    The manager's profile row is locked first, so that two administrators assigning projects to the same manager
    at the same moment are serialised and the second one sees the first one's project in the count.
    """
    if not actor.has_perm("accounts.assign_manager"):
        raise PermissionDenied()
    if manager.role != Role.MANAGER:
        raise InvalidInput(_("%(user)s is not a manager.") % {"user": manager})
    with transaction.atomic():
        profile = ManagerProfile.objects.select_for_update().get(user=manager)
        locked_project = Project.objects.select_for_update().get(pk=project.pk)
        previous_manager_id = locked_project.manager_id
        if previous_manager_id == manager.pk:
            return locked_project
        served = Project.objects.filter(manager=manager, is_active=True).count()
        if served >= profile.max_projects:
            raise CapacityExceeded(
                _("%(manager)s already serves %(served)d of %(cap)d projects.")
                % {"manager": manager, "served": served, "cap": profile.max_projects}
            )
        locked_project.manager = manager
        locked_project.save(update_fields=["manager"])
        ProjectAssignment.objects.create(
            project=locked_project, manager=manager, previous_manager_id=previous_manager_id, actor=actor
        )
    return locked_project
