import pytest

from tests.factories import ManagerFactory, PartnerOwnerFactory, ProjectFactory


@pytest.fixture
def owner_user(partner):
    return PartnerOwnerFactory(partner=partner)


@pytest.fixture
def other_manager(db):
    return ManagerFactory()


@pytest.fixture
def other_project(other_manager):
    return ProjectFactory(manager=other_manager, passport="Other secret passport")
