"""Managers' absences (leave, sick leave, training), during which whoever covers takes their new requests."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The staff-only event of an absence during which neither the deputy nor a substitute is available at some time
# (outbox, stream `absence:<id>`): the administrators are told, so that they choose a substitute in time.
ABSENCE_UNCOVERED = "absence.uncovered"


class Absence(models.Model):
    """A period in a manager's calendar when they are away. While it lasts their deputy covers, or the substitute
    an administrator chose when the deputy is away too. A cancelled absence stays on record."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        SICK = "sick", _("Sick leave")
        TRAINING = "training", _("Training")

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEAVE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutions",
        help_text=_("Covers when the deputy is away too."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="absence_live", condition=Q(cancelled_at__isnull=True))
        ]
        constraints = [
            models.CheckConstraint(name="absence_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))),
            models.CheckConstraint(name="absence_substitute_not_self", condition=~Q(substitute=F("manager"))),
        ]

    def __str__(self) -> str:
        return f"{self.manager} {self.get_kind_display()} {self.starts_at:%Y-%m-%d} - {self.ends_at:%Y-%m-%d}"
