"""Amounts as people read them in their language: "1,620.00 UAH" in English, "1 620,00 грн" in Ukrainian and
Russian (the separators come from partner_support/formats/<language>/formats.py)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import pgettext_lazy

CURRENCY_SIGNS = {"UAH": pgettext_lazy("currency sign", "UAH")}


def amount_number(amount: Decimal | int) -> str:
    return number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)


def currency_sign(currency: str) -> str:
    return str(CURRENCY_SIGNS.get(currency, currency))


def amount_text(amount: Decimal | int | None, currency: str = "UAH") -> str:
    if amount is None or amount == "":
        return "—"
    return f"{amount_number(amount)}\u00a0{currency_sign(currency)}"
