"""Partners' integrations: API tokens for their CRM and outbound webhook endpoints with a log of every attempt."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import MONEY_EVENT_TYPES
from tickets.events import PUBLIC_TYPES

WEBHOOK_DISABLED = "webhook.disabled"
# What a webhook may subscribe to: every event a partner may see.
WEBHOOK_EVENTS = [*PUBLIC_TYPES, *MONEY_EVENT_TYPES, WEBHOOK_DISABLED]


def all_events() -> list[str]:
    return list(WEBHOOK_EVENTS)


class ApiToken(models.Model):
    """A named key a partner owner creates for their CRM; it acts as its creator. Only a hash is stored."""

    partner = models.ForeignKey("accounts.Partner", on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(models.Model):
    """A URL of the partner's that receives signed ticket events; disabled after repeated failures."""

    partner = models.ForeignKey("accounts.Partner", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=64)
    events = models.JSONField(default=all_events)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # When the current run of failures began: an endpoint is switched off only after failing for a while.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # One sender at a time per endpoint, so that its events arrive in order: a lease that expires by itself if
    # the sender dies.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner"], name="webhook_partner_active", condition=Q(is_active=True))]

    def __str__(self) -> str:
        return self.url


class WebhookDispatch(models.Model):
    """One event owed to one endpoint: sent in feed order, retried with back-off until it is delivered."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="dispatches")
    event_id = models.UUIDField()
    event = models.CharField(max_length=40)
    position = models.BigIntegerField()
    body = models.JSONField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook dispatch")
        verbose_name_plural = _("webhook dispatches")
        ordering = ["endpoint", "position"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="dispatch_once_per_endpoint")]
        indexes = [
            models.Index(
                fields=["endpoint", "position"], name="dispatch_pending", condition=Q(delivered_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id}"


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one endpoint, as the partner sees it in their log."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField()
    attempt = models.PositiveSmallIntegerField()
    payload = models.JSONField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "created_at"], name="delivery_endpoint_created")]

    def __str__(self) -> str:
        return f"{self.event} #{self.attempt} -> {self.status_code or self.error}"
