"""Invariants the database enforces by itself, whatever code (or person with psql) tries."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from billing.models import EntryKind, Hold, LedgerEntry
from billing.services import account_for, hold_capture, hold_place
from tests.helpers import on_postgresql

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    not on_postgresql(), reason="needs PostgreSQL: pgtrigger installs the ledger's append-only triggers there only"
)


def entry_fields(account, **fields) -> dict:
    return {
        "account": account,
        "kind": EntryKind.TOP_UP,
        "amount": Decimal("10.00"),
        "balance_after": Decimal("10.00"),
        "idempotency_key": "guard",
        **fields,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": EntryKind.TOP_UP, "amount": Decimal("-10.00")},
        {"kind": EntryKind.REFUND, "amount": Decimal("0.00")},
        {"kind": EntryKind.DEBIT, "amount": Decimal("10.00")},
        {"kind": EntryKind.ADJUSTMENT, "amount": Decimal("0.00")},
        {"kind": EntryKind.ADJUSTMENT, "amount": Decimal("-20.00"), "balance_after": Decimal("-10.00")},
        {"kind": EntryKind.TOP_UP, "allow_overdraft": True},
    ],
    ids=["negative-top-up", "zero-refund", "positive-debit", "zero-adjustment", "negative-balance", "overdraft-flag"],
)
def test_ledger_check_constraints(partner, fields):
    account = account_for(partner=partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**entry_fields(account, **fields))


def test_debit_needs_a_ticket_and_only_a_bug_debit_may_overdraw(partner, make_ticket):
    account = account_for(partner=partner)
    debit = {"kind": EntryKind.DEBIT, "amount": Decimal("-180.00"), "balance_after": Decimal("-180.00")}
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**entry_fields(account, **debit, allow_overdraft=True))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**entry_fields(account, **debit, ticket=make_ticket()))
    LedgerEntry.objects.create(**entry_fields(account, **debit, ticket=make_ticket(), allow_overdraft=True))


def test_one_debit_per_ticket_and_unique_keys(partner, fund, make_ticket, manager):
    fund(partner, "900.00")
    ticket = make_ticket()
    debit = hold_capture(ticket=ticket, actor=manager, allow_overdraft=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            **entry_fields(
                debit.account, kind=EntryKind.DEBIT, amount=Decimal("-1.00"), ticket=ticket, idempotency_key="other"
            )
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**entry_fields(debit.account, idempotency_key=debit.idempotency_key))


def test_one_active_hold_per_ticket_and_held_never_negative(partner, fund, make_ticket):
    fund(partner, "900.00")
    ticket = make_ticket()
    hold = hold_place(ticket=ticket, amount=Decimal("180.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Hold.objects.create(account=hold.account, ticket=ticket, amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Hold.objects.filter(pk=hold.pk).update(amount=Decimal("-1.00"))
    account = hold.account
    account.held = Decimal("-1.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        account.save()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE billing_ledgerentry SET amount = 1000000",
        "UPDATE billing_ledgerentry SET memo = 'edited'",
        "DELETE FROM billing_ledgerentry",
        "TRUNCATE billing_ledgerentry",
        "TRUNCATE billing_ledgerentry CASCADE",
    ],
)
def test_raw_sql_cannot_rewrite_or_erase_the_ledger(partner, fund, sql):
    entry = fund(partner, "900.00")
    with connection.cursor() as cursor:
        # The entry was written in this test's transaction: check its deferred foreign keys now, or PostgreSQL
        # refuses TRUNCATE for "pending trigger events" before our trigger has a say.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    entry.refresh_from_db()
    assert (entry.amount, entry.memo) == (Decimal("900.00"), "Payment received")


@postgres_only
def test_the_orm_cannot_edit_or_delete_entries(partner, fund):
    entry = fund(partner, "900.00")
    entry.memo = "edited"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).memo == "Payment received"


@postgres_only
def test_an_empty_ledger_may_be_truncated_so_a_test_database_can_be_flushed(partner):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE billing_ledgerentry")
    assert not LedgerEntry.objects.exists()
