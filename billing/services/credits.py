"""SLA credits (a contract option, off by default): a request resolved after its resolution deadline is credited
back, as an entry of its own; a breach excused afterwards takes the credit back with a further entry. Each is
keyed by the ticket, so a second resolve after a reopen credits nothing twice and an excuse reverses once."""

from django.utils.translation import gettext as _

from ..models import EntryKind, LedgerEntry
from .ledger import existing_entry, lock_account, post_entry, save_account
from .pricing import money, tariff_by_partner_id
from .requests import ChargedRequest


def sla_credit_post(*, ticket: ChargedRequest, actor) -> LedgerEntry | None:
    """Credit the late request's price (or the contract's share of it) back to the deposit, once; None when the
    contract has no SLA credits or nothing was charged. The caller holds the ticket's lock and knows the breach."""
    tariff = tariff_by_partner_id(ticket.partner_id)
    if not tariff.sla_credits:
        return None
    key = f"sla_credit:ticket:{ticket.pk}"
    account = lock_account(partner_id=ticket.partner_id)
    entry = existing_entry(account=account, key=key, kind=EntryKind.SLA_CREDIT, amount=None)
    if entry is not None:
        return entry
    debit = LedgerEntry.objects.filter(ticket_id=ticket.pk, kind=EntryKind.DEBIT).first()
    if debit is None:
        return None
    amount = money(-debit.amount * tariff.sla_credit_percent / 100)
    if amount <= 0:
        return None
    entry = post_entry(
        account=account,
        kind=EntryKind.SLA_CREDIT,
        amount=amount,
        actor=actor,
        memo=_("SLA credit: request %(number)s was resolved after its deadline") % {"number": ticket.number},
        key=key,
        ticket=ticket,
    )
    save_account(account=account, fields=["balance"], tariff=tariff)
    return entry


def sla_credit_reverse(*, ticket: ChargedRequest, actor) -> LedgerEntry | None:
    """Take back the ticket's SLA credit, once, by a further entry (the credit itself is never changed); None when
    it had none. The partner may have spent it meanwhile: the reversal may take the balance below zero."""
    key = f"sla_credit:ticket:{ticket.pk}:reversal"
    account = lock_account(partner_id=ticket.partner_id)
    entry = existing_entry(account=account, key=key, kind=EntryKind.SLA_CREDIT_REVERSAL, amount=None)
    if entry is not None:
        return entry
    credit = LedgerEntry.objects.filter(ticket_id=ticket.pk, kind=EntryKind.SLA_CREDIT).first()
    if credit is None:
        return None
    entry = post_entry(
        account=account,
        kind=EntryKind.SLA_CREDIT_REVERSAL,
        amount=-credit.amount,
        actor=actor,
        memo=_("SLA credit taken back: the breach of request %(number)s was excused") % {"number": ticket.number},
        key=key,
        ticket=ticket,
        allow_overdraft=True,
    )
    save_account(account=account, fields=["balance"])
    return entry
