"""Two-factor authentication: a TOTP authenticator app (django-otp) with one-time recovery codes.

Required for the roles in TWO_FACTOR_REQUIRED_ROLES (managers and administrators by default), optional for partner
people. A login that needs a second factor is not a login until the code is given (accounts.two_factor_views);
API token login takes the code as `otp`. Every change of a user's second factor writes an audit row.
"""

import io
import re
from base64 import b32encode
from datetime import timedelta

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import audit_record
from partner_support.errors import InvalidInput, PermissionDenied

from .credentials import credentials_revoke_all
from .models import User
from .permissions import can

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 5 random bytes in base32
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def two_factor_required(user: User) -> bool:
    """Whether the user's role may not work without a second factor."""
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_needed(user: User) -> bool:
    """Whether a login of this user asks for a code (or, with none set up yet, for setting one up)."""
    return two_factor_required(user) or two_factor_enabled(user)


def _code(value: str) -> str:
    return "".join((value or "").split()).lower()[:16]


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts the code (an authenticator's six digits, or a recovery code, which is used up), or
    None. Each kind of code is tried on its own kind of device only; django-otp refuses an authenticator code that
    was accepted once. Guessing is slowed by the login guard (accounts/login_guard.py), not by django-otp's
    per-device throttle (switched off in settings), which anyone with the password could use to lock the owner
    out."""
    code = _code(code)
    if TOTP_CODE.fullmatch(code):
        model = TOTPDevice
    elif RECOVERY_CODE.fullmatch(code):
        model = StaticDevice
    else:
        return None
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def totp_setup_start(*, user: User) -> TOTPDevice:
    """A new key for an authenticator being set up (unconfirmed until a code from it is given). Any other set-up of
    the user's ends: a key is shown to one browser (accounts.two_factor_views keeps its id in that session), so
    nobody who opened the set-up page elsewhere knows the key that is finally switched on."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def totp_setup_pending(*, user: User, device_id: int) -> TOTPDevice | None:
    """The set-up a browser started, while it is the user's current one and younger than TWO_FACTOR_PENDING_SECONDS."""
    since = timezone.now() - timedelta(seconds=settings.TWO_FACTOR_PENDING_SECONDS)
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False, created_at__gte=since).first()


def totp_key_text(device: TOTPDevice) -> str:
    """The key as typed into an authenticator by hand: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice) -> bytes:
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return out.getvalue()


def _audit(*, actor: User, user: User, before: bool, after: bool, note: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        instance=user,
        before={"two_factor": before},
        after={"two_factor": after, "recovery_codes": "renewed"} if before and after else {"two_factor": after},
        note=note,
    )


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_setup_confirm(
    *,
    user: User,
    device_id: int,
    code: str,
    current: str = "",
    password: str | None = None,
    keep_session_key: str | None = None,
) -> tuple[TOTPDevice, list[str]]:
    """Switch the authenticator being set up on when the code it shows is right; any earlier authenticator of the
    user stops working, and so do the user's other sessions (but `keep_session_key`) and login tokens. Returns the
    device and a new set of recovery codes (shown once).

    A session alone moves nothing: replacing an authenticator takes a code of the current one (or a recovery
    code) as `current`, and switching one on from a session takes the `password` again (a login's own second step
    passes None: the password was given a moment ago)."""
    if two_factor_enabled(user):
        if two_factor_verify(user=user, code=current) is None:
            message = _("Give a code from your current authenticator, or a recovery code.")
            raise InvalidInput(message, extra={"current": [message]})
    elif password is not None and not user.check_password(password):
        message = _("That is not your password.")
        raise InvalidInput(message, extra={"password": [message]})
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            raise InvalidInput(_("Start the set-up again: this key is no longer the one being set up."))
        if not device.verify_token(_code(code)):
            message = _("That code is not right. Check the time on your phone and try the newest code.")
            raise InvalidInput(message, extra={"code": [message]})
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        _audit(actor=user, user=user, before=False, after=True, note="Two-factor authentication on")
        credentials_revoke_all(user=user, keep_session_key=keep_session_key)
    return device, codes


def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """A new set of recovery codes for a user who proves the second factor; the old set stops working."""
    if two_factor_verify(user=user, code=code) is None:
        message = _("That code is not right.")
        raise InvalidInput(message, extra={"code": [message]})
    with transaction.atomic(durable=True):
        codes = _recovery_codes_replace(user)
        _audit(actor=user, user=user, before=True, after=True, note="New recovery codes")
    return codes


def two_factor_switch_off(*, actor: User, user: User, code: str = "") -> None:
    """Remove a user's second factor. Users whose role does not require one switch it off themselves with a code;
    an administrator resets anyone's (a lost phone), after which a required one is set up again at the next
    login."""
    if actor.pk == user.pk:
        if two_factor_required(user):
            raise PermissionDenied(_("Your role requires two-factor authentication; it cannot be switched off."))
        if two_factor_verify(user=user, code=code) is None:
            message = _("That code is not right.")
            raise InvalidInput(message, extra={"code": [message]})
    elif not can(actor, "accounts.reset_two_factor"):
        raise PermissionDenied()
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(actor=actor, user=user, before=True, after=False, note="Two-factor authentication off")
        if actor.pk != user.pk:  # a lost phone may be a stolen one: whoever holds it is logged out
            credentials_revoke_all(user=user)
