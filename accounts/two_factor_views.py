"""The second step of a login (a code from the authenticator app, or a recovery code), setting an authenticator up,
and managing it from the security page (accounts.two_factor).

Between the password and the code the browser holds a pending login in its session: it names the user, the
password it was given under, and expires after TWO_FACTOR_PENDING_SECONDS. Only the code turns it into a login.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partner_support.errors import ApplicationError
from partner_support.middleware import session_mark_seen

from .credentials import user_session_record
from .login_guard import LoginGuard, too_many_attempts_message
from .models import User
from .two_factor import (
    recovery_codes_renew,
    totp_key_text,
    totp_qr_svg,
    totp_setup_confirm,
    totp_setup_pending,
    totp_setup_start,
    two_factor_enabled,
    two_factor_required,
    two_factor_switch_off,
    two_factor_verify,
)

PENDING_KEY = "two_factor_pending"
SETUP_KEY = "two_factor_setup_device"


def pending_login_start(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """The password was right; the code comes next (or, with no authenticator yet, setting one up). The session
    gets a new key first, so that a session id planted before the login learns nothing of what follows."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "password": user.get_session_auth_hash(),
        "backend": user.backend,
        "at": int(time.time()),
        "next": next_url,
    }
    return redirect("login_code" if two_factor_enabled(user) else "two_factor_setup")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > settings.TWO_FACTOR_PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("password"):
        return None
    user.backend = pending["backend"]
    return user


def _complete_login(request: HttpRequest, user: User, guard: LoginGuard, response: HttpResponse) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=user.backend)
    request.session[settings.TWO_FACTOR_SESSION_KEY] = user.pk
    session_mark_seen(request)
    user_session_record(request=request, user=user)
    guard.succeeded(response)
    return response


def _start_again(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("The login took too long or has changed; log in again."))
    return redirect("login")


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _start_again(request)
    if not two_factor_enabled(user):
        return redirect("two_factor_setup")
    context, status = {}, 200
    if request.method == "POST":
        guard = LoginGuard(request, user.email)
        wait = guard.retry_after()
        if wait:
            context = {"error": too_many_attempts_message(wait)}
            response = render(request, "registration/login_code.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        device = two_factor_verify(user=user, code=request.POST.get("code", ""))
        if device is not None:
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(
                    request,
                    _("You logged in with a recovery code; %(left)d are left. Make new ones on the security page.")
                    % {"left": left},
                )
            next_url = request.session[PENDING_KEY]["next"]
            return _complete_login(request, user, guard, redirect(next_url or settings.LOGIN_REDIRECT_URL))
        guard.failed()
        context, status = {"error": _("That code is not right, or it was used already.")}, 400
    return render(request, "registration/login_code.html", context, status=status)


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, next_url: str = "") -> HttpResponse:
    """The codes are shown in this answer only (never in a message cookie, never again)."""
    context = {"codes": codes, "next_url": next_url or settings.LOGIN_REDIRECT_URL}
    return render(request, "accounts/recovery_codes.html", context)


def _setup_subject(request: HttpRequest) -> User | None:
    if request.user.is_authenticated:
        return request.user
    user = _pending_user(request)
    return user if user is not None and not two_factor_enabled(user) else None


def _setup_device(request: HttpRequest, user: User, *, fresh: bool) -> TOTPDevice | None:
    """The key this browser is setting up: a new one each time the page is opened, the same one while its QR code
    is drawn and its form sent; None when this browser has none (any more)."""
    if fresh:
        device = totp_setup_start(user=user)
        request.session[SETUP_KEY] = device.pk
        return device
    device_id = request.session.get(SETUP_KEY)
    return totp_setup_pending(user=user, device_id=device_id) if isinstance(device_id, int) else None


@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: the first step of a login that requires one, or by choice from the security page
    (a new phone replaces the old one)."""
    user = _setup_subject(request)
    if user is None:
        return _start_again(request)
    device = _setup_device(request, user, fresh=request.method != "POST")
    signed_in = request.user.is_authenticated
    context = {
        "key": totp_key_text(device) if device else "",
        "required": two_factor_required(user),
        "replacing": signed_in and two_factor_enabled(user),
        "ask_password": signed_in and not two_factor_enabled(user),
    }
    if request.method != "POST":
        return render(request, "accounts/two_factor_setup.html", context)
    if device is None:
        messages.error(request, _("Start the set-up again: this key is no longer the one being set up."))
        return redirect("two_factor_setup")
    guard = LoginGuard(request, user.email)
    wait = guard.retry_after()
    if wait:
        context["error"] = too_many_attempts_message(wait)
        return render(request, "accounts/two_factor_setup.html", context, status=429)
    try:
        device, codes = totp_setup_confirm(
            user=user,
            device_id=device.pk,
            code=request.POST.get("code", ""),
            current=request.POST.get("current", ""),
            password=request.POST.get("password", "") if signed_in else None,
            keep_session_key=request.session.session_key if signed_in else None,
        )
    except ApplicationError as error:
        guard.failed()
        context["error"] = error.message
        return render(request, "accounts/two_factor_setup.html", context, status=400)
    request.session.pop(SETUP_KEY, None)
    if signed_in:
        request.session[settings.TWO_FACTOR_SESSION_KEY] = user.pk
        return _recovery_codes_page(request, codes, next_url="/security/")
    next_url = request.session[PENDING_KEY]["next"]
    return _complete_login(request, user, guard, _recovery_codes_page(request, codes, next_url=next_url))


@never_cache
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the key this browser is setting up, for the phone's camera."""
    user = _setup_subject(request)
    device = _setup_device(request, user, fresh=False) if user is not None else None
    if device is None:
        return HttpResponse(status=404)
    return HttpResponse(totp_qr_svg(device), content_type="image/svg+xml")


@require_POST
@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    try:
        codes = recovery_codes_renew(user=request.user, code=request.POST.get("code", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("security")
    return _recovery_codes_page(request, codes, next_url="/security/")


@require_POST
@login_required
def two_factor_off(request: HttpRequest) -> HttpResponse:
    try:
        two_factor_switch_off(actor=request.user, user=request.user, code=request.POST.get("code", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor authentication is off: your password alone logs you in."))
    return redirect("security")
