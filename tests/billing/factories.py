"""factory_boy factories of the billing app. Money only ever moves through billing.services, so there is no
factory for ledger entries or holds: tests fund a deposit with the `fund` fixture and hold through the services."""

from decimal import Decimal

import factory

from billing.models import Tariff
from tests.factories import PartnerFactory


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff
        django_get_or_create = ["partner"]

    partner = factory.SubFactory(PartnerFactory)
    price_per_request = Decimal("180.00")
    hourly_rate = Decimal("600.00")
    bill_bugs = True
