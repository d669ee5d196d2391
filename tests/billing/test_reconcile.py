"""manage.py reconcile_ledger."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.models import DepositAccount
from billing.services import hold_capture, hold_place

pytestmark = pytest.mark.django_db


def reconcile() -> str:
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    return out.getvalue()


def test_consistent_ledger_reconciles(partner, fund, make_ticket, manager, other_partner_project):
    fund(partner, "900.00")
    fund(other_partner_project.partner, "180.00")
    captured, held = make_ticket(), make_ticket(kind="composite", parts=2)
    hold_place(ticket=captured, amount=Decimal("180.00"))
    hold_capture(ticket=captured, actor=manager, allow_overdraft=False)
    hold_place(ticket=held, amount=Decimal("360.00"))
    assert "OK: 2 accounts reconciled" in reconcile()


def test_no_accounts_reconcile_trivially():
    assert "OK: 0 accounts reconciled" in reconcile()


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("balance", Decimal("1000.00"), "balance 1000.00 != sum of entries 900.00"),
        ("held", Decimal("10.00"), "held 10.00 != sum of active holds 180.00"),
    ],
)
def test_broken_account_fails_the_command(partner, fund, make_ticket, other_partner_project, field, value, problem):
    fund(partner, "900.00")
    fund(other_partner_project.partner, "180.00")
    hold_place(ticket=make_ticket(), amount=Decimal("180.00"))
    DepositAccount.objects.filter(partner=partner).update(**{field: value})
    out = StringIO()
    with pytest.raises(CommandError, match=rf"1 of 2 accounts do not reconcile: {partner.name}") as failed:
        call_command("reconcile_ledger", stdout=out)
    assert failed.value.returncode == 1
    assert problem in out.getvalue()
    assert other_partner_project.partner.name not in out.getvalue()


def test_sums_are_exact_in_kopecks(partner, fund):
    for amount in ["0.10", "0.20", "0.01", "1999.99", "0.07"]:
        fund(partner, amount)
    assert DepositAccount.objects.get(partner=partner).balance == Decimal("2000.37")
    assert "OK: 1 accounts reconciled" in reconcile()
