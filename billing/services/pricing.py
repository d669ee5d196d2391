"""Prices from the partner's tariff: what a ticket costs and what an enhancement quote comes to."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from accounts.models import Partner
from partner_support.errors import InvalidInput

from ..models import ZERO, RequestKind, Tariff
from .requests import ChargedRequest

CENT = Decimal("0.01")


def money(value: Decimal | int) -> Decimal:
    """Round to cents, half up. Floats are refused, so that no binary fraction ever reaches the ledger."""
    if isinstance(value, float) or not isinstance(value, Decimal | int):
        raise TypeError(f"Money must be a Decimal, not {type(value).__name__}.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def exact_money(value: Decimal | int) -> Decimal:
    """An amount given by a person: whole cents only, never silently rounded."""
    amount = money(value)
    if amount != value:
        raise InvalidInput(_("Amounts are in whole kopecks (two decimal places)."))
    return amount


def tariff_by_partner_id(partner_id: int) -> Tariff:
    tariff, _ = Tariff.objects.get_or_create(partner_id=partner_id)
    return tariff


def tariff_for(*, partner: Partner) -> Tariff:
    """The partner's tariff, created with the default prices on first use (safe against a concurrent creator)."""
    return tariff_by_partner_id(partner.pk)


def ticket_price(*, ticket: ChargedRequest) -> Decimal:
    """What resolving the ticket costs: one request, parts (done parts once settled) x one request, or the quoted
    enhancement amount."""
    return price_on_tariff(ticket=ticket, tariff=tariff_by_partner_id(ticket.partner_id))


def price_on_tariff(*, ticket: ChargedRequest, tariff: Tariff) -> Decimal:
    if ticket.kind == RequestKind.ENHANCEMENT:
        return money(ticket.amount) if ticket.amount is not None else ZERO
    if ticket.kind == RequestKind.BUG and not tariff.bill_bugs:
        return ZERO
    if ticket.kind == RequestKind.COMPOSITE:
        return tariff.price_per_request * composite_units(ticket=ticket)
    return tariff.price_per_request


def composite_units(*, ticket: ChargedRequest) -> int:
    """How many requests a composite costs: its parts while open; once resolved, only the parts done."""
    return ticket.parts_done if ticket.parts_done is not None else (ticket.parts or 1)


def quote_amount(*, partner: Partner, estimate_hours: Decimal) -> Decimal:
    """The price of an enhancement estimated at `estimate_hours` programmer hours."""
    if isinstance(estimate_hours, float):
        raise TypeError("Hours must be a Decimal, not float.")
    return money(Decimal(estimate_hours) * tariff_for(partner=partner).hourly_rate)
