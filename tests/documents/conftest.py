# ruff: noqa: RUF001 -- Ukrainian requisites, Cyrillic on purpose
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from accounts.requisites import requisites_update
from billing.services import deposit_top_up, hold_capture, hold_place
from tests.factories import TicketFactory
from tickets.models import TicketPart


def pdf_text(content: bytes) -> str:
    """The text of every page, as a reader (or an accountant's software) extracts it; whitespace made single."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def requisites(partner, owner):
    return requisites_update(
        partner=partner,
        actor=owner,
        legal_name="ТОВ «Альфа Інтеграції»",
        tax_code="31316718",
        vat_status="payer",
        vat_number="313167126598",
        legal_address="04053, м. Київ, вул. Січових Стрільців, 21",
        accountant_email="buh@alpha.example.com",
        document_language="uk",
    )


@pytest.fixture
def charge(partner, project, manager, admin_user):
    """charge("Export fails", kind="simple", at="2026-11-10 12:00 +02:00") files a ticket on the partner's project
    and debits its price at that moment, as resolving it does; returns the ticket."""
    deposit_top_up(
        partner=partner, amount=Decimal("5000.00"), actor=admin_user, memo="Payment", idempotency_key="docs:fund"
    )

    def charge(title: str, *, at: str, kind: str = "simple", parts: int | None = None, price: str = "180.00"):
        with time_machine.travel(at, tick=False):
            ticket = TicketFactory(project=project, title=title, kind=kind, parts=parts)
            if kind == "composite":
                for position in range(1, parts + 1):
                    TicketPart.objects.create(
                        ticket=ticket, position=position, title=f"Part {position}", done_at=timezone.now()
                    )
            hold_place(ticket=ticket, amount=Decimal(price))
            hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
        return ticket

    return charge
