from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from billing.services import deposit_top_up


@pytest.fixture
def funded(partner, admin_user):
    deposit_top_up(partner=partner, amount=Decimal("1800.00"), actor=admin_user, memo="test", idempotency_key="api:1")
    return partner


@pytest.fixture
def api():
    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for
