import os

import pgtrigger
import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from billing.models import LedgerEntry
from tests.factories import (
    AdminFactory,
    ManagerFactory,
    PartnerFactory,
    PartnerOwnerFactory,
    ProjectFactory,
    UserFactory,
)

# In CI the property tests replay the same examples every run (a red build is then reproducible, never luck);
# on a laptop they explore new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


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


@pytest.fixture(autouse=True)
def _empty_ledger_before_flush(request):
    """Tests with real transactions on PostgreSQL end with a flush (TRUNCATE of every table), which the ledger
    refuses while it holds rows: empty it first, its append-only trigger switched off for this connection only."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if transactional and connection.vendor == "postgresql":
        with pgtrigger.ignore("billing.LedgerEntry:ledger_append_only"):
            LedgerEntry.objects.all().delete()
