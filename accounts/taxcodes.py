"""Ukrainian tax codes on documents, checked once here for the model, the forms, the API and the vendor's settings.

A company is identified by its ЄДРПОУ code (8 digits), a sole trader (ФОП) by the tax number of a person, ІПН
(РНОКПП, 10 digits); the last digit of each is a check digit. A VAT payer also has a 12-digit VAT number.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EDRPOU_LENGTH = 8
IPN_LENGTH = 10
VAT_NUMBER_LENGTH = 12
# ЄДРПОУ: codes from 30000000 to 60000000 weigh their digits from 7; the others from 1. When the remainder is 10,
# the sum is taken again with every weight raised by 2; a second 10 gives the check digit 0.
EDRPOU_WEIGHTS_LOW = (1, 2, 3, 4, 5, 6, 7)
EDRPOU_WEIGHTS_MIDDLE = (7, 1, 2, 3, 4, 5, 6)
EDRPOU_MIDDLE_RANGE = (30_000_000, 60_000_000)
# ІПН (РНОКПП): the weighted sum of the first nine digits, modulo 11, then modulo 10.
IPN_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)


def _digits(code: str) -> list[int]:
    return [int(digit) for digit in code]


def edrpou_check_digit(first_seven: str) -> int:
    """The eighth digit of a ЄДРПОУ code whose first seven digits are given."""
    number = int(first_seven) * 10
    low, high = EDRPOU_MIDDLE_RANGE
    weights = EDRPOU_WEIGHTS_MIDDLE if low <= number <= high else EDRPOU_WEIGHTS_LOW
    digits = _digits(first_seven)
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder == 10 else remainder


def ipn_check_digit(first_nine: str) -> int:
    """The tenth digit of an ІПН whose first nine digits are given."""
    return sum(d * w for d, w in zip(_digits(first_nine), IPN_WEIGHTS, strict=True)) % 11 % 10


def is_edrpou(code: str) -> bool:
    return len(code) == EDRPOU_LENGTH and code.isascii() and code.isdigit()


def is_ipn(code: str) -> bool:
    return len(code) == IPN_LENGTH and code.isascii() and code.isdigit()


def validate_tax_code(code: str) -> None:
    """A ЄДРПОУ code (8 digits) or an ІПН (10 digits) whose check digit is right; raises ValidationError."""
    if is_edrpou(code):
        if edrpou_check_digit(code[:7]) != int(code[7]):
            raise ValidationError(
                _("%(code)s is not a valid ЄДРПОУ code: its check digit does not match."),
                code="tax_code_check_digit",
                params={"code": code},
            )
        return
    if is_ipn(code):
        if ipn_check_digit(code[:9]) != int(code[9]):
            raise ValidationError(
                _("%(code)s is not a valid ІПН: its check digit does not match."),
                code="tax_code_check_digit",
                params={"code": code},
            )
        return
    raise ValidationError(
        _("Give a ЄДРПОУ code (8 digits) or an ІПН (10 digits)."), code="tax_code_format", params={"code": code}
    )


def validate_vat_number(number: str) -> None:
    if not (len(number) == VAT_NUMBER_LENGTH and number.isascii() and number.isdigit()):
        raise ValidationError(_("A VAT number has 12 digits."), code="vat_number_format")
