"""Two-factor authentication: a TOTP authenticator app (django-otp) with one-time recovery codes.

Required for the roles in TWO_FACTOR_REQUIRED_ROLES (managers and administrators by default), optional for partner
people. A login that needs a second factor is not a login until the code is given (accounts.two_factor_views);
API token login takes the code as `otp`. Every change of a user's second factor writes an audit row.
"""

import io
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import audit_record
from partner_support.errors import InvalidInput, PermissionDenied

from .models import User
from .permissions import can

RECOVERY_CODE_COUNT = 10
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
    """The device that accepts the code (an authenticator code, or a recovery code, which is used up), or None.

    django-otp throttles each device after a wrong code and refuses a code that was already accepted once."""
    code = _code(code)
    if not code:
        return None
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
        ]
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def totp_setup_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: a new key (unconfirmed until a code from it is given), kept while the user
    scans it, so that reloading the page shows the same key."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


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


def totp_setup_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Switch the authenticator being set up on when the code it shows is right; any earlier authenticator of the
    user stops working. Returns the device and a new set of recovery codes (shown once)."""
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise InvalidInput(_("Start the set-up again: no authenticator is waiting for a code."))
        if not device.verify_token(_code(code)):
            message = _("That code is not right. Check the time on your phone and try the newest code.")
            raise InvalidInput(message, extra={"code": [message]})
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        _audit(actor=user, user=user, before=False, after=True, note="Two-factor authentication on")
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
