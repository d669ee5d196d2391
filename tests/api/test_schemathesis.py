"""Property-based requests generated from the OpenAPI schema, with every schemathesis check: no 500, only
documented statuses and content types, responses that match their schemas, schema-valid requests accepted and
schema-violating ones refused.

Bounded (a few examples per operation, derandomized) so that it fits in CI; each case is sent as a partner owner,
a partner member and a manager, in a world with a funded deposit and tickets. Driven through hypothesis directly
rather than schemathesis' pytest plugin, which does not support pytest 9 yet.

Where a schema-valid request can still be refused by a rule the schema cannot state (a wrong password, a project
that is not yours, parts given for a request that is not composite, a part of another ticket, a deposit that does
not cover it, a canned reply with no text in any language), the operation's expected statuses say so below; every
other check stays as schemathesis has it.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from accounts.credentials import login_token_issue
from partner_support.wsgi import application
from tests.factories import PartnerOwnerFactory, TicketFactory, UserFactory

RULES_THE_SCHEMA_CANNOT_STATE = r"""
[[operations]]
include-name = "POST /api/v1/auth/token/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "429"]

[[operations]]
include-name = "POST /api/v1/tickets/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "402", "403", "404"]

[[operations]]
include-name-regex = '^(POST|PATCH) /api/v1/tickets/\{id\}/'
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "402", "403", "404", "409", "429"]

[[operations]]
include-name-regex = '^(POST|PATCH) /api/v1/canned-replies/'
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "403", "404", "429"]

[[operations]]
include-name-regex = '^GET /api/v1/reports/monthly/'
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404"]

[[operations]]
include-name = "PUT /api/v1/requisites/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404"]

[[operations]]
include-name = "POST /api/v1/integrations/webhooks/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "403", "404"]
"""


@pytest.fixture
def people(funded, project, manager):
    owner = PartnerOwnerFactory(partner=funded)
    member = UserFactory(partner=funded)
    TicketFactory.create_batch(2, project=project, author=owner)
    return [owner, member, manager]


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


def _takes_input(operation) -> bool:
    """Whether anything in a request to the operation can violate its schema (a negative case exists)."""
    return len(operation.body) > 0 or any(p.location in ("path", "query") for p in operation.iter_parameters())


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda mode: mode.value)
def test_every_operation_keeps_its_schema(people, settings, keep_test_connection, mode):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/min", "auth": "100000/min"},
    }
    settings.LOGIN_FAILURE_LIMIT = settings.LOGIN_CLIENT_FAILURE_LIMIT = 100000
    config = SchemathesisConfig.from_str(RULES_THE_SCHEMA_CANNOT_STATE)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    if mode == GenerationMode.NEGATIVE:
        operations = [operation for operation in operations if _takes_input(operation)]

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings_(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def exercise(case):
            for person in people:  # a fresh login token each time: a case may refresh or revoke the one it is sent
                key = login_token_issue(user=person).key
                case.call_and_validate(headers={"Authorization": f"Token {key}"})

        exercise()
