"""The inbound e-mail log: each message received (pipe or IMAP), once per Message-ID, and what became of it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored (automatic reply or bounce)")
    UNKNOWN_SENDER = "unknown_sender", _("Unknown sender")
    REJECTED = "rejected", _("Rejected")
    UNAUTHENTICATED = "unauthenticated", _("Sender not authenticated")


class InboundMessage(models.Model):
    """One e-mail received (pipe or IMAP), stored once per Message-ID: what became of it, and why."""

    message_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    comment = models.ForeignKey("tickets.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sender = models.CharField(_("sender"), max_length=320)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InboundStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # When the address in From: was told that its unauthenticated message was refused (at most once a day).
    sender_told_at = models.DateTimeField(_("sender told at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="inbound_processed_has_ticket", condition=~Q(status="processed") | Q(ticket__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status}"
