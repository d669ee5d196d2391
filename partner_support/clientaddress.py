"""The real address of the client, for throttles and lock-outs.

`X-Forwarded-For` is written by whoever sends the request, so it counts only as far as our own proxies wrote it:
with TRUSTED_PROXY_COUNT proxies in front (each appends the address it was connected from), the client is the
entry that the outermost of them appended, the TRUSTED_PROXY_COUNT-th from the right. With none (the default),
the address of the TCP peer (REMOTE_ADDR) is the client and the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        return remote  # fewer entries than our proxies write: the request did not come through all of them
    return _valid(forwarded[-proxies]) or remote
