"""Show times in the user's own time zone and pages in the user's own language; keep sessions that skipped a
required second factor out."""

import zoneinfo

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone, translation

from .two_factor import two_factor_required


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorMiddleware:
    """A session of a user whose role requires a second factor counts only when that factor was given in it (the
    login's second step sets TWO_FACTOR_SESSION_KEY); any other such session, e.g. one opened before the rule
    applied, is logged out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor_required(user)
            and request.session.get(settings.TWO_FACTOR_SESSION_KEY) != user.pk
        ):
            logout(request)
        return self.get_response(request)
