"""The report's figures as labelled rows, the same for its page and its PDF (in the active language)."""

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from billing.formatting import currency_sign

from .report import MonthlyReport


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    hours, minutes = divmod(round(value), 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


def figure_rows(report: MonthlyReport, *, money: Callable[[Decimal], str]) -> list[tuple[str, list[tuple[str, str]]]]:
    sla, currency = report.sla, currency_sign(report.currency)
    return [
        (
            _("Service level (requests accepted this month)"),
            [
                (_("Requests filed"), str(report.filed)),
                (_("Accepted"), str(sla.accepted)),
                (_("Accepted within the SLA"), _share(sla.accepted_in_time_share)),
                (_("Resolved"), str(sla.resolved)),
                (_("Resolved within the SLA"), _share(sla.resolved_in_time_share)),
                (_("SLA breaches"), str(sla.breaches)),
                (_("Median acceptance, working time"), _minutes(sla.median_acceptance)),
                (_("Median resolution, working time"), _minutes(sla.median_resolution)),
                (_("Time logged by the specialists"), _minutes(report.minutes_logged)),
            ],
        ),
        (
            _("Money"),
            [
                (_("Charged for requests, %(currency)s") % {"currency": currency}, money(report.charged)),
                (_("SLA credits, %(currency)s") % {"currency": currency}, money(report.credited)),
                (_("Spent, %(currency)s") % {"currency": currency}, money(report.spent)),
                (
                    _("Deposit at the end of the month, %(currency)s") % {"currency": currency},
                    money(report.balance_at_end),
                ),
            ],
        ),
        (
            _("Ratings"),
            [
                (_("Ratings given"), str(report.ratings)),
                (_("Average score (1-5)"), "—" if report.rating_average is None else f"{report.rating_average:.1f}"),
            ],
        ),
    ]
