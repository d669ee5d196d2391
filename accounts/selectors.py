"""Reads for people, partners and projects, scoped by the permission policy."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q, QuerySet

from .models import Invitation, ManagerProfile, Partner, Project, Role, User
from .permissions import can, scope_projects


def project_list(*, user: User) -> QuerySet[Project]:
    return scope_projects(user, Project.objects.select_related("partner", "manager")).order_by("partner__name", "name")


def manager_workload() -> QuerySet[User]:
    """Managers with the number of active projects they serve, beside their cap."""
    return (
        User.objects.filter(role=Role.MANAGER)
        .select_related("manager_profile")
        .annotate(project_count=Count("managed_projects", filter=Q(managed_projects__is_active=True)))
        .order_by("email")
    )


def manager_capacity(*, manager: User) -> tuple[int, int]:
    """(active projects served, cap) of one manager."""
    profile = ManagerProfile.objects.filter(user=manager).first()
    active = Project.objects.filter(manager=manager, is_active=True).count()
    return active, profile.max_projects if profile else 0


def team_list(*, partner: Partner) -> QuerySet[User]:
    """The partner's people who have joined, owners first (an invited colleague is listed with the invitations
    until they set a password)."""
    pending = Q(invitation__isnull=False) & Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return User.objects.filter(partner=partner).exclude(pending).order_by("-role", "name", "email")


def team_invitations(*, partner: Partner) -> QuerySet[Invitation]:
    """The partner's pending invitations, newest first: each looks the same whatever became of its address."""
    joined = Q(user__isnull=False) & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return Invitation.objects.filter(partner=partner).exclude(joined).select_related("invited_by")


def passport_projects(*, user: User) -> list[Project]:
    """The projects whose passport the user may read (their manager, administrators)."""
    return [project for project in project_list(user=user) if can(user, "accounts.view_passport", project)]
