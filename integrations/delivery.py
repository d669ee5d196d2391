"""One signed POST to a partner's receiver, to the address that was checked, within an overall deadline.

The host is resolved once; every address it resolves to must be public (unless WEBHOOK_ALLOW_PRIVATE_TARGETS),
and the connection goes to the checked address, so a DNS answer that changes between the check and the connect
(rebinding) cannot reach an internal host. TLS still verifies the certificate against the host name. Redirects
are failures, never followed. A receiver that answers slowly, a byte at a time, is cut at the deadline.
"""

import contextlib
import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass
class Outcome:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class DeliveryRefused(Exception):
    """The target may not be called (its address is private or does not resolve)."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def checked_address(host: str, port: int) -> str:
    """The address to connect to: the first that `host` resolves to, once all of them are allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DeliveryRefused(f"{host} does not resolve") from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise DeliveryRefused(f"{host} does not resolve")
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and not all(_public(a) for a in addresses):
        raise DeliveryRefused("the address is private or loopback")
    return addresses[0]


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(text: str) -> bool:
    """A global address, and so is any IPv4 address it carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        teredo = address.teredo[1] if address.teredo else None
        embedded = [address.ipv4_mapped, address.sixtofour, teredo]
        if address in NAT64 or int(address) >> 32 == 0:  # NAT64 and the old "IPv4-compatible" ::a.b.c.d
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(ip.is_global for ip in embedded if ip is not None)
    return True


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        # The plain socket first, so that the deadline's watchdog can cut a TLS handshake that never ends.
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def _cut(connection: http.client.HTTPConnection) -> None:
    """The deadline passed: unblock whatever the sender is waiting for."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post(*, url: str, body: bytes, headers: dict, secret: str, timeout: float) -> Outcome:
    """POST `body` to `url`, signed with `secret`; the whole exchange takes at most `timeout` seconds."""
    parts = urlsplit(url)
    outcome = Outcome()
    started = time.monotonic()
    try:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryRefused("not an http(s) URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = checked_address(parts.hostname, port)
        pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = pinned(parts.hostname, port, address=address, timeout=timeout)
        watchdog = threading.Timer(timeout, _cut, args=(connection,))
        watchdog.start()
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            all_headers = {**headers, "Content-Type": "application/json", "X-Signature": signature(secret, body)}
            connection.request("POST", path, body=body, headers=all_headers)
            response = connection.getresponse()
            excerpt = response.read(500).decode(errors="replace")
            outcome.status_code, outcome.excerpt = response.status, excerpt
        finally:
            watchdog.cancel()
            connection.close()
    except (DeliveryRefused, OSError, http.client.HTTPException, ValueError) as error:
        outcome.status_code = None
        outcome.error = str(error)[:500] or error.__class__.__name__
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    if outcome.duration_ms >= timeout * 1000 and not outcome.succeeded:
        outcome.error = f"no complete answer within {timeout:g} s"
    return outcome
