"""The SLA audit's weekly charts, drawn in the browser by the vendored Chart.js (static/js/charts.js) from the data
built here: one dataset per manager, in the same colour on every chart, weeks on the horizontal axis, values with
their unit on the vertical one. Each chart carries its numbers as a table too, for screen readers and for a browser
without JavaScript (shown there instead of the chart)."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TENTH = Decimal("0.1")
# Distinct colours for the first managers; more get evenly spread hues.
PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"]


def colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    return f"hsl({(index * 137) % 360}, 65%, 42%)"


@dataclass
class Chart:
    title: str
    unit: str
    weeks: list[date]
    # Manager's name -> one value per week (None: no accepted ticket that week).
    series: dict[str, list[float | None]]
    colours: dict[str, str] = field(default_factory=dict)
    axis_label: str = ""

    @property
    def week_labels(self) -> list[str]:
        return [date_format(week, "MONTH_DAY_FORMAT") for week in self.weeks]

    @property
    def table_rows(self) -> SafeString:
        """The rows of the table beside the chart: a row per week, a column per manager, each value with its unit
        in the reader's number format ("—" for no accepted ticket). Joined here, not in the template: with 80
        managers over 9 weeks the three charts hold 2,000 cells, which the template engine takes 40 ms to fill;
        the only text in them not made here, the week and the unit, is escaped."""
        separator = get_format("DECIMAL_SEPARATOR")
        unit = escape(self.unit)
        columns = list(self.series.values())
        rows = []
        for n, label in enumerate(self.week_labels):
            cells = "".join(f"<td>{_number(column[n], separator, unit)}</td>" for column in columns)
            rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
        return mark_safe("".join(rows))  # noqa: S308 (escaped above; the numbers are formatted here)

    @property
    def config(self) -> str:
        """What static/js/charts.js draws, as JSON for the canvas's data attribute (the template escapes it)."""
        return json.dumps(
            {
                "title": self.title,
                "unit": self.unit,
                "axis": self.axis_label,
                "labels": self.week_labels,
                "datasets": [
                    {"label": name, "data": values, "backgroundColor": self.colours[name]}
                    for name, values in self.series.items()
                ],
            }
        )


def weekly_charts(weeks: list[date], per_manager: dict[str, dict[date, object]], metrics: list[tuple]) -> list[Chart]:
    """One chart per metric (title, unit, axis label, value of a week's row or None), managers in name order, each
    manager's colour the same on every chart."""
    names = sorted(per_manager)
    colours = {name: colour(index) for index, name in enumerate(names)}
    charts = []
    for title, unit, axis_label, metric in metrics:
        series = {
            name: [_rounded(metric(per_manager[name][week])) if week in per_manager[name] else None for week in weeks]
            for name in names
        }
        charts.append(Chart(title=title, unit=unit, weeks=weeks, series=series, colours=colours, axis_label=axis_label))
    return charts


def _number(value: float | None, separator: str, unit: str) -> str:
    """As the template filter floatformat:"-1" shows it (no decimal for a whole number, else one, rounded half
    up), with the unit. The charts' values have at most two decimals (_rounded): those are counted in whole
    hundredths, the rest go the filter's way through Decimal."""
    if value is None:
        return "—"
    if 0 <= value < 1e12 and round(value, 2) == value:
        hundredths = round(value * 100)
        tenths = (hundredths + 5) // 10
        text = str(hundredths // 100) if hundredths % 100 == 0 else f"{tenths // 10}.{tenths % 10}"
    else:
        number = Decimal(repr(value))
        whole = number == number.to_integral_value()
        text = str(number.to_integral_value() if whole else number.quantize(TENTH, ROUND_HALF_UP))
    return f"{text.replace('.', separator)} {unit}" if unit else text.replace(".", separator)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
