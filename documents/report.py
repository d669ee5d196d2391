"""The monthly service report of a partner: what it asked for, how the SLA held (the same computation as the
administrators' SLA audit, tickets.sla_stats), the specialists' time, the money and the ratings."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.models import Partner
from billing.models import ZERO, DepositAccount, EntryKind, LedgerEntry
from partner_support.errors import InvalidInput
from tickets.models import Channel, Kind, Rating, Ticket, TimeEntry
from tickets.sla_stats import SlaStats, sla_stats

from .selectors import month_bounds, month_start, next_month


@dataclass
class MonthlyReport:
    partner: Partner
    period: date
    currency: str
    by_kind: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, requests filed)
    by_channel: list[tuple[str, str, int]] = field(default_factory=list)
    sla: SlaStats = field(default_factory=SlaStats)
    minutes_logged: int = 0
    charged: Decimal = ZERO
    credited: Decimal = ZERO
    balance_at_end: Decimal = ZERO
    ratings: int = 0
    rating_average: float | None = None

    @property
    def filed(self) -> int:
        return sum(count for _value, _label, count in self.by_kind)

    @property
    def last_day(self) -> date:
        return next_month(self.period) - timedelta(days=1)

    @property
    def spent(self) -> Decimal:
        """What the month cost: the requests charged less the SLA credits (net of credits taken back)."""
        return self.charged - self.credited


def report_period(text: str | None, *, today: date) -> date:
    """The month asked for as YYYY-MM (last month when not given); a month not begun yet is refused."""
    if not text:
        return previous_month(month_start(today))
    try:
        year, month = (int(part) for part in text.split("-"))
        period = date(year, month, 1)
    except ValueError as error:
        raise InvalidInput(
            _("Give the month as YYYY-MM, e.g. 2026-11."), extra={"month": [_("Give the month as YYYY-MM.")]}
        ) from error
    if period > month_start(today):
        raise InvalidInput(_("That month has not begun."), extra={"month": [_("That month has not begun.")]})
    return period


def monthly_report(*, partner: Partner, period: date) -> MonthlyReport:
    """The report of one month, in eight queries whatever the number of requests."""
    period = month_start(period)
    start, end = month_bounds(period)
    filed = (
        Ticket.objects.filter(partner_id=partner.pk, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("kind", "channel")
        .annotate(count=Count("id"))
    )
    kinds: dict[str, int] = dict.fromkeys(Kind.values, 0)
    channels: dict[str, int] = dict.fromkeys(Channel.values, 0)
    for row in filed:
        kinds[row["kind"]] += row["count"]
        channels[row["channel"]] += row["count"]
    money = LedgerEntry.objects.filter(account__partner_id=partner.pk, created_at__gte=start, created_at__lt=end)
    sums = money.aggregate(
        charged=Sum("amount", filter=Q(kind=EntryKind.DEBIT)),
        credited=Sum("amount", filter=Q(kind__in=[EntryKind.SLA_CREDIT, EntryKind.SLA_CREDIT_REVERSAL])),
    )
    last = (
        LedgerEntry.objects.filter(account__partner_id=partner.pk, created_at__lt=end)
        .order_by("-created_at", "-id")
        .values_list("balance_after", flat=True)
        .first()
    )
    logged = TimeEntry.objects.filter(ticket__partner_id=partner.pk, created_at__gte=start, created_at__lt=end)
    rated = Rating.objects.filter(ticket__partner_id=partner.pk, created_at__gte=start, created_at__lt=end)
    scores = rated.aggregate(count=Count("id"), average=Avg("score"))
    account = DepositAccount.objects.filter(partner_id=partner.pk).values_list("currency", flat=True).first()
    return MonthlyReport(
        partner=partner,
        period=period,
        currency=account or "UAH",
        by_kind=[(value, Kind(value).label, count) for value, count in kinds.items()],
        by_channel=[(value, Channel(value).label, count) for value, count in channels.items()],
        sla=sla_stats(start=start, end=end, partner=partner.pk).get((), SlaStats()),
        minutes_logged=logged.aggregate(total=Sum("minutes"))["total"] or 0,
        charged=-(sums["charged"] or ZERO),
        credited=sums["credited"] or ZERO,
        balance_at_end=last if last is not None else ZERO,
        ratings=scores["count"],
        rating_average=scores["average"],
    )


def previous_month(period: date) -> date:
    return month_start(period - timedelta(days=1))
