"""Grouped bar charts drawn as SVG on the server: no JavaScript, no external library, printable."""

from dataclasses import dataclass

from django.utils.html import format_html_join

WIDTH = 640
HEIGHT = 220
MARGIN = 32
PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def grouped_bars(categories: list[str], series: dict[str, list[float | None]], unit: str) -> dict:
    """Geometry for a grouped bar chart: one group per category (week), one bar per series (manager)."""
    values = [v for column in series.values() for v in column if v is not None]
    top = max(values, default=0) or 1
    group_width = (WIDTH - 2 * MARGIN) / max(len(categories), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    bars = []
    for index, (name, column) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        for group, value in enumerate(column):
            if value is None:
                continue
            height = (HEIGHT - 2 * MARGIN) * value / top
            bars.append(
                Bar(
                    x=MARGIN + group * group_width + group_width * 0.1 + index * bar_width,
                    y=HEIGHT - MARGIN - height,
                    width=bar_width,
                    height=height,
                    colour=colour,
                    label=f"{name}, {categories[group]}: {value:.1f} {unit}",
                )
            )
    ticks = [
        {"x": MARGIN + group * group_width + group_width / 2, "label": label} for group, label in enumerate(categories)
    ]
    legend = [{"name": name, "colour": PALETTE[i % len(PALETTE)]} for i, name in enumerate(series)]
    # The bars as markup built here: a chart of every manager's weeks has thousands of them, which the template
    # language renders several times slower (labels are escaped as the template would).
    bars_svg = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        (
            (f"{bar.x:.1f}", f"{bar.y:.1f}", f"{bar.width:.1f}", f"{bar.height:.1f}", bar.colour, bar.label)
            for bar in bars
        ),
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - MARGIN,
        "margin": MARGIN,
        "top": f"{top:.1f} {unit}",
        "bars": bars,
        "bars_svg": bars_svg,
        "ticks": ticks,
        "legend": legend,
    }
