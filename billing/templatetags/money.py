"""`{{ amount|money:currency }}`: an amount in the reader's language ("1 620,00 грн"), billing/formatting.py."""

from django import template

from ..formatting import amount_text

register = template.Library()


@register.filter
def money(amount, currency: str = "UAH") -> str:
    return amount_text(amount, currency or "UAH")
