"""Gapless document numbers: INV-2026-000001, ACT-2026-000001, ... per series and year."""

from django.db import connection

from ..models import DocumentCounter

INVOICE_SERIES = "INV"
ACT_SERIES = "ACT"


def document_number_format(*, series: str, year: int, number: int) -> str:
    return f"{series}-{year}-{number:06d}"


def document_number_next(*, series: str, year: int) -> str:
    """The next number of the series, taken under the counter's row lock until the caller's transaction ends.

    The document is created in that same transaction: a concurrent issuer waits for it to commit (and takes the
    next number) or to roll back (and takes this one), so the numbers neither repeat nor skip.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_next must run inside the transaction that creates the document.")
    DocumentCounter.objects.bulk_create([DocumentCounter(series=series, year=year)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return document_number_format(series=series, year=year, number=counter.last_number)
