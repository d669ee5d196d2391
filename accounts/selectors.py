"""Reads for people, partners and projects, scoped by the permission policy."""

from django.db.models import Count, Q, QuerySet

from .models import ManagerProfile, Partner, Project, Role, User
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
    """The partner's people, owners first."""
    return User.objects.filter(partner=partner).order_by("-role", "name", "email")


def passport_projects(*, user: User) -> list[Project]:
    """The projects whose passport the user may read (their manager, administrators)."""
    return [project for project in project_list(user=user) if can(user, "accounts.view_passport", project)]
