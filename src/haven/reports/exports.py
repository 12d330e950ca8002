"""CSV (UTF-8 with a byte-order mark, so Excel shows Vietnamese) and XLSX for every table,
for the whole periodic report, and for the HTCDS records.

A hidden (suppressed) value is written as "x", explained in the notes. Text that a
spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
"""

import csv
import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from haven.reports.tables import Table

HIDDEN = "x"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, Promise):
        value = str(value)
    if value is None:
        return HIDDEN
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_rows(table: Table) -> list[list]:
    """Header, body rows and (for an additive table) the totals row."""
    header = [table.row_title, *[label for _k, label in table.columns]]
    if table.unit == "persons":
        header.append(_("Total"))
    if table.withheld:
        return [header, [_("Withheld: too few persons to publish.")]]
    body, totals, grand = table.grid()
    rows = [header]
    for _key, label, values, row_total in body:
        row = [label, *values]
        if table.unit == "persons":
            row.append(row_total)
        rows.append(row)
    if table.additive:
        rows.append([_("Total"), *totals, grand])
    elif table.unit == "persons":
        rows.append([_("Persons (distinct)"), *[""] * len(totals), grand])
    return [[_safe(v) for v in row] for row in rows]


def notes(report) -> list[str]:
    lines = [
        _("Counts are of distinct persons, not records."),
    ]
    if report is not None and report.released:
        lines.append(
            _(
                "x: hidden to protect the persons counted (fewer than %(n)s, or hidden "
                "so that such a count cannot be worked out from the totals)."
            )
            % {"n": report.threshold}
        )
    return lines


def _heading(report) -> list[list]:
    return [
        [_("Haven statistics"), str(report.period)],
        [_("Scope"), report.scope_label],
        [_("Generated"), report.generated_at.strftime("%Y-%m-%d %H:%M")],
    ]


def write_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def table_csv(table: Table, report=None) -> bytes:
    rows = [[table.title], *table_rows(table)]
    if table.note:
        rows.append([table.note])
    rows += [[line] for line in notes(report)]
    return write_csv(rows)


def indicator_rows(report) -> list[list]:
    from haven.reports.statistics import Labels

    if report.indicators is None:
        return []
    labels = Labels()
    rows = [[_("Indicator"), _("Where or when"), _("Value"), _("Number")]]
    for item in report.indicators.items:
        if item.unavailable:
            rows.append([item.title, "", item.unavailable.reason, ""])
            continue
        scoped = [(_("all"), item.overall)]
        scoped += [(labels.province(p), f) for p, f in sorted(item.by_province.items())]
        scoped += list(item.by_time.items())
        for where, figure in scoped:
            # A hidden figure hides its base too: n = 1 would tell as much as the value.
            rows.append(
                [item.title, where, _value(item, figure), None if figure.hidden else figure.n]
            )
    funds = report.indicators.funds
    available = funds["available"]
    rows.append(
        [
            _("Funds used (cost of services delivered, VND)"),
            "",
            funds["used"],
            "",
        ]
    )
    rows.append(
        [
            _("Funds available (providers' funding, VND)"),
            "",
            getattr(available, "reason", available),
            "",
        ]
    )
    return [[_safe(v) for v in row] for row in rows]


def _value(item, figure):
    value = figure.shown()
    if value is None:
        return None if figure.hidden else ""
    if item.kind == "share":
        return f"{value * 100:.0f}%"
    return round(value, 1)


def report_csv(report) -> bytes:
    rows = _heading(report) + [[]]
    for measure in report.measures:
        rows.append([measure.title, measure.total if measure.total is not None else HIDDEN])
    rows.append([])
    for table in report.tables():
        rows.append([table.title])
        rows += table_rows(table)
        if table.note:
            rows.append([table.note])
        rows.append([])
    rows += indicator_rows(report)
    rows.append([])
    rows += [[line] for line in notes(report)]
    return write_csv([[_safe(v) for v in row] for row in rows])


def _sheet_title(text: str, used: set) -> str:
    base = "".join(ch for ch in text if ch not in "[]:*?/\\")[:28] or "Sheet"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]}~{n}", n + 1
    used.add(title)
    return title


def _fill(sheet, rows):
    for row in rows:
        sheet.append(list(row))
    if rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)


def table_xlsx(table: Table, report=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.key, set())
    _fill(sheet, [[table.title], *table_rows(table), *[[n] for n in notes(report)]])
    return _save(workbook)


def report_xlsx(report, progress=None) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    used = {"Summary"}
    summary.title = "Summary"
    rows = _heading(report) + [[]]
    rows += [[m.title, m.total if m.total is not None else HIDDEN] for m in report.measures]
    rows += [[]] + [[line] for line in notes(report)]
    _fill(summary, rows)
    tables = report.tables()
    for index, table in enumerate(tables):
        sheet = workbook.create_sheet(_sheet_title(table.key, used))
        _fill(sheet, [*table_rows(table), [], [table.title], [table.note]])
        if progress:
            progress(index / len(tables), table.title)
    indicators = indicator_rows(report)
    if indicators:
        _fill(workbook.create_sheet(_sheet_title("indicators", used)), indicators)
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def records_csv(records: list[dict], fields: list[str]) -> bytes:
    rows = [fields] + [[_safe(record.get(f, "")) for f in fields] for record in records]
    return write_csv(rows)


def records_xlsx(records: list[dict], fields: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "HTCDS"
    _fill(sheet, [fields] + [[_safe(r.get(f, "")) for f in fields] for r in records])
    return _save(workbook)
