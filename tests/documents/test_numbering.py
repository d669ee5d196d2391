"""Document numbers: per series and year, never repeated and never skipped, with issuers racing on PostgreSQL."""

import pytest
import time_machine
from django.db import transaction

from billing.models import DocumentCounter, Invoice
from billing.services import invoice_issue
from billing.services.numbering import ACT_SERIES, INVOICE_SERIES, document_number_next
from tests.factories import PartnerFactory, PartnerOwnerFactory
from tests.helpers import postgres_only, run_concurrently

THREADS = 10


@pytest.mark.django_db
@time_machine.travel("2026-06-01 10:00 +03:00", tick=False)
def test_each_series_counts_on_its_own_per_year():
    with transaction.atomic():
        numbers = [
            document_number_next(series=INVOICE_SERIES, year=2026),
            document_number_next(series=ACT_SERIES, year=2026),
            document_number_next(series=INVOICE_SERIES, year=2026),
            document_number_next(series=INVOICE_SERIES, year=2027),
        ]
    assert numbers == ["INV-2026-000001", "ACT-2026-000001", "INV-2026-000002", "INV-2027-000001"]


@pytest.mark.django_db
def test_a_document_rolled_back_gives_its_number_back():
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        assert document_number_next(series=INVOICE_SERIES, year=2026) == "INV-2026-000001"
        raise Refused
    with transaction.atomic():
        assert document_number_next(series=INVOICE_SERIES, year=2026) == "INV-2026-000001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_documents_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        document_number_next(series=INVOICE_SERIES, year=2026)
    assert not DocumentCounter.objects.exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_invoices_issued_at_once_are_numbered_one_to_ten():
    owners = [PartnerOwnerFactory(partner=PartnerFactory()) for _ in range(THREADS)]
    with time_machine.travel("2026-12-03 12:00 +02:00", tick=True):
        results = run_concurrently(
            [lambda owner=owner: invoice_issue(partner=owner.partner, requests=1, actor=owner) for owner in owners]
        )
    assert all(isinstance(result, Invoice) for result in results), results
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, THREADS + 1)]
    assert DocumentCounter.objects.get(series=INVOICE_SERIES, year=2026).last_number == THREADS


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_issuers_of_whom_some_roll_back_leave_no_gap():
    class Refused(Exception):
        pass

    def issue(index: int) -> str:
        with transaction.atomic():
            number = document_number_next(series=ACT_SERIES, year=2026)
            if index % 3 == 0:
                raise Refused(number)
            return number

    results = run_concurrently([lambda index=index: issue(index) for index in range(THREADS)])
    kept = sorted(result for result in results if isinstance(result, str))
    assert kept == [f"ACT-2026-{n:06d}" for n in range(1, len(kept) + 1)]
    assert len(kept) == THREADS - len([i for i in range(THREADS) if i % 3 == 0])
