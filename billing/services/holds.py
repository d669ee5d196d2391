"""Holds on a ticket's price, called by the ticket services inside their own transaction.

The ticket services lock the ticket and check the policy; these functions lock the partner's account (always
after the ticket, never before) and decide on the locked balance.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import ZERO, DepositAccount, EntryKind, Hold, HoldStatus, LedgerEntry, RequestKind
from .ledger import existing_entry, insufficient, lock_account, post_entry, save_account
from .pricing import money, price_on_tariff, tariff_by_partner_id
from .requests import ChargedRequest


def _active_hold(*, ticket: ChargedRequest) -> Hold | None:
    return Hold.objects.filter(ticket_id=ticket.pk, status=HoldStatus.ACTIVE).first()


def _set_hold(*, account: DepositAccount, ticket: ChargedRequest, amount: Decimal, allow_short: bool) -> Hold:
    """Make the ticket's active hold `amount` (placing one if there is none) on the locked account."""
    amount = money(amount)
    if amount < 0:
        raise ValueError("A hold cannot be negative.")
    hold = _active_hold(ticket=ticket)
    current = hold.amount if hold else ZERO
    coverable = max(account.available + current, ZERO)
    if amount > coverable:
        if not allow_short:
            raise insufficient(account=account, covering=account.available + current, amount=amount)
        amount = coverable
    if hold is None:
        hold = Hold.objects.create(account=account, ticket=ticket, amount=amount)
    elif hold.amount != amount:
        hold.amount = amount
        hold.save(update_fields=["amount", "updated_at"])
    account.held += amount - current
    save_account(account=account, fields=["held"])
    return hold


def hold_place(*, ticket: ChargedRequest, amount: Decimal, allow_short: bool = False) -> Hold:
    """Reserve `amount` of the partner's available deposit for the ticket.

    Raises InsufficientDeposit when the available deposit does not cover it, unless `allow_short` (critical bugs),
    in which case as much as is available is held. A ticket that already has an active hold has it adjusted.
    """
    with transaction.atomic():
        account = lock_account(partner_id=ticket.partner_id)
        return _set_hold(account=account, ticket=ticket, amount=amount, allow_short=allow_short)


def hold_adjust(*, ticket: ChargedRequest, amount: Decimal, allow_short: bool = False) -> Hold:
    """Change the ticket's active hold to `amount` (a composite accepted with N parts, an approved quote)."""
    return hold_place(ticket=ticket, amount=amount, allow_short=allow_short)


def _release(*, account: DepositAccount, hold: Hold) -> None:
    hold.status = HoldStatus.RELEASED
    hold.save(update_fields=["status", "updated_at"])
    account.held -= hold.amount


def hold_release(*, ticket: ChargedRequest) -> None:
    """Give the ticket's held money back to the available deposit (cancel, reject, decline); no-op without a hold."""
    with transaction.atomic():
        account = lock_account(partner_id=ticket.partner_id)
        hold = _active_hold(ticket=ticket)
        if hold is None:
            return
        _release(account=account, hold=hold)
        save_account(account=account, fields=["held"])


def _held_price(*, hold: Hold, ticket: ChargedRequest) -> Decimal:
    """The price the hold reserved; a composite settled with parts dropped pays only the done parts' share of it."""
    if ticket.kind == RequestKind.COMPOSITE and ticket.parts and ticket.parts_done is not None:
        return money(hold.amount * ticket.parts_done / ticket.parts)
    return hold.amount


def hold_capture(*, ticket: ChargedRequest, actor: User | None, allow_overdraft: bool) -> LedgerEntry | None:
    """Debit the ticket's price, exactly once per ticket, and retire its hold.

    The debit is keyed `debit:ticket:<id>`: resolving again after a reopen, or two resolves racing, find the
    entry already written and charge nothing (a hold placed meanwhile is released). A free ticket writes no
    entry. A composite is charged for the parts done (`parts_done`); a dropped part's share is released with the
    rest of the hold. The price is the one reserved by the hold (a tariff changed meanwhile does not re-price a request
    already held), except for a critical bug, held only as far as the deposit allowed, which pays the tariff.
    A debit covered by its own hold always goes through, even when a bug's overdraft has meanwhile eaten into
    the reserved money; otherwise only `allow_overdraft` (critical bugs) may take the balance below zero.
    """
    key = f"debit:ticket:{ticket.pk}"
    with transaction.atomic():
        account = lock_account(partner_id=ticket.partner_id)
        hold = _active_hold(ticket=ticket)
        entry = existing_entry(account=account, key=key, kind=EntryKind.DEBIT, amount=None)
        tariff = tariff_by_partner_id(ticket.partner_id)
        price = price_on_tariff(ticket=ticket, tariff=tariff)
        if hold is not None and ticket.kind != RequestKind.BUG:
            price = _held_price(hold=hold, ticket=ticket)
        if entry is not None or price == 0:
            if hold is not None:
                _release(account=account, hold=hold)
                save_account(account=account, fields=["held"], tariff=tariff)
            return entry
        overdraw = allow_overdraft or (hold is not None and hold.amount >= price)
        if account.balance < price and not overdraw:
            raise insufficient(account=account, covering=account.balance, amount=price)
        entry = post_entry(
            account=account,
            kind=EntryKind.DEBIT,
            amount=-price,
            actor=actor,
            memo=_("Request %(number)s") % {"number": ticket.number},
            key=key,
            ticket=ticket,
            allow_overdraft=overdraw,
        )
        if hold is not None:
            hold.status = HoldStatus.CAPTURED
            hold.save(update_fields=["status", "updated_at"])
            account.held -= hold.amount
        save_account(account=account, fields=["balance", "held"], tariff=tariff)
        return entry
