from pathlib import Path

import pytest

from notifications.models import SentMessage
from tests.factories import TicketFactory, UserFactory

EML = Path(__file__).parent / "eml"
# The Message-ID that the reply fixtures (reply_gmail.eml, reply_thunderbird.eml) answer.
NOTIFICATION_MESSAGE_ID = "<176390000000.1234.5678901234567890@partner-support.local>"


def eml(name: str) -> bytes:
    return (EML / name).read_bytes()


@pytest.fixture
def anna(partner, project):
    """The partner member who writes the e-mails under tests/inbound/eml/; her partner has one project."""
    return UserFactory(partner=partner, email="anna@alpha.example", name="Anna Koval")


@pytest.fixture
def ticket_123(project, anna):
    """PS-000123, the ticket the reply fixtures quote, and the notification e-mail they answer."""
    ticket = TicketFactory(pk=123, project=project, author=anna)
    SentMessage.objects.create(message_id=NOTIFICATION_MESSAGE_ID, ticket=ticket, user=anna)
    return ticket
