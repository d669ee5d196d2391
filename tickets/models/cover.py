"""Who held each ticket since when: the record that attributes a breach to the person holding the ticket at its
deadline, whatever happened to it after (a handover, cover ending, a project's reassignment)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TicketHolding(models.Model):
    """From `since`, `holder` held the ticket (until the next row of the same ticket)."""

    class Reason(models.TextChoices):
        FILED = "filed", _("Filed")
        COVER = "cover", _("Filed during an absence")
        HANDOVER = "handover", _("Handed over")
        PROJECT = "project", _("Project reassigned")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="holdings")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    since = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=10, choices=Reason.choices)

    class Meta:
        ordering = ["ticket", "since", "id"]
        indexes = [models.Index(fields=["ticket", "since"], name="holding_ticket_since")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.holder_id} since {self.since:%Y-%m-%d %H:%M}"
