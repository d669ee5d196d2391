"""DRF throttles keyed on the real client address (partner_support.clientaddress), never on X-Forwarded-For as
the client wrote it."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from .clientaddress import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)

    def get_rate(self):
        # DRF reads the rates once, at import; read them when asked, so that a changed setting applies.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    pass


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    pass
