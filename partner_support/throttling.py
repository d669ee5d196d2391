"""DRF throttles keyed on the real client address (partner_support.clientaddress), never on X-Forwarded-For as
the client wrote it."""

from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from .clientaddress import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    pass


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    pass
