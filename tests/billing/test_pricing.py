"""Tariffs, accounts and prices."""

from decimal import Decimal

import pytest

from billing.models import DepositAccount, Tariff
from billing.services import account_for, quote_amount, tariff_for, ticket_price
from tests.billing.factories import TariffFactory

pytestmark = pytest.mark.django_db


def test_tariff_for_creates_the_default_tariff_once(partner):
    tariff = tariff_for(partner=partner)
    assert (tariff.price_per_request, tariff.hourly_rate, tariff.bill_bugs, tariff.currency) == (
        Decimal("180.00"),
        Decimal("600.00"),
        True,
        "UAH",
    )
    assert tariff_for(partner=partner).pk == tariff.pk
    assert Tariff.objects.filter(partner=partner).count() == 1


def test_account_for_creates_an_empty_account_once(partner):
    account = account_for(partner=partner)
    assert (account.balance, account.held, account.available, account.currency) == (0, 0, 0, "UAH")
    assert account_for(partner=partner).pk == account.pk
    assert DepositAccount.objects.filter(partner=partner).count() == 1


@pytest.mark.parametrize(
    ("fields", "price"),
    [
        ({"kind": "simple"}, "180.00"),
        ({"kind": "bug"}, "180.00"),
        ({"kind": "composite"}, "180.00"),
        ({"kind": "composite", "parts": 3}, "540.00"),
        ({"kind": "enhancement"}, "0.00"),
        ({"kind": "enhancement", "amount": Decimal("1500.00")}, "1500.00"),
    ],
)
def test_ticket_price(make_ticket, fields, price):
    assert ticket_price(ticket=make_ticket(**fields)) == Decimal(price)


def test_ticket_price_follows_the_partners_tariff(make_ticket, partner):
    TariffFactory(partner=partner, price_per_request=Decimal("250.00"), bill_bugs=False)
    assert ticket_price(ticket=make_ticket(kind="simple")) == Decimal("250.00")
    assert ticket_price(ticket=make_ticket(kind="composite", parts=2)) == Decimal("500.00")
    assert ticket_price(ticket=make_ticket(kind="bug")) == Decimal("0.00")


@pytest.mark.parametrize(
    ("hours", "amount"), [("2.5", "1500.00"), ("0.01", "6.00"), ("1.333", "799.80"), ("10", "6000.00")]
)
def test_quote_amount(partner, hours, amount):
    assert quote_amount(partner=partner, estimate_hours=Decimal(hours)) == Decimal(amount)


def test_quote_amount_rounds_half_up(partner):
    TariffFactory(partner=partner, hourly_rate=Decimal("0.05"))
    assert quote_amount(partner=partner, estimate_hours=Decimal("0.1")) == Decimal("0.01")


def test_quote_amount_refuses_floats(partner):
    with pytest.raises(TypeError):
        quote_amount(partner=partner, estimate_hours=2.5)
