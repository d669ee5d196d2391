"""The demo data documents the deposits; seeding twice credits nothing twice."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import ManagerProfile, PartnerRequisites
from billing.models import DepositAccount, LedgerEntry, Tariff
from tickets.models import CannedReply, ChecklistStep

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


def test_seed_demo_gives_deputies_a_checklist_and_a_shared_reply():
    call_command("seed_demo")
    call_command("seed_demo")
    profiles = {p.user.email: p.deputy.email for p in ManagerProfile.objects.select_related("user", "deputy")}
    assert profiles == {"manager1@demo.local": "manager2@demo.local", "manager2@demo.local": "manager1@demo.local"}
    assert ChecklistStep.objects.count() == 5 and CannedReply.objects.filter(owner=None).count() == 1
