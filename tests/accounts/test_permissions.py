"""The permission matrix of DESIGN.md section 2, asked through the one policy module."""

import pytest

from accounts.models import Partner, Project
from accounts.permissions import scope_partners, scope_projects
from tests.factories import ManagerFactory, PartnerOwnerFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(project, other_partner_project, admin_user, owner, member, outsider):
    return {
        "admin": admin_user,
        "manager": project.manager,
        "other_manager": other_partner_project.manager,
        "owner": owner,
        "member": member,
        "outsider": outsider,
    }


@pytest.mark.parametrize(
    ("who", "perm", "expected"),
    [
        ("admin", "accounts.view_project", True),
        ("manager", "accounts.view_project", True),
        ("other_manager", "accounts.view_project", False),
        ("owner", "accounts.view_project", True),
        ("member", "accounts.view_project", True),
        ("outsider", "accounts.view_project", False),
        ("admin", "accounts.view_passport", True),
        ("manager", "accounts.view_passport", True),
        ("other_manager", "accounts.view_passport", False),
        ("owner", "accounts.view_passport", False),
        ("member", "accounts.view_passport", False),
        ("admin", "accounts.assign_manager", True),
        ("manager", "accounts.assign_manager", False),
        ("owner", "accounts.assign_manager", False),
    ],
)
def test_project_matrix(users, project, who, perm, expected):
    assert users[who].has_perm(perm, project) is expected


@pytest.mark.parametrize(
    ("who", "perm", "expected"),
    [
        ("owner", "accounts.manage_team", True),
        ("member", "accounts.manage_team", False),
        ("outsider", "accounts.manage_team", False),
        ("admin", "accounts.manage_team", True),
        ("owner", "billing.order_consultations", True),
        ("member", "billing.order_consultations", False),
        ("owner", "billing.view_account", True),
        ("member", "billing.view_account", True),
        ("outsider", "billing.view_account", False),
        ("manager", "billing.view_account", False),
        ("admin", "billing.record_payment", True),
        ("owner", "billing.record_payment", False),
        ("owner", "accounts.view_partner", True),
        ("outsider", "accounts.view_partner", False),
    ],
)
def test_partner_matrix(users, partner, who, perm, expected):
    assert users[who].has_perm(perm, partner) is expected


def test_partner_user_never_reaches_another_partners_objects(users, project, other_partner_project):
    """Every object-level permission about another partner's project is refused to a partner user."""
    object_perms = [
        "accounts.view_project",
        "accounts.view_passport",
        "accounts.view_partner",
        "tickets.view_ticket",
        "tickets.view_internal",
        "tickets.file_ticket",
        "tickets.act_as_partner",
        "tickets.cancel_ticket",
        "tickets.comment",
        "billing.view_account",
        "billing.order_consultations",
        "accounts.manage_team",
        "accounts.manage_integrations",
    ]
    for who in ("owner", "member"):
        for perm in object_perms:
            assert not users[who].has_perm(perm, other_partner_project), (who, perm)
            assert not users[who].has_perm(perm, other_partner_project.partner), (who, perm)


def test_scopes_match_the_object_rules(users, project, other_partner_project):
    ProjectFactory(partner=project.partner, manager=ManagerFactory())
    for user in users.values():
        visible = set(scope_projects(user, Project.objects.all()))
        assert visible == {p for p in Project.objects.all() if user.has_perm("accounts.view_project", p)}


def test_partner_scope(users, partner, other_partner_project):
    assert list(scope_partners(users["owner"], Partner.objects.all())) == [partner]
    assert list(scope_partners(users["other_manager"], Partner.objects.all())) == [other_partner_project.partner]
    assert scope_partners(users["admin"], Partner.objects.all()).count() == 2


def test_inactive_or_anonymous_sees_nothing(project):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not anonymous.has_perm("accounts.view_project", project)
    assert scope_projects(anonymous, Project.objects.all()).count() == 0


def test_member_of_same_partner_is_not_owner(partner):
    owner = PartnerOwnerFactory(partner=partner)
    member = UserFactory(partner=partner)
    assert owner.has_perm("accounts.manage_integrations", partner)
    assert not member.has_perm("accounts.manage_integrations", partner)
