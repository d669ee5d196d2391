"""Monthly acts of services: what the partner was charged for in a month, as a numbered accounting document."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import MONEY

# The event of an issued act (outbox), in the partner's stream `partner:<id>`: the act is e-mailed to the
# partner's accountant from it.
ACT_ISSUED = "act.issued"


class Act(models.Model):
    """An act of services rendered (акт наданих послуг) for one partner and one month, issued once.

    `lines` and `customer` are kept as they were at issue (every request charged in the month with its price, and
    the partner's requisites), so that the document never changes after it was booked.
    """

    partner = models.ForeignKey("accounts.Partner", on_delete=models.PROTECT, related_name="acts")
    number = models.CharField(_("number"), max_length=20, unique=True)
    period = models.DateField(_("month"), help_text=_("The first day of the month the act covers."))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="UAH")
    total = models.DecimalField(_("total"), **MONEY)
    lines = models.JSONField(default=list)
    customer = models.JSONField(default=dict)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="act_one_per_partner_and_month"),
            models.CheckConstraint(name="act_period_first_day", condition=Q(period__day=1)),
        ]

    def __str__(self) -> str:
        return self.number
