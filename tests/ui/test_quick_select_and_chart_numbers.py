"""The pieces the SLA audit and the lists render in Python for speed show what Django's own would: QuickSelect's
select as forms.Select's, the chart tables' numbers as the template filter floatformat:"-1"."""

import random
import re

import pytest
from django import forms
from django.template.defaultfilters import floatformat
from django.utils import translation

from partner_support.forms import QuickSelect
from staff.charts import Chart


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), text)
        for value, selected, text in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    ]


CHOICES = [("", "Any"), (None, "None"), (1, '<b>One</b> & "1"'), ("2", "Two"), (2, "Two again")]


@pytest.mark.parametrize("value", [None, "", 1, "2", "nothing", ["2"]])
def test_quick_select_shows_what_select_shows(value):
    quick = QuickSelect(choices=CHOICES).render("kind", value, attrs={"id": "id_kind", "aria-invalid": "true"})
    plain = forms.Select(choices=CHOICES).render("kind", value, attrs={"id": "id_kind", "aria-invalid": "true"})
    assert options(quick) == options(plain)
    assert sorted(re.search(r"<select([^>]*)>", quick).group(1).split()) == sorted(
        re.search(r"<select([^>]*)>", plain).group(1).split()
    )
    assert "<b>" not in quick


def test_quick_select_refuses_grouped_choices():
    with pytest.raises(AssertionError):
        QuickSelect(choices=[("Group", [(1, "One")])]).render("kind", None)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_chart_numbers_read_as_floatformat_reads_them(language):
    rng = random.Random(13)
    values = [29.04, 99.95, 1e-07, 0.0, 2.0, 2.25, 2.35, 12.5, 100.0, 59.99, 0.05, 0.04, 0.049999, 0.95, 9.95, -2.25]
    values += [2.2499999999, 2.35000000001, 12345678901234.5, 999999999999.95]
    values += [round(rng.uniform(0, 500), 2) for _ in range(200)] + [rng.uniform(0, 50) for _ in range(100)]
    with translation.override(language):
        chart = Chart(title="t", unit="<u>", weeks=[], series={})
        cells = re.findall(r"<td>([^<]*)</td>", _table(chart, values))
        assert cells == [f"{floatformat(value, '-1')} &lt;u&gt;" for value in values]


def _table(chart: Chart, values: list[float]) -> str:
    from datetime import date, timedelta

    chart.weeks = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(len(values))]
    chart.series = {"Manager": values}
    return str(chart.table_rows)
