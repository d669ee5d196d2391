"""`Idempotency-Key` on API writes: a POST, PATCH or DELETE under /api/ that carries the header is answered once;
the same key again (within IDEMPOTENCY_TTL_HOURS) returns the first answer without doing anything, the same key
with another request is refused (422), and the same key while the first is still running waits its turn (409).
A failed answer (5xx, or an exception) is forgotten, so that the retry runs. Anonymous calls and the login
endpoints (whose answers hold secrets) are not kept."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from .models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
METHODS = ("POST", "PATCH", "DELETE")
MAX_KEY = 255
# Logging in, and creating API keys and webhook secrets: their answers hold secrets, which are not kept here.
UNKEPT_PREFIXES = ("/api/v1/auth/", "/api/v1/integrations/")
# A first request still unanswered after this long died with its worker: a retry may take its key over.
IN_FLIGHT_SECONDS = 120
# Answers a retry may well change: "busy", "not now", "too many requests".
TRANSIENT_STATUSES = (401, 403, 409, 429)


def _scope(request: HttpRequest) -> str | None:
    """Who is calling: their credentials (API token), else their session's user; None for nobody known."""
    credentials = request.META.get("HTTP_AUTHORIZATION")
    if not credentials:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        credentials = f"user:{user.pk}"
    return hashlib.sha256(credentials.encode()).hexdigest()


def _fingerprint(request: HttpRequest) -> str:
    """The request itself. An upload is not read into memory for this: its size and type stand for its body."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":  # not the boundary, which each retry draws anew
        digest.update(f"{request.META.get('CONTENT_LENGTH')} {request.content_type}".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        scope = _scope(request) if key is not None else None
        if scope is None or request.method not in METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if request.path.startswith(UNKEPT_PREFIXES):
            return self.get_response(request)
        if not 1 <= len(key) <= MAX_KEY or not all("!" <= character <= "~" for character in key):
            message = f"Idempotency-Key: 1 to {MAX_KEY} visible ASCII characters (no spaces)."
            return JsonResponse({"detail": message}, status=400)
        try:
            return self._answer(request, scope, key)
        except (OperationalError, InterfaceError):
            message = "The service is briefly unavailable (database); try again shortly."
            return JsonResponse({"detail": message}, status=503, headers={"Retry-After": "30"})

    def _answer(self, request: HttpRequest, scope: str, key: str) -> HttpResponse:
        fingerprint = _fingerprint(request)
        now = timezone.now()
        expired = now - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
        IdempotentRequest.objects.filter(scope=scope, key=key, created_at__lt=expired).delete()
        dead = now - timedelta(seconds=IN_FLIGHT_SECONDS)
        IdempotentRequest.objects.filter(scope=scope, key=key, status_code=None, created_at__lt=dead).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint)
        except IntegrityError:
            first = IdempotentRequest.objects.filter(scope=scope, key=key).first()
            if first is None:  # forgotten meanwhile (the first request failed): the client retries
                return JsonResponse({"detail": "Retry this request."}, status=409, headers={"Retry-After": "1"})
            if first.fingerprint != fingerprint:
                return JsonResponse({"detail": "This Idempotency-Key was used with another request."}, status=422)
            if first.status_code is None:
                detail = "A request with this Idempotency-Key is still being answered."
                return JsonResponse({"detail": detail}, status=409, headers={"Retry-After": "1"})
            return _replay(first)
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        # A failure (5xx) or a transient refusal may come out otherwise when retried: not kept.
        if response.status_code >= 500 or response.status_code in TRANSIENT_STATUSES or response.streaming:
            record.delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.save(update_fields=["status_code", "content_type", "body"])
        return response


def idempotency_prune(*, now) -> int:
    """Forget the keys older than IDEMPOTENCY_TTL_HOURS."""
    deleted, _rows = IdempotentRequest.objects.filter(
        created_at__lt=now - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    ).delete()
    return deleted
