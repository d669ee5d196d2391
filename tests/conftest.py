import os
from decimal import Decimal
from pathlib import Path

import pgtrigger
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.client import ClientMixin
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from billing.models import LedgerEntry
from billing.services import deposit_top_up
from inbound import authentication
from tests.factories import (
    AdminFactory,
    ManagerFactory,
    PartnerFactory,
    PartnerOwnerFactory,
    ProjectFactory,
    UserFactory,
)
from tickets import services
from tickets.models import Kind

# In CI the property tests replay the same examples every run (a red build is then reproducible, never luck);
# on a laptop they explore new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


DKIM_TEST_KEYS = {
    # tests/inbound/dkim/alpha-test.key signs the DKIM fixtures; published here as if in DNS, for two domains.
    f"test2026._domainkey.{domain}.": "v=DKIM1; k=rsa; p="
    + (Path(__file__).parent / "inbound" / "dkim" / "alpha-test.pub.b64").read_text().strip()
    for domain in ("alpha.example", "attacker.example")
}


@pytest.fixture(autouse=True)
def _dkim_dns(monkeypatch):
    """No test asks real DNS: DKIM keys come from DKIM_TEST_KEYS, any other name has no TXT record."""
    looked_up = []

    def dns_txt(name: bytes, timeout: int = 5) -> bytes | None:
        looked_up.append(name.decode())
        key = DKIM_TEST_KEYS.get(name.decode())
        return key.encode() if key else None

    monkeypatch.setattr(authentication, "dns_txt", dns_txt)
    return looked_up


@pytest.fixture(autouse=True)
def _logged_in_with_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a complete login, second factor included, as the login's last step
    marks it in the session (tests/accounts/test_two_factor.py walks the real steps)."""
    force_login = ClientMixin.force_login

    def complete_login(client, user, backend=None):
        force_login(client, user, backend)
        session = client.session
        session[settings.TWO_FACTOR_SESSION_KEY] = user.pk
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", complete_login)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login failure counters and throttles live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page rendered for a Ukrainian or Russian user leaves that language active in the thread (the next request
    sets its own); the next test starts in English again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api():
    """api(user) is a REST client authenticated as `user` (anonymous without one)."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


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


@pytest.fixture
def funded(partner, admin_user):
    """The partner's deposit holds 10 requests (1800.00 UAH at the default tariff)."""
    deposit_top_up(partner=partner, amount=Decimal("1800.00"), actor=admin_user, memo="test", idempotency_key="t:1")
    return partner


@pytest.fixture
def file_ticket(funded, member, project):
    """file_ticket(kind, actor=..., title=..., files=...) files a request through the service, as a partner would."""

    def file(kind: str = Kind.SIMPLE, actor=None, **fields):
        return services.ticket_file(
            actor=actor or member,
            project_id=fields.pop("project_id", project.pk),
            kind=kind,
            title=fields.pop("title", "The export fails"),
            description=fields.pop("description", "Export to Excel stops at 50%."),
            **fields,
        )

    return file
