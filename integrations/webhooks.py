"""Outbound webhooks: ticket events POSTed as JSON with an HMAC-SHA256 `X-Signature`, retried with back-off.

Every attempt is logged (WebhookDelivery) for the partner to see. After WEBHOOK_MAX_FAILURES consecutive failed
attempts the endpoint is switched off and the partner's owners are told by e-mail.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from tickets.models import Ticket

from .models import WebhookDelivery, WebhookEndpoint

TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery, never followed: it could lead to an address the first check refused."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def ticket_payload(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "project": ticket.project_id,
        "kind": ticket.kind,
        "status": ticket.status,
        "title": ticket.title,
        "accept_due_at": ticket.accept_due_at,
        "resolve_due_at": ticket.resolve_due_at,
        "resolved_at": ticket.resolved_at,
    }


def handle_ticket_event(*, event: str, ticket_id: int, actor_id: int | None, data: dict) -> int:
    """Listener of tickets.outbox: one delivery task per subscribed active endpoint. Internal notes never leave."""
    from .tasks import webhook_deliver

    if event == "ticket.commented" and data.get("internal"):
        return 0
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(partner_id=ticket.partner_id, is_active=True) if event in e.events
    ]
    if not endpoints:
        return 0
    public_data = {key: value for key, value in data.items() if key != "internal"}
    payload = {
        "id": str(uuid.uuid4()),
        "event": event,
        "created_at": timezone.now(),
        "ticket": ticket_payload(ticket),
        "data": public_data,
    }
    body = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    for endpoint in endpoints:
        webhook_deliver.delay(endpoint.pk, body, 1)
    return len(endpoints)


def _address_allowed(url: str) -> bool:
    """Refuse loopback, private and link-local targets unless settings allow them (local development, tests)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return True
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(a).is_global for a in addresses)


def deliver_once(*, endpoint: WebhookEndpoint, payload: dict, attempt: int) -> WebhookDelivery:
    """POST one payload once and log the attempt; updates the endpoint's failure count."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked on registration (http/https only)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "PartnerSupport-Webhook/1",
            "X-Event": payload["event"],
            "X-Delivery": payload["id"],
            "X-Signature": signature(endpoint.secret, body),
        },
    )
    delivery = WebhookDelivery(
        endpoint=endpoint, event=payload["event"], event_id=payload["id"], attempt=attempt, payload=payload
    )
    started = time.monotonic()
    try:
        if not _address_allowed(endpoint.url):
            raise urllib.error.URLError("the address is private or loopback")
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            delivery.status_code = response.status
            delivery.response_excerpt = response.read(500).decode(errors="replace")
    except urllib.error.HTTPError as error:
        delivery.status_code = error.code
        delivery.response_excerpt = error.read(500).decode(errors="replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        delivery.error = str(getattr(error, "reason", error))[:500]
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    delivery.succeeded = delivery.status_code is not None and 200 <= delivery.status_code < 300
    delivery.save()
    _record_outcome(endpoint=endpoint, succeeded=delivery.succeeded)
    return delivery


def _record_outcome(*, endpoint: WebhookEndpoint, succeeded: bool) -> None:
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    if succeeded:
        endpoints.update(consecutive_failures=0)
        return
    endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
    switched_off = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, is_active=True, consecutive_failures__gte=settings.WEBHOOK_MAX_FAILURES
    ).update(is_active=False, disabled_at=timezone.now())
    if switched_off:
        owners = User.objects.filter(partner_id=endpoint.partner_id, role=Role.PARTNER_OWNER, is_active=True)
        send_mail(
            "Webhook disabled after repeated failures",
            f"Deliveries to {endpoint.url} failed {settings.WEBHOOK_MAX_FAILURES} times in a row, so it has been "
            "switched off. Fix the receiver, then switch it on again in the cabinet or through the API.",
            None,
            [owner.email for owner in owners],
        )
