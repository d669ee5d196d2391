"""Money an administrator records directly: payments received and corrections."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from accounts.permissions import can
from audit.models import AuditAction
from audit.services import audit_record, snapshot
from partner_support.errors import InvalidInput, PermissionDenied

from ..models import EntryKind, LedgerEntry
from .ledger import existing_entry, lock_account, post_entry, save_account
from .pricing import exact_money


def _audit_money(*, actor: User, entry: LedgerEntry, balance_before: Decimal) -> None:
    """Top-ups and adjustments are administrative changes: the audit log has the balance before and after."""
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        instance=entry,
        before={"partner_id": entry.account.partner_id, "balance": str(balance_before)},
        after={**snapshot(entry), "balance": str(entry.account.balance)},
        note=f"{entry.kind}: {entry.amount} ({entry.memo})",
    )


def _require_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise InvalidInput(_("An idempotency key is required."))
    return key


def deposit_top_up(*, partner: Partner, amount: Decimal, actor: User, memo: str, idempotency_key: str) -> LedgerEntry:
    """Credit a payment received from the partner. Replaying the same key returns the first entry, credited once."""
    if not can(actor, "billing.record_payment"):
        raise PermissionDenied()
    amount = exact_money(amount)
    if amount <= 0:
        raise InvalidInput(_("A top-up must be a positive amount."))
    key = _require_key(idempotency_key)
    with transaction.atomic():
        account = lock_account(partner_id=partner.pk)
        entry = existing_entry(account=account, key=key, kind=EntryKind.TOP_UP, amount=amount)
        if entry is not None:
            return entry
        entry = post_entry(
            account=account, kind=EntryKind.TOP_UP, amount=amount, actor=actor, memo=memo or _("Top-up"), key=key
        )
        save_account(account=account, fields=["balance"])
        _audit_money(actor=actor, entry=entry, balance_before=account.balance - amount)
    return entry


def adjustment_record(
    *, partner: Partner, amount: Decimal, actor: User, memo: str, idempotency_key: str
) -> LedgerEntry:
    """A signed correction by an administrator, with a reason; a negative one may not take the balance below zero."""
    if not can(actor, "billing.record_payment"):
        raise PermissionDenied()
    amount = exact_money(amount)
    if amount == 0:
        raise InvalidInput(_("An adjustment cannot be zero."))
    if not (memo or "").strip():
        raise InvalidInput(_("Say why the balance is adjusted."))
    key = _require_key(idempotency_key)
    with transaction.atomic():
        account = lock_account(partner_id=partner.pk)
        entry = existing_entry(account=account, key=key, kind=EntryKind.ADJUSTMENT, amount=amount)
        if entry is not None:
            return entry
        if amount < 0 and account.balance + amount < 0:
            raise InvalidInput(
                _("This adjustment would take the balance (%(balance)s %(currency)s) below zero.")
                % {"balance": account.balance, "currency": account.currency}
            )
        entry = post_entry(account=account, kind=EntryKind.ADJUSTMENT, amount=amount, actor=actor, memo=memo, key=key)
        save_account(account=account, fields=["balance"])
        _audit_money(actor=actor, entry=entry, balance_before=account.balance - amount)
    return entry
