"""Writes of the documents app: issuing the monthly act of services, once per partner and month."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from accounts.requisites import requisites_facts, requisites_of
from billing.models import LedgerEntry
from billing.services import account_for
from billing.services.numbering import ACT_SERIES, document_number_next
from outbox.services import event_emit
from partner_support.errors import InvalidInput
from tickets.sla import calendar_values

from .models import ACT_ISSUED, Act
from .selectors import CHARGED_KINDS, act_lines, month_bounds, month_start


def act_facts(act: Act) -> dict:
    return {
        "act": {
            "id": act.pk,
            "number": act.number,
            "period": act.period,
            "total": act.total,
            "currency": act.currency,
            "issued_at": act.issued_at,
        }
    }


def act_issue(*, partner: Partner, period: date, actor: User | None = None) -> Act | None:
    """Issue the act of services of a past month: every request charged in it, with the total. Issuing it again
    returns the same act; a month in which nothing was charged has no act (None)."""
    period = month_start(period)
    if period >= month_start(timezone.localdate()):
        raise InvalidInput(_("An act is issued for a month that has ended."))
    with transaction.atomic(durable=True):
        Partner.objects.select_for_update().get(pk=partner.pk)
        act = Act.objects.filter(partner_id=partner.pk, period=period).first()
        if act is not None:
            return act
        lines = act_lines(partner=partner, period=period)
        if not lines:
            return None
        issued_at = timezone.now()
        act = Act.objects.create(
            partner=partner,
            number=document_number_next(series=ACT_SERIES, year=timezone.localdate(issued_at).year),
            period=period,
            issued_at=issued_at,
            issued_by=actor,
            currency=account_for(partner=partner).currency,
            total=sum((Decimal(line["amount"]) for line in lines), Decimal("0.00")),
            lines=lines,
            customer=requisites_facts(requisites_of(partner=partner), partner),
        )
        event_emit(
            type=ACT_ISSUED,
            stream=f"partner:{partner.pk}",
            partner_id=partner.pk,
            actor=actor,
            public=False,
            payload=act_facts(act),
        )
    return act


def acts_issue_for_month(*, period: date, actor: User | None = None) -> list[Act]:
    """Issue the acts not issued yet of every partner charged in the month; returns the acts issued now. Each
    partner's entries of the month are found through the index on (account, created_at)."""
    period = month_start(period)
    start, end = month_bounds(period)
    charged = LedgerEntry.objects.filter(
        account_id=OuterRef("deposit"), kind__in=CHARGED_KINDS, created_at__gte=start, created_at__lt=end
    )
    partners = Partner.objects.filter(Exists(charged)).exclude(acts__period=period).order_by("pk")
    acts = []
    for partner in partners:
        act = act_issue(partner=partner, period=period, actor=actor)
        if act is not None:
            acts.append(act)
    return acts


def first_working_day(period: date) -> date:
    """The first working day of the month in the default calendar (a month with none: its last day)."""
    calendar = calendar_values()[None]
    day = period
    while not calendar.intervals_on(day) and (day + timedelta(days=1)).month == period.month:
        day += timedelta(days=1)
    return day


def acts_issue_due(*, now: datetime) -> list[Act]:
    """From the first working day of a month on, issue last month's acts that are not issued yet (beat runs this
    every hour, so a scheduler that was down catches up)."""
    today = timezone.localdate(now)
    this_month = month_start(today)
    if today < first_working_day(this_month):
        return []
    return acts_issue_for_month(period=month_start(this_month - timedelta(days=1)))
