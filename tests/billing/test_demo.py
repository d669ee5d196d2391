"""The demo data documents the deposits; seeding twice credits nothing twice."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import PartnerRequisites
from billing.models import DepositAccount, LedgerEntry, Tariff

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_documented_tariffs_and_deposits():
    call_command("seed_demo")
    call_command("seed_demo")
    balances = dict(DepositAccount.objects.values_list("partner__name", "balance"))
    assert balances == {"Alpha Integrations": Decimal("1800.00"), "Beta Solutions": Decimal("360.00")}
    assert LedgerEntry.objects.count() == 2
    tariffs = set(Tariff.objects.values_list("price_per_request", "hourly_rate"))
    assert tariffs == {(Decimal("180.00"), Decimal("600.00"))}
    assert set(LedgerEntry.objects.values_list("idempotency_key", flat=True)) == {
        "seed:topup:PS-2026-001",
        "seed:topup:PS-2026-002",
    }
    call_command("reconcile_ledger")
    requisites = PartnerRequisites.objects.order_by("partner__name")
    for item in requisites:
        item.full_clean()
    assert [item.tax_code for item in requisites] == ["31316718", "3012345670"]
