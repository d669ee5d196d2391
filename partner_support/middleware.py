"""What every answer shares: no caching of private answers, a limit on the size of one request's body, an idle
timeout of browser sessions, a page for an action's URL opened as a link, and a 503 with Retry-After (JSON under
/api/), never a 500, while the database is unreachable."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "30"

# Money (deposits, statements, invoices), partners' integrations (tokens, webhook secrets) and the API.
NO_STORE_PREFIXES = ("/api/", "/billing/", "/integrations/")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on private answers, so that no browser or proxy keeps a copy on disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class MethodNotAllowedPageMiddleware:
    """A page address opened with the wrong method (an action's URL followed as a link: GET where only its button's
    POST acts) answers 405 with a page saying so, instead of Django's empty body; the API keeps its JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class RequestSizeLimitMiddleware:
    """A request whose body (all its uploaded files together) exceeds REQUEST_MAX_BYTES is refused with 413
    before anything reads it; each file is also held to ATTACHMENT_MAX_BYTES by the upload checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            megabytes = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            message = f"The request is too large: at most {megabytes} MB of files at once."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


SEEN_AT_KEY = "seen_at"
SEEN_AT_RESOLUTION_SECONDS = 60


def session_mark_seen(request: HttpRequest) -> None:
    """Note activity on the session; the login marks it, the middleware below keeps it up."""
    request.session[SEEN_AT_KEY] = int(time.time())


class IdleSessionMiddleware:
    """A session ends after SESSION_COOKIE_AGE seconds without a request: the session store drops it once its
    expiry has passed, and activity pushes the expiry on by saving the session, at most once a minute (not on
    every request, which would write the session row each time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SEEN_AT_KEY in session:
            seen_at = session.get(SEEN_AT_KEY)
            if not isinstance(seen_at, int) or time.time() - seen_at >= SEEN_AT_RESOLUTION_SECONDS:
                session_mark_seen(request)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while answering %s %s: %s", request.method, request.path, exception)
        message = "The service is briefly unavailable (database); try again shortly."
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
