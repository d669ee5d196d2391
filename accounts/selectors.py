"""Reads for people, partners and projects, scoped by the permission policy."""

from django.db.models import Count, Q, QuerySet

from .models import Project, Role, User
from .permissions import scope_projects


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
