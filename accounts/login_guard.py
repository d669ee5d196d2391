"""Slowing down password guessing, for the login page and token login alike.

Failed logins are counted per account (from anywhere), per client address (for any account) and per trusted
device. Past a free number of failures each further failure closes the door for a back-off that doubles up to
LOGIN_BACKOFF_MAX; while it is closed no password is even checked. The counts are forgotten LOGIN_FAILURE_WINDOW
after the first failure, so nobody is locked out for good.

So that an attacker who keeps failing on an account cannot keep its owner out, a browser that logged in to an
account before carries a signed device cookie for it: its attempts are counted for that device alone and the
account-wide back-off does not apply to it.

Counters live in the cache (Redis in production), shared by every web process.
"""

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from partner_support.clientaddress import client_address

DEVICE_COOKIE = "ps_device"
DEVICE_COOKIE_SALT = "accounts.login_guard.device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Bucket:
    key: str
    free_failures: int  # the failure that closes the door first


def _backoff_seconds(failures: int, free_failures: int) -> int:
    """The free_failures-th failure closes the door for LOGIN_BACKOFF_BASE seconds, each next one for twice as long."""
    if failures < free_failures:
        return 0
    return min(settings.LOGIN_BACKOFF_BASE * 2 ** min(failures - free_failures, 20), settings.LOGIN_BACKOFF_MAX)


class LoginGuard:
    """The failure counters that one login attempt (an e-mail from a client) is subject to."""

    def __init__(self, request: HttpRequest, email: str):
        self.email = (email or "").strip().lower()
        self.address = client_address(request)
        self.device = self._trusted_device(request)
        if self.device:
            self.buckets = [_Bucket(f"login:device:{self.device}", settings.LOGIN_FAILURE_LIMIT)]
        else:
            self.buckets = [
                _Bucket(f"login:account:{_digest(self.email)}", settings.LOGIN_FAILURE_LIMIT),
                _Bucket(f"login:client:{_digest(self.address)}", settings.LOGIN_CLIENT_FAILURE_LIMIT),
            ]

    def _trusted_device(self, request: HttpRequest) -> str:
        """The device id of a valid device cookie issued for this e-mail, or ""."""
        value = request.COOKIES.get(DEVICE_COOKIE, "")
        if not value or not self.email:
            return ""
        try:
            data = signing.loads(value, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
        except signing.BadSignature:
            return ""
        if not isinstance(data, dict) or data.get("email") != _digest(self.email):
            return ""
        return str(data.get("device", ""))[:64]

    def retry_after(self) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = time.time()
        closed_until = max((cache.get(f"{bucket.key}:until", 0) for bucket in self.buckets), default=0)
        return max(0, math.ceil(closed_until - now))

    def failed(self) -> None:
        now = time.time()
        for bucket in self.buckets:
            cache.add(bucket.key, 0, settings.LOGIN_FAILURE_WINDOW)
            try:
                failures = cache.incr(bucket.key)
            except ValueError:  # expired between add and incr
                cache.set(bucket.key, 1, settings.LOGIN_FAILURE_WINDOW)
                failures = 1
            delay = _backoff_seconds(failures, bucket.free_failures)
            if delay:
                cache.set(f"{bucket.key}:until", now + delay, delay)

    def succeeded(self, response: HttpResponse | None = None) -> None:
        """The password was right: this account's and this device's counts start again; a browser gets (or keeps)
        its device cookie for the account. The client address's count stays, so that one right password among
        many accounts' guesses does not reset the guessing."""
        keys = [bucket.key for bucket in self.buckets if ":client:" not in bucket.key]
        keys.append(f"login:account:{_digest(self.email)}")
        cache.delete_many([*keys, *(f"{key}:until" for key in keys)])
        if response is not None:
            device = self.device or secrets.token_hex(16)
            value = signing.dumps({"email": _digest(self.email), "device": device}, salt=DEVICE_COOKIE_SALT)
            response.set_cookie(
                DEVICE_COOKIE,
                value,
                max_age=DEVICE_COOKIE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )


def too_many_attempts_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(count)d minute.",
        "Too many failed attempts. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


def password_reset_allowed(email: str) -> bool:
    """Whether another password-reset mail may go to this address now (PASSWORD_RESET_MAILS_PER_HOUR)."""
    key = f"password-reset:{_digest((email or '').strip().lower())}"
    cache.add(key, 0, 3600)
    try:
        sent = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        sent = 1
    return sent <= settings.PASSWORD_RESET_MAILS_PER_HOUR
