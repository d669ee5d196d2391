"""Property-based requests generated from the OpenAPI schema: the API never answers 500, whatever it is sent.

Bounded (a few examples per operation, derandomized) so that it fits in CI; each case is sent as a partner
owner and as a manager, in a world with a funded deposit and tickets. Driven through hypothesis directly rather
than schemathesis' pytest plugin, which does not support pytest 9 yet.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from partner_support.wsgi import application
from tests.factories import PartnerOwnerFactory, TicketFactory


@pytest.fixture
def tokens(funded, project, manager):
    owner = PartnerOwnerFactory(partner=funded)
    TicketFactory.create_batch(2, project=project, author=owner)
    return [Token.objects.create(user=owner).key, Token.objects.create(user=manager).key]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI application directly would close the database connection after each request (Django's
    test client switches that off too); the test's transaction must survive the requests."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def test_no_operation_answers_500(tokens, settings, keep_test_connection):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings_(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def exercise(case):
            for key in tokens:
                case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=[not_a_server_error])

        exercise()
