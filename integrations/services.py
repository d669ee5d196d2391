"""Writes of partners' integrations: API tokens and webhook endpoints (owners only, through the policy)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can
from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from .dispatch import dispatches_owed
from .models import WEBHOOK_EVENTS, ApiToken, WebhookEndpoint
from .tasks import webhook_send_soon

TOKEN_PREFIX = "ps_"  # noqa: S105 - a public marker of the key format, not a secret


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _require_owner(actor, partner) -> None:
    if partner is None or not can(actor, "accounts.manage_integrations", partner):
        raise PermissionDenied(_("Only the partner's owners manage API tokens and webhooks."))


def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token acting as `actor`; the key is returned once and only its hash is kept."""
    _require_owner(actor, actor.partner)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Name the token (1 to 100 characters)."), extra={"name": [_("Required.")]})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        partner=actor.partner, user=actor, name=name, prefix=key[:10], key_hash=token_hash(key)
    )
    return token, key


def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    _require_owner(actor, actor.partner)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, partner=actor.partner).first()
        if token is None:
            raise NotFound(_("Token not found."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def _checked_events(events) -> list[str]:
    events = list(WEBHOOK_EVENTS) if events is None else list(events)
    unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
    if unknown or not events:
        message = _("Choose events among: %(events)s.") % {"events": ", ".join(WEBHOOK_EVENTS)}
        raise InvalidInput(message, extra={"events": [message]})
    return sorted(set(events))


def webhook_create(*, actor, url: str, events=None) -> WebhookEndpoint:
    _require_owner(actor, actor.partner)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")) or len(url) > 500:
        message = _("Give an http(s) URL of at most 500 characters.")
        raise InvalidInput(message, extra={"url": [message]})
    return WebhookEndpoint.objects.create(
        partner=actor.partner,
        url=url,
        secret=secrets.token_hex(32),
        events=_checked_events(events),
        created_by=actor,
    )


def webhook_update(*, actor, endpoint_id: int, is_active: bool | None = None, events=None) -> WebhookEndpoint:
    """Switch an endpoint on (resetting its failure count, and sending what it is owed) or off, or change its
    events."""
    _require_owner(actor, actor.partner)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id, partner=actor.partner).first()
        if endpoint is None:
            raise NotFound(_("Webhook not found."))
        if events is not None:
            endpoint.events = _checked_events(events)
        if is_active is not None:
            endpoint.is_active = is_active
            if is_active and endpoint.disabled_at is not None:
                # What it missed while off (and what it was still owed) is sent now, in order.
                delivered = endpoint.dispatches.exclude(delivered_at__isnull=True).order_by("-position").first()
                dispatches_owed(
                    endpoint=endpoint, after=delivered.position if delivered else 0, since=endpoint.created_at
                )
            if is_active:
                endpoint.consecutive_failures, endpoint.failing_since, endpoint.disabled_at = 0, None, None
                transaction.on_commit(lambda: webhook_send_soon(endpoint.pk))
        endpoint.save()
    return endpoint


def webhook_replay(*, actor, endpoint_id: int, after: int, up_to: int | None = None) -> int:
    """Send again, in order, the events with a feed position in (`after`, `up_to`]; returns how many."""
    _require_owner(actor, actor.partner)
    if after < 0:
        message = _("Give the position to send again from (0: from the start).")
        raise InvalidInput(message, extra={"after": [message]})
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id, partner=actor.partner).first()
        if endpoint is None:
            raise NotFound(_("Webhook not found."))
        count = dispatches_owed(endpoint=endpoint, after=after, up_to=up_to)
        if endpoint.is_active:
            transaction.on_commit(lambda: webhook_send_soon(endpoint.pk))
    return count


def webhook_delete(*, actor, endpoint_id: int) -> None:
    _require_owner(actor, actor.partner)
    deleted, _rows = WebhookEndpoint.objects.filter(pk=endpoint_id, partner=actor.partner).delete()
    if not deleted:
        raise NotFound(_("Webhook not found."))
