"""Statistics pages: the dashboard, table exports, drill-down and background exports.

Thin views: the scope comes from `policy.get_statistics_scope` (404 for anyone who may see
no statistics), numbers from `statistics`, and every page or file writes an audit record.
Only aggregates are shown; drill-down lists only cases the user may open anyway
(`policy.cases_visible_to`), by reference, never by name.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.access import policy
from haven.audit import log as audit
from haven.reports import charts, exports, jobs, statistics
from haven.reports.forms import DashboardForm, ExportForm
from haven.reports.models import ReportJob
from haven.reports.periods import Period

DRILLDOWN_LIMIT = 200


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _organisation_id(scope):
    return min(scope.organisation_ids) if scope.organisation_ids else None


def _provinces(scope, form):
    """The province ids to count: the chosen one, else the scope (None: the whole country)."""
    chosen = form.cleaned_data.get("province") if form.is_valid() else None
    if chosen is not None:
        return [chosen.pk]
    return None if scope.national else sorted(scope.provinces)


def _scope_label(provinces) -> str:
    return jobs.scope_label(provinces)


def _audit(request, action, scope, **details):
    audit.record(
        action,
        user=request.user,
        organisation=_organisation_id(scope),
        object_type="report",
        object_id=details.pop("object_id", "statistics"),
        ip_address=_client_ip(request),
        details=details,
    )


@login_required
@require_GET
def dashboard(request):
    scope = policy.get_statistics_scope(request.user)
    form = DashboardForm(request.GET, scope=scope)
    context = {"form": form, "scope": scope}
    if form.is_valid():
        period, provinces = form.period(), _provinces(scope, form)
        report = statistics.assemble(
            statistics.load_recent(period, provinces, granularity=form.chosen_granularity()),
            scope_label=_scope_label(provinces),
        )
        measure_key = form.chosen_measure()
        measure = next(m for m in report.measures if m.key == measure_key)
        province_table = measure.tables[0]
        for table in measure.tables[1:]:
            table.chart_svg = charts.svg(charts.Chart("bars", table.title, table.ranked()))
        context.update(
            report=report,
            measure=measure,
            query=_query(form),
            trend_charts=[
                charts.svg(charts.Chart("columns", m.title, m.trend)) for m in report.measures
            ],
            ranked_chart=charts.svg(
                charts.Chart("bars", province_table.title, province_table.ranked())
            ),
            indicator_rows=_indicator_rows(report),
            provinces_named=statistics.Labels(),
        )
        _audit(
            request,
            "report.view",
            scope,
            start=str(period.start),
            end=str(period.end),
            provinces=provinces,
            measure=measure_key,
        )
    else:
        _audit(request, "report.view", scope, invalid=True)
    return render(request, "reports/dashboard.html", context)


def _query(form) -> str:
    data = form.cleaned_data
    parts = [f"start={data['start']}", f"end={data['end']}"]
    if data.get("province"):
        parts.append(f"province={data['province'].pk}")
    return "&".join(parts)


def _figure_text(figure, kind: str) -> str:
    """An indicator's figure as the dashboard writes it: "–" when there is none, "x" when
    hidden for being too small, a share as a whole percentage, anything else with one
    decimal in the request's language. Written here rather than by an included template per
    figure, of which the dashboard has hundreds."""
    if figure.value is None:
        return "–"
    if figure.hidden:
        return "x"
    if kind == "share":
        return f"{round(float(figure.value) * 100)}%"  # as {% widthratio value 1 100 %}%
    return floatformat(figure.value, 1)


def _indicator_rows(report):
    """Per indicator: its title, kind and unavailability, the overall figure's text, and
    [(province name, text, number or None where hidden)] and [(bucket, text)]."""
    labels = statistics.Labels()
    rows = []
    for item in report.indicators.items:
        kind = item.kind
        rows.append(
            {
                "title": item.title,
                "kind": kind,
                "unavailable": item.unavailable,
                "overall": item.overall,
                "overall_text": _figure_text(item.overall, kind) if item.overall else "",
                "provinces": sorted(
                    (
                        (labels.province(p), _figure_text(f, kind), None if f.hidden else f.n)
                        for p, f in item.by_province.items()
                    ),
                    key=lambda triple: triple[0],
                ),
                "times": [(b, _figure_text(f, kind)) for b, f in item.by_time.items()],
            }
        )
    return rows


@login_required
@require_GET
def table_export(request, key, fmt):
    """One table as CSV or XLSX; released with disclosure control unless `release=0`."""
    scope = policy.get_statistics_scope(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    form = DashboardForm(request.GET, scope=scope)
    if not form.is_valid():
        raise Http404("Invalid filters")
    period, provinces = form.period(), _provinces(scope, form)
    report = statistics.build(
        period, provinces, scope_label=_scope_label(provinces), with_indicators=False
    )
    release = request.GET.get("release", "1") != "0"
    if release:
        statistics.release(report)
    try:
        table = report.table(key)
    except KeyError as error:
        raise Http404("No such table") from error
    content = (
        exports.table_csv(table, report) if fmt == "csv" else exports.table_xlsx(table, report)
    )
    _audit(
        request,
        "report.export",
        scope,
        object_id=key,
        format=fmt,
        release=release,
        start=str(period.start),
        end=str(period.end),
        provinces=provinces,
    )
    response = HttpResponse(content, content_type=jobs.CONTENT_TYPES[fmt])
    name = f"haven-{key.replace('.', '-')}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def drilldown(request):
    """The cases behind a count, among those the user may open: an analyst sees none."""
    scope = policy.get_statistics_scope(request.user)
    form = DashboardForm(request.GET, scope=scope)
    if not form.is_valid():
        raise Http404("Invalid filters")
    period = form.period()
    cases = policy.cases_visible_to(request.user).filter(
        receptions__received_at__gte=period.start_at,
        receptions__received_at__lt=period.end_before,
    )
    provinces = _provinces(scope, form)
    if provinces is not None:
        cases = cases.filter(province_id__in=provinces)
    route = request.GET.get("route")
    if route:
        cases = cases.filter(receptions__entry_route=route)
    children = request.GET.get("children")
    if children in ("child", "adult"):
        cases = cases.filter(receptions__is_child=children == "child")
    cases = cases.distinct().select_related("province").order_by("-opened_at")
    shown = list(cases[:DRILLDOWN_LIMIT])
    _audit(
        request,
        "report.drilldown",
        scope,
        start=str(period.start),
        end=str(period.end),
        provinces=provinces,
        route=route or "",
        children=children or "",
        shown=len(shown),
    )
    return render(
        request,
        "reports/drilldown.html",
        {
            "cases": shown,
            "period": period,
            "limit": DRILLDOWN_LIMIT,
            "may_open_cases": bool(policy.organisation_ids(request.user, policy.CASE_READER_ROLES)),
        },
    )


@login_required
@require_POST
def export_create(request):
    scope = policy.get_statistics_scope(request.user)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a report, a format and a period."))
    data = form.cleaned_data
    province = data.get("province")
    if province is not None and not scope.national and province not in scope.provinces:
        raise Http404("Province outside scope")
    job = jobs.create(
        user=request.user,
        organisation_id=_organisation_id(scope),
        kind=data["kind"],
        fmt=data["format"],
        period=Period(data["start"], data["end"]),
        scope=scope,
        province=province,
        release=data["release"] or data["kind"] == ReportJob.Kind.HTCDS,
        language=request.LANGUAGE_CODE,
    )
    return redirect("reports:export", token=job.token)


def _own_job(request, token) -> ReportJob:
    policy.get_statistics_scope(request.user)
    job = ReportJob.objects.filter(
        token=token, requested_by=request.user, kind__in=ReportJob.EXPORT_KINDS
    ).first()
    if job is None:
        raise Http404("No such export")
    return job


@login_required
@require_GET
def export_detail(request, token):
    job = _own_job(request, token)
    return render(request, "reports/export.html", {"job": job})


@login_required
@require_GET
def export_progress(request, token):
    job = _own_job(request, token)
    return render(request, "reports/_export_progress.html", {"job": job})


@login_required
@require_GET
def export_download(request, token):
    job = _own_job(request, token)
    if job.status != ReportJob.Status.DONE:
        raise Http404("Not ready")
    audit.record(
        "report.job.download",
        user=request.user,
        obj=job,
        ip_address=_client_ip(request),
        details={"kind": job.kind, "format": job.format},
    )
    response = HttpResponse(jobs.read(job), content_type=jobs.CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
