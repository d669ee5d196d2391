import pgtrigger
import pytest
from django.db import connection

from billing.models import LedgerEntry
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


@pytest.fixture
def ledger_cleanup(transactional_db):
    """For tests with real transactions on PostgreSQL, which end with a flush (TRUNCATE of every table).

    The ledger refuses TRUNCATE while it holds rows, so this empties it first, switching its append-only trigger
    off for this connection only. Requested after `transactional_db`, it is torn down before the flush.
    """
    yield
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("billing.LedgerEntry:ledger_append_only"):
            LedgerEntry.objects.all().delete()
