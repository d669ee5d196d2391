"""The standard as checklists: the steps administrators define per kind of request, and the manager's ticks.

A step is either ticked by hand, or timed: measured from stored facts of the ticket (from its filing or its
acceptance to its acceptance, its first answer or its resolution, within so many working minutes in the partner's
calendar), so that nobody ticks a timed step. Partners never see checklists.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tickets import Kind


class ChecklistStep(models.Model):
    """One step of the standard for a kind of request; a step no longer wanted is switched off, not deleted."""

    class Start(models.TextChoices):
        FILED = "filed", _("filing")
        ACCEPTED = "accepted", _("acceptance")

    class Fact(models.TextChoices):
        ACCEPTED = "accepted", _("acceptance")
        ANSWERED = "answered", _("first answer to the partner")
        RESOLVED = "resolved", _("resolution")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("step"), max_length=200)
    minutes = models.PositiveIntegerField(
        _("within working minutes"), null=True, blank=True, help_text=_("Empty: the manager ticks the step.")
    )
    start = models.CharField(_("measured from"), max_length=10, choices=Start.choices, blank=True)
    fact = models.CharField(_("until"), max_length=10, choices=Fact.choices, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="checklist_step_timed_or_ticked",
                condition=(Q(minutes__isnull=True) & Q(start="") & Q(fact=""))
                | (Q(minutes__gte=1) & ~Q(start="") & ~Q(fact="")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}. {self.title}"

    @property
    def is_timed(self) -> bool:
        return self.minutes is not None


class ChecklistTick(models.Model):
    """A step ticked by hand on one ticket: who and when."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="checklist_ticks")
    step = models.ForeignKey(ChecklistStep, on_delete=models.PROTECT, related_name="ticks")
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ticket", "step"]
        constraints = [models.UniqueConstraint(fields=["ticket", "step"], name="checklist_tick_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.step_id}"
