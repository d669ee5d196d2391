"""Reply addresses that prove a thread: each ticket e-mail to a person carries a Reply-To of its own,
`<local>+<ticket>.<user>.<signature>@<domain>` (INBOUND_REPLY_ADDRESS), signed with the secret key. A reply that
comes back to it from that person's address answers that ticket as that person, whatever the sender's mail server
says about the message (inbound mail otherwise has to prove its sender: inbound/authentication.py). Anyone who
is shown such an e-mail can answer that one ticket with it, as with every reply-by-e-mail service; it files no new
request and reaches no other ticket.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "notifications.reply_tokens"
SIGNATURE_LENGTH = 20  # hex digits: 80 bits
TAG = re.compile(rf"^(?P<ticket>\d{{1,18}})\.(?P<user>\d{{1,18}})\.(?P<signature>[0-9a-f]{{{SIGNATURE_LENGTH}}})$")


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: int
    user_id: int


def _signature(ticket_id: int, user_id: int) -> str:
    return salted_hmac(SALT, f"{ticket_id}.{user_id}", algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def _base() -> tuple[str, str] | None:
    address = (settings.INBOUND_REPLY_ADDRESS or "").strip()
    if "@" not in address:
        return None
    local, domain = address.rsplit("@", 1)
    return local, domain.lower()


def reply_address(*, ticket_id: int, user_id: int) -> str | None:
    """The Reply-To of a ticket's e-mail to one person, or None when INBOUND_REPLY_ADDRESS is not set."""
    base = _base()
    if base is None:
        return None
    local, domain = base
    return f"{local}+{ticket_id}.{user_id}.{_signature(ticket_id, user_id)}@{domain}"


def reply_token_of(addresses: list[str], *, user_id: int) -> ReplyToken | None:
    """The thread that one of the addresses a message was sent to proves for the person `user_id`: the first that
    carries a valid signature for them (a colleague's reply address in Cc proves nothing about this sender)."""
    base = _base()
    if base is None:
        return None
    local, domain = base
    prefix = f"{local}+".lower()
    for address in addresses:
        address = address.strip().lower()
        if not address.endswith(f"@{domain}") or not address.startswith(prefix):
            continue
        match = TAG.match(address[len(prefix) : -len(domain) - 1])
        if match is None:
            continue
        ticket_id = int(match["ticket"])
        if int(match["user"]) == user_id and constant_time_compare(match["signature"], _signature(ticket_id, user_id)):
            return ReplyToken(ticket_id=ticket_id, user_id=user_id)
    return None
