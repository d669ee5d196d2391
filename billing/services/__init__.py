"""Writes of the billing app. Every money movement locks the partner's DepositAccount row first and is idempotent
by a permanent business key; the ticket services call the hold functions inside their own transaction."""

from .credits import sla_credit_post, sla_credit_reverse
from .deposits import adjustment_record, deposit_top_up
from .holds import hold_adjust, hold_capture, hold_place, hold_release
from .invoices import invoice_cancel, invoice_issue, invoice_mark_paid
from .ledger import account_for
from .pricing import quote_amount, tariff_for, ticket_price

__all__ = [
    "account_for",
    "adjustment_record",
    "deposit_top_up",
    "hold_adjust",
    "hold_capture",
    "hold_place",
    "hold_release",
    "invoice_cancel",
    "invoice_issue",
    "invoice_mark_paid",
    "quote_amount",
    "sla_credit_post",
    "sla_credit_reverse",
    "tariff_for",
    "ticket_price",
]
