from decimal import Decimal

import pytest

from billing.services import deposit_top_up
from tests.factories import ManagerFactory, PartnerOwnerFactory, ProjectFactory
from tickets import services
from tickets.models import Kind


@pytest.fixture
def funded(partner, admin_user):
    """The partner's deposit holds 10 requests (1800.00 UAH at the default tariff)."""
    deposit_top_up(partner=partner, amount=Decimal("1800.00"), actor=admin_user, memo="test", idempotency_key="ui:1")
    return partner


@pytest.fixture
def file_ticket(funded, member, project):
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


@pytest.fixture
def owner_user(partner):
    return PartnerOwnerFactory(partner=partner)


@pytest.fixture
def other_manager(db):
    return ManagerFactory()


@pytest.fixture
def other_project(other_manager):
    return ProjectFactory(manager=other_manager, passport="Other secret passport")
