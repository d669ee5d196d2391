import pytest

from tests.factories import (
    AdminFactory,
    ManagerFactory,
    PartnerFactory,
    PartnerOwnerFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def manager(db):
    return ManagerFactory()


@pytest.fixture
def partner(db):
    return PartnerFactory()


@pytest.fixture
def owner(partner):
    return PartnerOwnerFactory(partner=partner)


@pytest.fixture
def member(partner):
    return UserFactory(partner=partner)


@pytest.fixture
def project(partner, manager):
    return ProjectFactory(partner=partner, manager=manager)


@pytest.fixture
def other_partner_project(db):
    """A project of another partner, with its own manager and member: the tenant-isolation counterpart."""
    other = PartnerFactory()
    return ProjectFactory(partner=other)


@pytest.fixture
def outsider(other_partner_project):
    return UserFactory(partner=other_partner_project.partner)
