"""A deployment whose own ЄДРПОУ/ІПН or VAT number is mistyped would print it on every document: refused at start."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError

from accounts.taxcodes import validate_tax_code, validate_vat_number


@checks.register()
def vendor_requisites_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    vendor = settings.VENDOR_REQUISITES
    errors = []
    for name, validate in (("tax_code", validate_tax_code), ("vat_number", validate_vat_number)):
        value = vendor.get(name, "")
        if not value and name == "vat_number":
            continue
        try:
            validate(value)
        except ValidationError as error:
            errors.append(
                checks.Error(f"VENDOR_{name.upper()}={value!r}: {' '.join(error.messages)}", id="documents.E001")
            )
    return errors
