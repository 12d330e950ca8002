"""The periodic report as a bilingual (Vietnamese and English) PDF with charts.

fpdf2 is pure Python, so a fresh machine needs no system libraries; the DejaVu Sans font
that covers Vietnamese diacritics ships in haven/reports/data (free licence beside it).
The same numbers are labelled twice, once per language (`statistics.assemble`), and each
heading and row label shows "Vietnamese / English".
"""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from haven.reports import charts, statistics
from haven.reports.exports import HIDDEN
from haven.reports.tables import TOTAL

FONT_DIR = Path(__file__).resolve().parent / "data"
FONT = "DejaVu"
LANGUAGES = ("vi", "en")


def both(make) -> str:
    """`make()` in Vietnamese and in English, joined (once if they read the same)."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            text = str(make())
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def _number(value) -> str:
    if value is None:
        return HIDDEN
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}".replace(",", ".")


class ReportPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_font(FONT, size=9)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")
        self.set_font(FONT, size=9)

    def heading(self, text: str, size: int = 12):
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=9)
        self.ln(1)

    def paragraph(self, text: str, size: int = 9):
        self.set_font(FONT, size=size)
        self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")

    def chart(self, chart: charts.Chart, height: float = 45):
        """Draw a chart as rectangles and text (same data as the dashboard's SVG)."""
        if self.will_page_break(height + 10):
            self.add_page()
        self.set_font(FONT, "B", 8)
        self.cell(0, 5, chart.title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=7)
        x0, y0, width = self.l_margin, self.get_y(), self.epw
        peak = chart.peak or 1
        points = chart.points or [("", 0)]
        self.set_fill_color(47, 111, 143)
        if chart.kind == "bars":
            row = min(height / len(points), 6)
            label_width = 55
            for index, (label, value) in enumerate(points):
                y = y0 + index * row
                self.text(x0, y + row * 0.75, label[:34])
                length = 0 if value is None else (width - label_width - 20) * value / peak
                if length:
                    self.rect(x0 + label_width, y + row * 0.15, length, row * 0.7, style="F")
                self.text(x0 + label_width + length + 1, y + row * 0.75, _number(value))
            self.set_y(y0 + row * len(points) + 3)
        else:
            slot = width / len(points)
            base = y0 + height - 6
            every = max(1, len(points) // 12)
            for index, (label, value) in enumerate(points):
                bar = 0 if value is None else (height - 12) * value / peak
                x = x0 + index * slot
                if bar:
                    self.rect(x + slot * 0.15, base - bar, slot * 0.7, bar, style="F")
                if index % every == 0:
                    self.text(x + slot * 0.1, base + 4, label)
            self.text(x0, y0 + 3, _number(peak))
            self.line(x0, base, x0 + width, base)
            self.set_y(y0 + height + 2)

    def statistics_table(self, tables_by_language: dict):
        vi, en = tables_by_language["vi"], tables_by_language["en"]
        title = vi.title if vi.title == en.title else f"{vi.title} / {en.title}"
        if self.will_page_break(30):
            self.add_page()
        self.heading(title, size=9)
        if vi.withheld:
            self.paragraph(both(lambda: _("Withheld: too few persons to publish.")), size=8)
            return
        columns = [
            vi_label if vi_label == en_label else f"{vi_label} / {en_label}"
            for (_k, vi_label), (_k2, en_label) in zip(vi.columns, en.columns, strict=True)
        ]
        persons = vi.unit == "persons"
        header = [
            f"{vi.row_title} / {en.row_title}",
            *columns,
            *([both(lambda: _("Total"))] if persons else []),
        ]
        first_width = 62 if len(columns) <= 3 else 50
        rest = (self.epw - first_width) / (len(header) - 1)
        self.set_font(FONT, size=7)
        with self.table(
            col_widths=(first_width, *[rest] * (len(header) - 1)),
            text_align=("LEFT", *["RIGHT"] * (len(header) - 1)),
            headings_style=FontFace(emphasis="BOLD"),
            line_height=3.6,
            first_row_as_headings=True,
        ) as table:
            table.row(header)
            for (key, vi_label), (_k, en_label) in zip(vi.rows, en.rows, strict=True):
                label = vi_label if vi_label == en_label else f"{vi_label} / {en_label}"
                values = [_number(vi.shown(key, c)) for c, _l in vi.columns]
                if persons:
                    values.append(_number(vi.shown(key, TOTAL)))
                table.row([label, *values])
            if vi.additive:
                totals = [_number(vi.shown(TOTAL, c)) for c, _l in vi.columns]
                table.row([both(lambda: _("Total")), *totals, _number(vi.shown(TOTAL, TOTAL))])
        if vi.note:
            self.paragraph(f"{vi.note} / {en.note}", size=7)
        self.ln(2)
        self.set_font(FONT, size=9)


def render(loaded: statistics.Loaded, *, scope_label: str, release: bool, progress=None) -> bytes:
    """The PDF for already loaded facts; `release` applies disclosure control."""
    reports = {}
    for language in LANGUAGES:
        with translation.override(language):
            report = statistics.assemble(loaded, scope_label=scope_label)
            if release:
                statistics.release(report)
            reports[language] = report
    vi = reports["vi"]
    pdf = ReportPDF(both(lambda: _("Haven statistics")) + f" · {vi.period}")
    pdf.add_page()
    pdf.heading(
        both(
            lambda: _(
                "Statistics on the reception, protection and support of victims of "
                "human trafficking"
            )
        ),
        size=14,
    )
    period_label = both(lambda: _("Period"))
    scope_heading = both(lambda: _("Scope"))
    generated_label = both(lambda: _("Generated"))
    total_label = both(lambda: _("Total"))
    pdf.paragraph(f"{period_label}: {vi.period}")
    pdf.paragraph(f"{scope_heading}: {scope_label}")
    pdf.paragraph(f"{generated_label}: {vi.generated_at.strftime('%Y-%m-%d %H:%M')}")
    pdf.paragraph(both(lambda: _("Counts are of distinct persons, not records.")), size=8)
    if release:
        pdf.paragraph(
            both(
                lambda: (
                    _(
                        "x: hidden to protect the persons counted (fewer than %(n)s, or hidden "
                        "so that such a count cannot be worked out from the totals)."
                    )
                    % {"n": vi.threshold}
                )
            ),
            size=8,
        )
    pdf.ln(3)
    for index, measure in enumerate(vi.measures):
        en_measure = reports["en"].measures[index]
        pdf.heading(f"{measure.title} / {en_measure.title}")
        pdf.paragraph(f"{total_label}: {_number(measure.total)}")
        pdf.chart(charts.Chart("columns", both(lambda: _("Over time")), measure.trend))
        provinces = measure.tables[0]
        pdf.chart(
            charts.Chart("bars", provinces.title, provinces.ranked()[:15]),
            height=min(6 * len(provinces.ranked()[:15]), 90),
        )
        for t_index, table in enumerate(measure.tables):
            pdf.statistics_table({"vi": table, "en": en_measure.tables[t_index]})
        if progress:
            progress((index + 1) / (len(vi.measures) + 2), measure.title)
    for index, table in enumerate(vi.costs):
        pdf.statistics_table({"vi": table, "en": reports["en"].costs[index]})
    _indicators(pdf, reports)
    return bytes(pdf.output())


def _indicators(pdf: ReportPDF, reports: dict):
    vi = reports["vi"]
    if vi.indicators is None:
        return
    pdf.add_page()
    pdf.heading(both(lambda: _("Review indicators")))
    for item in vi.indicators.items:
        title = both(lambda item=item: item.title)
        if item.unavailable:
            pdf.paragraph(f"{title}: {both(lambda item=item: item.unavailable.reason)}", size=8)
            continue
        value = item.overall.shown() if item.overall else None
        shown = (
            HIDDEN
            if value is None and item.overall and item.overall.hidden
            else "–"
            if value is None
            else f"{value * 100:.0f}%"
            if item.kind == "share"
            else f"{value:.1f}"
        )
        base = (
            ""
            if item.overall and item.overall.hidden
            else (f" (n = {item.overall.n if item.overall else 0})")
        )
        pdf.paragraph(f"{title}: {shown}{base}", size=8)
        series = [
            (key, None if f.shown() is None else f.shown() * (100 if item.kind == "share" else 1))
            for key, f in item.by_time.items()
        ]
        if len(series) > 1:
            pdf.chart(charts.Chart("columns", title, series), height=30)
    funds = vi.indicators.funds
    available = funds["available"]
    used_label = both(lambda: _("Funds used (cost of services delivered, VND)"))
    available_label = both(lambda: _("Funds available (providers' funding, VND)"))
    available_text = (
        both(lambda: available.reason) if hasattr(available, "reason") else _number(available)
    )
    pdf.paragraph(f"{used_label}: {_number(funds['used'])}", size=8)
    pdf.paragraph(f"{available_label}: {available_text}", size=8)
