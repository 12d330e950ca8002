"""Journey: the ministry's analyst opens the statistics dashboard for a quarter and exports the
periodic statistics report (a background job, run here by `haven worker --once`), then
downloads it: XLSX in Vietnamese, PDF in English."""

import io
import zipfile
from pathlib import Path

from e2e import flows

FORMATS = {"vi": ("xlsx", b"PK\x03\x04"), "en": ("pdf", b"%PDF-")}


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
    journey.finish()
