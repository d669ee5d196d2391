"""What billing needs to know of a request it holds money for (the ticket, which billing does not import)."""

from decimal import Decimal
from typing import Protocol


class ChargedRequest(Protocol):
    pk: int
    partner_id: int
    kind: str
    parts: int | None
    parts_done: int | None
    amount: Decimal | None

    @property
    def number(self) -> str: ...
