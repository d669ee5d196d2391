"""Login tokens and browser sessions: issued, rotated, listed and ended (writes and reads of one concern).

A login token is valid while it is not revoked, not expired, its user is active and the user's password is the
one it was issued under. Ending a browser session deletes it from the session store.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_support.clientaddress import client_address
from partner_support.errors import NotFound

from .models import LoginToken, User, UserSession

LOGIN_TOKEN_PREFIX = "lt_"  # noqa: S105 (a marker, not a secret)
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _client_details(request: HttpRequest | None) -> dict:
    if request is None:
        return {"client": "", "user_agent": ""}
    return {"client": client_address(request)[:64], "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


@dataclass(frozen=True)
class IssuedToken:
    token: LoginToken
    key: str  # shown once; only its hash is kept

    @property
    def expires_at(self) -> datetime:
        return self.token.expires_at


def login_token_issue(*, user: User, request: HttpRequest | None = None) -> IssuedToken:
    key = LOGIN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = LoginToken.objects.create(
        user=user,
        key_hash=_hash(key),
        prefix=key[:10],
        password_fingerprint=user.get_session_auth_hash(),
        created_at=now,
        expires_at=now + settings.LOGIN_TOKEN_TTL,
        **_client_details(request),
    )
    return IssuedToken(token=token, key=key)


def _is_live(token: LoginToken, now: datetime) -> bool:
    user = token.user
    return (
        token.revoked_at is None
        and token.expires_at > now
        and user.is_active
        and secrets.compare_digest(token.password_fingerprint, user.get_session_auth_hash())
    )


def login_token_user(*, key: str) -> tuple[User, LoginToken] | None:
    """The user and token a presented key stands for, or None when it is unknown, expired or revoked."""
    token = LoginToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    now = timezone.now()
    if token is None or not _is_live(token, now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        LoginToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def login_token_rotate(*, token_id: int, request: HttpRequest | None = None) -> IssuedToken:
    """A new token for the holder of a live one, which is revoked at the same moment (used once)."""
    with transaction.atomic(durable=True):
        token = LoginToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
        if token is None or not _is_live(token, timezone.now()):
            raise NotFound(_("This token is no longer valid; log in again."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        return login_token_issue(user=token.user, request=request)


def login_token_list(*, user: User):
    """The user's live login tokens, newest first."""
    now = timezone.now()
    tokens = LoginToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).select_related("user")
    return [token for token in tokens if _is_live(token, now)]


def login_token_revoke(*, actor: User, token_id: int) -> LoginToken:
    """Revoke one of the actor's own login tokens (anyone else's is not found)."""
    with transaction.atomic(durable=True):
        token = LoginToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound(_("No such token."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def user_session_record(*, request: HttpRequest, user: User) -> UserSession:
    """Note the session that a login just opened (the session is saved first, so that it has its key)."""
    if request.session.session_key is None:
        request.session.save()
    session, _created = UserSession.objects.update_or_create(
        session_key=request.session.session_key, defaults={"user": user, **_client_details(request)}
    )
    return session


def user_session_list(*, user: User) -> list[UserSession]:
    """The user's browser sessions that still exist (records of expired or ended ones are dropped)."""
    store = _session_store()
    sessions = list(UserSession.objects.filter(user=user))
    gone = [session.pk for session in sessions if not store().exists(session.session_key)]
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return [session for session in sessions if session.pk not in gone]


def user_session_end(*, actor: User, session_id: int) -> None:
    """End one of the actor's own browser sessions: that browser is logged out at its next request."""
    session = UserSession.objects.filter(pk=session_id, user=actor).first()
    if session is None:
        raise NotFound(_("No such session."))
    _session_store()(session_key=session.session_key).delete()
    session.delete()


def credentials_revoke_all(*, user: User, keep_session_key: str | None = None) -> None:
    """Revoke every login token of the user and end their browser sessions (but the one to keep)."""
    LoginToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    store = _session_store()
    for session in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        store(session_key=session.session_key).delete()
        session.delete()
