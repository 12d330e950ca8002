"""Who sees which statistics, drill-down through the access policy, exports, jobs, audit."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from haven.access import policy
from haven.agencies.models import Role
from haven.audit.models import AuditEvent
from haven.reports import jobs
from haven.reports.models import ReportJob
from tests.factories import member, province

pytestmark = pytest.mark.django_db


def query(registry, **extra):
    params = {"start": registry.period.start, "end": registry.period.end, **extra}
    return "&".join(f"{k}={v}" for k, v in params.items())


@pytest.fixture
def provincial_analyst(personas):
    """An analyst of the Lào Cai health department: Lào Cai only."""
    return member(personas.health_dept_laocai, Role.ANALYST, "analyst.laocai")


def test_national_analyst_sees_every_province_and_no_names(registry, personas, login):
    response = login(personas.analyst).get(f"/reports/?{query(registry)}")
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("Nguyễn Thị Hoà", "Lò Văn Minh", "Vàng Thị Lan", registry.hoa.reference):
        assert secret not in html
    assert response.context["report"].measures[0].total == 3
    assert AuditEvent.objects.filter(action="report.view", actor_id=personas.analyst.pk).exists()
    # Each province row of the table links to its drill-down, and no other row does.
    table = response.context["measure"].tables[0]
    for key, label in table.rows:
        shown_query = query(registry).replace("&", "&amp;")
        link = f'<a href="/reports/cases/?{shown_query}&amp;province={key}">{label}</a>'
        assert (link in html) == (key in table.drill)
    assert table.drill


def test_indicator_figures_are_written_as_the_dashboard_shows_them():
    from haven.reports.indicators import Figure
    from haven.reports.views import _figure_text

    assert _figure_text(Figure(n=4, value=None), "days") == "–"
    assert _figure_text(Figure(n=2, value=0.5, hidden=True), "share") == "x"
    assert _figure_text(Figure(n=8, value=0.625), "share") == "62%"
    with translation.override("en"):
        assert _figure_text(Figure(n=8, value=12.26), "days") == "12.3"
    with translation.override("vi"):
        assert _figure_text(Figure(n=8, value=12.26), "days") == "12,3"


def test_provincial_analyst_counts_only_her_province(registry, personas, provincial_analyst, login):
    scope = policy.statistics_scope(provincial_analyst)
    assert not scope.national and scope.provinces == {province("15").pk}
    response = login(provincial_analyst).get(f"/reports/?{query(registry)}")
    report = response.context["report"]
    assert report.measures[0].total == 2  # Hoà and Lan, received in Lào Cai
    assert [key for key, _ in report.table("received.province").rows] == [str(province("15").pk)]
    # Asking for another province is not a choice she has.
    other = login(provincial_analyst).get(
        f"/reports/?{query(registry, province=province('01').pk)}"
    )
    assert other.context["form"].errors


@pytest.mark.parametrize("persona", ["stranger", "border_guard", "shelter_worker", "administrator"])
def test_who_may_not_see_statistics_is_refused(registry, personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(f"/reports/?{query(registry)}").status_code == 404
    assert client.get(f"/reports/cases/?{query(registry)}").status_code == 404
    assert client.get(f"/reports/tables/received.province.csv?{query(registry)}").status_code == 404


def test_drilldown_shows_analysts_counts_but_no_cases(registry, personas, login):
    response = login(personas.analyst).get(f"/reports/cases/?{query(registry)}")
    assert response.status_code == 200
    assert response.context["cases"] == []
    assert registry.hoa.reference not in response.content.decode()


def test_drilldown_lists_only_cases_the_supervisor_may_open(registry, personas, login):
    response = login(personas.supervisor).get(f"/reports/cases/?{query(registry, route='police')}")
    references = {case.reference for case in response.context["cases"]}
    assert references == {registry.lan.reference}  # the centre's case; not the shelter's
    assert AuditEvent.objects.filter(action="report.drilldown").exists()


def test_table_csv_has_a_bom_and_hides_small_counts(registry, personas, login):
    response = login(personas.analyst).get(
        f"/reports/tables/received.province.csv?{query(registry)}"
    )
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "Withheld" in text  # three persons in all: under the threshold
    internal = login(personas.analyst).get(
        f"/reports/tables/received.province.xlsx?{query(registry)}&release=0"
    )
    sheet = load_workbook(io.BytesIO(internal.content)).active
    assert any(row[-1] == 3 for row in sheet.iter_rows(values_only=True))


def test_export_job_runs_in_the_worker_and_only_its_requester_downloads(
    registry, personas, login, provincial_analyst
):
    client = login(personas.analyst)
    response = client.post(
        "/reports/exports/",
        {
            "kind": "statistics",
            "format": "pdf",
            "start": registry.period.start,
            "end": registry.period.end,
            "release": "1",
        },
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and str(job.token) in response["Location"]
    assert client.get(f"/reports/exports/{job.token}/progress/").status_code == 200
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.message
    download = client.get(f"/reports/exports/{job.token}/download/")
    assert download.content.startswith(b"%PDF")
    other = login(provincial_analyst)
    assert other.get(f"/reports/exports/{job.token}/download/").status_code == 404
    assert AuditEvent.objects.filter(action="report.job.download").count() == 1


def test_htcds_export_job(registry, personas, login):
    client = login(personas.analyst)
    client.post(
        "/reports/exports/",
        {
            "kind": "htcds",
            "format": "csv",
            "start": registry.period.start,
            "end": registry.period.end,
        },
    )
    job = jobs.run(jobs.claim_next())
    assert job.status == ReportJob.Status.DONE
    text = jobs.read(job).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("htcds_RecordNumber,prs_Gender")
    assert "Hoà" not in text


def test_the_export_form_offers_only_reports_not_the_registry_search(registry, personas, login):
    response = login(personas.analyst).post(
        "/reports/exports/",
        {
            "kind": "registry_dedupe",
            "format": "csv",
            "start": registry.period.start,
            "end": registry.period.end,
        },
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_a_failed_export_is_marked_failed_and_audited(registry, personas, login, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no such table")

    monkeypatch.setattr(jobs, "produce", broken)
    login(personas.analyst).post(
        "/reports/exports/",
        {
            "kind": "statistics",
            "format": "csv",
            "start": registry.period.start,
            "end": registry.period.end,
        },
    )
    job = jobs.run(jobs.claim_next())
    assert job.status == ReportJob.Status.FAILED and job.message == "ValueError"
    assert AuditEvent.objects.filter(action="report.job.failed", object_id=str(job.pk)).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_command_writes_the_same_report(registry, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command(
        "report",
        "statistics",
        "--from",
        str(registry.period.start),
        "--to",
        str(registry.period.end),
        "--format",
        fmt,
        "--out",
        str(out),
        "--internal",
    )
    content = out.read_bytes()
    assert content
    if fmt == "csv":
        assert content.startswith("\ufeff".encode())
        assert "Nguyễn" not in content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="report.command").exists()


def test_pdf_is_bilingual_and_keeps_vietnamese_diacritics(registry):
    from haven.reports import pdf, statistics

    loaded = statistics.load(registry.period)
    content = pdf.render(loaded, scope_label="Toàn quốc", release=False)
    assert content.startswith(b"%PDF") and len(content) > 5000


def test_default_period_is_the_last_full_quarter():
    from haven.reports.periods import default_period

    period = default_period(datetime.date(2025, 2, 10))
    assert (period.start, period.end) == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))


def test_dashboard_speaks_vietnamese(registry, personas, login):
    from tests.test_translations import ENGLISH_MSGIDS, visible_phrases

    response = login(personas.analyst, language="vi").get(f"/reports/?{query(registry)}")
    html = response.content.decode()
    assert "Thống kê" in html
    # "analyst" is the persona's user name in the header, not a label.
    assert ENGLISH_MSGIDS.found_in(visible_phrases(html, "vi")) - {"analyst"} == set()


def test_a_released_report_hides_the_base_of_a_hidden_indicator(registry):
    """A median over one case, hidden in release, must not publish "1 case" beside it."""
    from haven.reports import exports, statistics

    report = statistics.release(statistics.build(registry.period))
    figures = [
        figure
        for item in report.indicators.items
        if not item.unavailable
        for figure in [item.overall, *item.by_province.values(), *item.by_time.values()]
    ]
    assert any(f.hidden for f in figures)  # the fixture has small groups
    rows = exports.indicator_rows(report)
    for row in rows[1:]:
        if len(row) == 4 and row[2] is None:  # a hidden value
            assert row[3] is None, row
    text = exports.report_csv(report).decode("utf-8-sig")
    hidden_rows = [line for line in text.splitlines() if line.count(",x") == 1 and ",x," in line]
    assert not hidden_rows, hidden_rows[:3]  # value hidden but base shown


def test_dashboard_reuses_recent_counts_per_scope_and_says_when_counted(
    registry, personas, provincial_analyst, login, settings
):
    from django.core.cache import cache

    from haven.reports import statistics

    settings.HAVEN_REPORT_CACHE_SECONDS = 300
    cache.clear()
    calls = []
    real = statistics.load

    def counting(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("provinces"))
        return real(*args, **kwargs)

    statistics.load = counting
    try:
        national = login(personas.analyst)
        first = national.get(f"/reports/?{query(registry)}")
        again = national.get(f"/reports/?{query(registry)}")
        provincial = login(provincial_analyst).get(f"/reports/?{query(registry)}")
    finally:
        statistics.load = real
        cache.clear()
    assert first.status_code == again.status_code == provincial.status_code == 200
    assert len(calls) == 2  # once nationally, once for Lào Cai: never one scope's counts
    assert calls[0] is None and calls[1] is not None
    assert "Counted at" in first.content.decode()
    # Each view is still audited, cached or not.
    assert AuditEvent.objects.filter(action="report.view").count() >= 3
