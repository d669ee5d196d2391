"""What the console stores of its own: the SLA figures of the audit's default period, kept fresh by the worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditFigures(models.Model):
    """The SLA statistics of the audit's default period (tickets.sla_stats per manager and week, per manager and in
    all) in one time zone, as the worker last computed them (staff.tasks, every minute). The audit page reads them
    instead of every ticket accepted in the period, which grows with the service: about 70,000 in eight weeks at a
    million tickets. Exact medians do not add up from stored parts, so the whole period's figures are stored; the
    page shows when they were computed, and computes its own for another period, a partner, or when these are
    older than staff.selectors.FIGURES_FRESH_FOR (the worker is down)."""

    time_zone = models.CharField(_("time zone"), max_length=64)
    since = models.DateField(_("from"))
    until = models.DateField(_("to"))
    computed_at = models.DateTimeField(_("computed"))
    levels = models.JSONField(_("figures"))  # tickets.sla_stats.levels_to_json

    class Meta:
        verbose_name = _("SLA audit figures")
        verbose_name_plural = _("SLA audit figures")
        constraints = [models.UniqueConstraint(fields=["time_zone"], name="staff_auditfigures_one_per_time_zone")]

    def __str__(self) -> str:
        return f"{self.time_zone} {self.since}..{self.until} at {self.computed_at:%Y-%m-%d %H:%M}"
