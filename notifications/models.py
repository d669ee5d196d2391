"""In-app notifications, e-mail preferences, and the record of e-mail sent (for threading replies)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TICKET_NEW = "ticket_new", _("New request")
    TICKET_ACCEPTED = "ticket_accepted", _("Request accepted")
    INFO_REQUESTED = "info_requested", _("Information requested")
    TICKET_QUOTED = "ticket_quoted", _("Enhancement quoted")
    TICKET_RESOLVED = "ticket_resolved", _("Request resolved")
    TICKET_REOPENED = "ticket_reopened", _("Request reopened")
    COMMENT = "comment", _("New comment")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    LOW_BALANCE = "low_balance", _("Low deposit balance")
    INVOICE_PAID = "invoice_paid", _("Invoice paid")
    WEBHOOK_DISABLED = "webhook_disabled", _("Webhook switched off")
    COVER_MISSING = "cover_missing", _("Nobody covers an absent manager")


class Notification(models.Model):
    """One thing a user was told, in their language; always stored, e-mailed unless the user muted its kind.

    `key` is the outbox event it tells of (`event:<event id>`), so that an event handed out twice notifies once.
    An e-mail is owed while `email_wanted` and not `emailed_at`; `email_claimed_until` keeps two senders from
    sending it at the same time, and `emailed_at` is written only once the mail server has taken it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # It tells of an internal note: a staff reply to its e-mail stays internal too.
    internal = models.BooleanField(default=False)
    email_wanted = models.BooleanField(default=False)
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(
                fields=["id"], name="notification_email_owed", condition=Q(email_wanted=True, emailed_at__isnull=True)
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A user's choice to receive no e-mail of one kind (the in-app notification is kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    muted = models.BooleanField(_("muted"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {'muted' if self.muted else 'on'}"


class SentMessage(models.Model):
    """The Message-ID of an e-mail the application sent, so that replies thread to their ticket.

    One message goes to every recipient who gets the same text; `user` is set when it went to one person.
    """

    message_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The message told of an internal note: a reply to it stays internal too.
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.message_id
