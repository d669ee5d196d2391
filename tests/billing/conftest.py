import uuid
from decimal import Decimal

import pytest

from billing.models import LedgerEntry
from billing.services import deposit_top_up
from tests.factories import AdminFactory, TicketFactory


@pytest.fixture
def fund(db):
    """fund(partner, "540.00") credits the partner's deposit through the service, as an administrator would."""
    cashier = AdminFactory()

    def fund(partner, amount: str) -> LedgerEntry:
        return deposit_top_up(
            partner=partner,
            amount=Decimal(amount),
            actor=cashier,
            memo="Payment received",
            idempotency_key=f"test:fund:{uuid.uuid4()}",
        )

    return fund


@pytest.fixture
def make_ticket(project):
    """make_ticket(kind="composite", parts=3) files a ticket on the partner's project (status `new`)."""

    def make_ticket(**fields):
        return TicketFactory(project=project, **fields)

    return make_ticket
