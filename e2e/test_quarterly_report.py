"""Journey: the ministry's analyst opens the statistics dashboard for a quarter and exports the
periodic statistics report (a background job, run here by `haven worker --once`), then
downloads it: XLSX in Vietnamese, PDF in English. Then, over two years, a table of the
dashboard downloaded as CSV for release: no count of 1 to 4 persons may be published."""

import codecs
import csv
import datetime
import io
import zipfile
from pathlib import Path

from e2e import flows

FORMATS = {"vi": ("xlsx", b"PK\x03\x04"), "en": ("pdf", b"%PDF-")}
THRESHOLD = 5  # HAVEN_SUPPRESSION_THRESHOLD's default; the journeys' server does not set it
HIDDEN = "x"  # how a suppressed count is written (src/haven/reports/exports.py HIDDEN)


def released_cells(data: bytes) -> list[str]:
    """The count cells of one released table as CSV: the body, the row totals and the totals
    row (rows as wide as the header; not the title, the note or the explanations)."""
    assert data.startswith(codecs.BOM_UTF8), data[:8]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[1]
    return [cell for row in rows[2:] if len(row) == len(header) for cell in row[1:]]


def assert_small_counts_hidden(data: bytes):
    """Small-cell suppression: every count is hidden, empty (a margin not shown) or at least
    THRESHOLD or 0; and at least one is hidden (a table without small counts proves nothing,
    and a table withheld whole has no cells)."""
    cells = released_cells(data)
    assert cells, data.decode("utf-8-sig")
    unexpected = [c for c in cells if c not in (HIDDEN, "") and not c.isdigit()]
    assert not unexpected, f"not a count or {HIDDEN!r}: {unexpected}"
    small = [c for c in cells if c.isdigit() and 0 < int(c) < THRESHOLD]
    assert not small, f"counts under {THRESHOLD} published: {small}\n{data.decode('utf-8-sig')}"
    assert cells.count(HIDDEN) >= 1, f"nothing hidden:\n{data.decode('utf-8-sig')}"


def test_analyst_opens_the_dashboard_and_exports_the_quarterly_report(journey):
    fmt, magic = FORMATS[journey.lang]
    page = journey.sign_in("analyst.moh")
    page.locator("nav a[href='/reports/']").click()
    page.wait_for_url("**/reports/")
    journey.check(page, "dashboard", doc="dashboard")
    # The dashboard shows counts, not cases: no case reference appears.
    assert not flows.REFERENCE.search(page.locator("main").inner_text())

    # The last quarter (the dashboard's default period) as the periodic statistics report.
    export = page.locator("form.export-form")
    start = export.locator("input[name=start]").get_attribute("value")
    end = export.locator("input[name=end]").get_attribute("value")
    assert start.endswith(("-01-01", "-04-01", "-07-01", "-10-01")), start
    assert end[:4] == start[:4] and end.endswith(("-03-31", "-06-30", "-09-30", "-12-31")), end
    flows.fill_in(export, {"kind": "statistics", "format": fmt, "release": True})
    journey.check(page, "export-form")
    export.locator("button[type=submit]").click()
    page.wait_for_url("**/reports/exports/*/")
    journey.check(page, "export-waiting")

    # The background worker prepares it; the page polls (HTMX) until the link appears.
    journey.server.haven("worker", "--once")
    link = page.locator("#export-progress a[href$='/download/']")
    link.wait_for(state="visible", timeout=20_000)
    journey.check(page, "export-ready")
    with page.expect_download() as download:
        link.click()
    name = download.value.suggested_filename
    assert name.endswith(f".{fmt}"), name
    data = Path(download.value.path()).read_bytes()
    assert len(data) > 1000 and data.startswith(magic), (name, len(data), data[:8])
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            assert "xl/workbook.xml" in workbook.namelist(), workbook.namelist()

    # Disclosure control, on the demo data as it is: back on the dashboard, over two years
    # (the demo receives its 30 persons at random over the last 540 days, src/haven/demo.py:
    # how many fall in one quarter depends on today's date, the whole span does not). Its
    # seeded data receives 4 women in Hà Nội and 4 men in An Giang, so the released table by
    # province must hide cells; the journeys receive women only, in Lào Cai and An Giang.
    back = page.get_by_role("link", name=journey.t("Back to the statistics"), exact=True)
    flows.follow(journey, page, back, "dashboard-again")
    today = datetime.datetime.now(flows.VIETNAM).date()
    page.fill("#id_start", (today - datetime.timedelta(days=730)).isoformat())
    page.fill("#id_end", today.isoformat())
    show = page.locator("form.filters").get_by_role("button", name=journey.t("Show"), exact=True)
    with page.expect_navigation():
        show.click()
    journey.check(page, "dashboard-two-years")
    table = page.locator("section[id='table-received.province']")
    with page.expect_download() as download:
        table.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename.endswith(".csv"), download.value.suggested_filename
    assert_small_counts_hidden(Path(download.value.path()).read_bytes())
    journey.finish()
