"""Charts drawn on the server as SVG, for the dashboard, and as the same shapes in the PDF.

The page's Content-Security-Policy allows no inline style or script, so the SVG carries
only presentation attributes and class names (styled by static/haven/reports/reports.css).
A chart is data first (`Chart`): the SVG and the PDF renderers draw the same thing.
"""

import dataclasses

from django.utils.html import escape

PALETTE = ["#2f6f8f", "#c0504d", "#6b8e23", "#8064a2", "#d08a2e", "#4a7c7c"]


@dataclasses.dataclass
class Chart:
    kind: str  # "bars" (horizontal, ranked) or "columns" (a series over time)
    title: str
    points: list[tuple[str, float | None]]  # None: hidden (suppressed)
    unit: str = ""

    @property
    def peak(self) -> float:
        values = [v for _label, v in self.points if v is not None]
        return max(values) if values else 0


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}".replace(",", ".")


def svg(chart: Chart) -> str:
    """The chart as an inline <svg> element (role="img", titled)."""
    if chart.kind == "bars":
        return _bars(chart)
    return _columns(chart)


def _bars(chart: Chart, width=560, row=22, label_width=190) -> str:
    points = chart.points or [("", 0)]
    height = row * len(points) + 10
    peak = chart.peak or 1
    span = width - label_width - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for index, (label, value) in enumerate(points):
        y = 5 + index * row
        length = 0 if value is None else max(span * value / peak, 1 if value else 0)
        parts.append(
            f'<text class="chart-label" x="{label_width - 6}" y="{y + 15}" '
            f'text-anchor="end">{escape(label[:32])}</text>'
        )
        parts.append(
            f'<rect class="chart-bar" x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row - 6}" fill="{PALETTE[0]}"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{label_width + length + 4:.1f}" y="{y + 15}">'
            f"{_fmt(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _columns(chart: Chart, width=560, height=200) -> str:
    points = chart.points or [("", 0)]
    peak = chart.peak or 1
    left, bottom, top = 36, 34, 12
    slot = (width - left - 8) / len(points)
    plot = height - bottom - top
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(chart.title)}</title>",
        f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" x2="{width - 4}" '
        f'y2="{height - bottom}" stroke="#888"/>',
        f'<text class="chart-value" x="{left - 4}" y="{top + 8}" text-anchor="end">'
        f"{_fmt(peak)}</text>",
    ]
    every = max(1, len(points) // 12)
    for index, (label, value) in enumerate(points):
        x = left + index * slot
        bar = 0 if value is None else plot * value / peak
        parts.append(
            f'<rect class="chart-bar" x="{x + slot * 0.15:.1f}" '
            f'y="{height - bottom - bar:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        if index % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + slot / 2:.1f}" y="{height - bottom + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
