"""Manager assignment: the cap, its history, and two administrators at the same moment."""

import pytest
from django.db import IntegrityError

from accounts.models import Project, ProjectAssignment, Role, User
from accounts.services import user_create
from partner_support.errors import CapacityExceeded, InvalidInput, PermissionDenied
from tests.factories import AdminFactory, ManagerFactory, PartnerFactory, ProjectFactory
from tests.helpers import postgres_only, run_concurrently
from tickets.services import project_assign_manager

pytestmark = pytest.mark.django_db


def test_assign_records_who_did_it(admin_user):
    manager = ManagerFactory()
    project = ProjectFactory(manager=None)
    project_assign_manager(project=project, manager=manager, actor=admin_user)
    project.refresh_from_db()
    assert project.manager == manager
    assignment = ProjectAssignment.objects.get(project=project)
    assert (assignment.manager, assignment.previous_manager, assignment.actor) == (manager, None, admin_user)


def test_reassign_keeps_previous_manager_in_history(admin_user, project):
    old = project.manager
    new = ManagerFactory()
    project_assign_manager(project=project, manager=new, actor=admin_user)
    assert ProjectAssignment.objects.get(project=project).previous_manager == old


def test_cap_refuses_the_sixth_project(admin_user):
    manager = ManagerFactory(profile__max_projects=5)
    for _ in range(5):
        project_assign_manager(project=ProjectFactory(manager=None), manager=manager, actor=admin_user)
    sixth = ProjectFactory(manager=None)
    with pytest.raises(CapacityExceeded, match="5 of 5"):
        project_assign_manager(project=sixth, manager=manager, actor=admin_user)
    sixth.refresh_from_db()
    assert sixth.manager is None
    assert Project.objects.filter(manager=manager).count() == 5


def test_inactive_projects_do_not_count_against_the_cap(admin_user):
    manager = ManagerFactory(profile__max_projects=1)
    ProjectFactory(manager=manager, is_active=False)
    project = ProjectFactory(manager=None)
    project_assign_manager(project=project, manager=manager, actor=admin_user)
    project.refresh_from_db()
    assert project.manager == manager


def test_only_administrators_assign(project, member):
    with pytest.raises(PermissionDenied):
        project_assign_manager(project=project, manager=ManagerFactory(), actor=project.manager)
    with pytest.raises(PermissionDenied):
        project_assign_manager(project=project, manager=ManagerFactory(), actor=member)


def test_assignee_must_be_a_manager(admin_user, project, member):
    with pytest.raises(InvalidInput, match="not a manager"):
        project_assign_manager(project=project, manager=member, actor=admin_user)


def test_user_create_gives_manager_a_profile():
    user = user_create(email="New@Example.com", password="x-long-password", role=Role.MANAGER, max_projects=3)
    assert user.email == "new@example.com"
    assert user.manager_profile.max_projects == 3
    assert not user.is_staff


def test_user_create_admin_gets_the_admin_site():
    user = user_create(email="boss@example.com", password="x-long-password", role=Role.ADMIN)
    assert user.is_staff and user.is_superuser


def test_user_create_refuses_unknown_role():
    with pytest.raises(InvalidInput):
        user_create(email="x@example.com", password="x-long-password", role="janitor")


def test_partner_role_requires_a_partner_in_the_database():
    with pytest.raises(IntegrityError):
        User.objects.create_user("lonely@example.com", "pw", role=Role.PARTNER_MEMBER, partner=None)


def test_staff_role_cannot_belong_to_a_partner():
    with pytest.raises(IntegrityError):
        User.objects.create_user("m@example.com", "pw", role=Role.MANAGER, partner=PartnerFactory())


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_administrators_at_the_same_moment_cannot_exceed_the_cap():
    first_admin, second_admin = AdminFactory(), AdminFactory()
    manager = ManagerFactory(profile__max_projects=5)
    for _ in range(4):
        ProjectFactory(manager=manager)
    candidates = [ProjectFactory(manager=None), ProjectFactory(manager=None)]

    results = run_concurrently(
        [
            lambda: project_assign_manager(project=candidates[0], manager=manager, actor=first_admin),
            lambda: project_assign_manager(project=candidates[1], manager=manager, actor=second_admin),
        ]
    )

    assert sorted(type(result).__name__ for result in results) == ["CapacityExceeded", "Project"]
    assert Project.objects.filter(manager=manager).count() == 5
    assert ProjectAssignment.objects.filter(manager=manager).count() == 1
