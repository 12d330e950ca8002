"""Aggregate statistics for a period: the dashboard's tables, for analysts (the whole
country) and supervisors (their provinces), through `policy.get_statistics_scope` (404 for
anyone else, and so for every API client, which acts as a case worker). Released with the
exports' disclosure control (small counts hidden) unless `release=false`; audited as the
dashboard (`report.view`)."""

import datetime

from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from haven.access import policy
from haven.api import common
from haven.api.auth import needs
from haven.api.models import Scope
from haven.audit import log as audit
from haven.places.models import Province
from haven.reports import jobs, statistics
from haven.reports.forms import DashboardForm

router = Router(tags=["statistics"])

NOT_A_PROVINCE = "0"


def may_see_statistics(request, acting_user) -> bool:
    return policy.can_see_statistics(acting_user)


class Coded(Schema):
    key: str
    label: str


class RowOut(Schema):
    key: str
    label: str
    values: list[int | None]
    total: int | None


class TableOut(Schema):
    key: str
    title: str
    row_title: str
    unit: str
    note: str
    additive: bool
    withheld: bool
    columns: list[Coded]
    rows: list[RowOut]
    totals: list[int | None]
    grand_total: int | None


class PointOut(Schema):
    bucket: str
    value: int | None


class MeasureOut(Schema):
    key: str
    title: str
    total: int | None
    trend: list[PointOut]
    tables: list[TableOut]


class StatisticsOut(Schema):
    start: datetime.date
    end: datetime.date
    scope: str
    granularity: str
    released: bool
    threshold: int = F(description="Counts below it are hidden when released (0: not).")
    measures: list[MeasureOut]
    costs: list[TableOut]


class StatisticsFilters(Schema):
    start: datetime.date | None = F(None, description="Default: the dashboard's period.")
    end: datetime.date | None = None
    province: str = F("", max_length=40, description="Province code, within your scope.")
    granularity: str = F("", description="Trend by: month, quarter or year (default: auto).")
    release: bool = F(True, description="Hide small counts, as for release (default).")


def table(t) -> dict:
    body, totals, grand = t.grid()
    return {
        "key": t.key,
        "title": str(t.title),
        "row_title": str(t.row_title),
        "unit": t.unit,
        "note": str(t.note),
        "additive": t.additive,
        "withheld": t.withheld,
        "columns": [{"key": str(k), "label": str(label)} for k, label in t.columns],
        "rows": [
            {"key": str(k), "label": str(label), "values": values, "total": total}
            for k, label, values, total in body
        ],
        "totals": totals,
        "grand_total": grand,
    }


def _form(filters: StatisticsFilters, scope) -> DashboardForm:
    data = QueryDict(mutable=True)
    for name in ("start", "end"):
        value = getattr(filters, name)
        if value is not None:
            data[name] = value.isoformat()
    if filters.province:
        found = (
            Province.objects.filter(code=filters.province.strip(), valid_to__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        data["province"] = str(found) if found is not None else NOT_A_PROVINCE
    if filters.granularity:
        data["granularity"] = filters.granularity
    return DashboardForm(data, scope=scope)


def _provinces(scope, form):
    chosen = form.cleaned_data.get("province")
    if chosen is not None:
        return [chosen.pk]
    return None if scope.national else sorted(scope.provinces)


@router.get(
    "/statistics",
    response=common.responses(200, StatisticsOut),
    auth=needs(Scope.STATISTICS_READ, may_see_statistics),
    summary="Aggregate tables for a period (analysts; supervisors for their provinces)",
)
def get_statistics(request, filters: Query[StatisticsFilters]):
    user = common.user(request)
    scope = policy.get_statistics_scope(user)
    form = _form(filters, scope)
    common.require_valid(form, _("The request was not accepted: correct the fields listed."))
    period, provinces = form.period(), _provinces(scope, form)
    report = statistics.build(
        period,
        provinces,
        scope_label=jobs.scope_label(provinces),
        granularity=form.chosen_granularity(),
        with_indicators=False,
    )
    if filters.release:
        statistics.release(report)
    audit.record(
        "report.view",
        user=user,
        organisation=min(scope.organisation_ids) if scope.organisation_ids else None,
        object_type="report",
        object_id="statistics",
        ip_address=common.client_ip(request),
        details={
            "start": str(period.start),
            "end": str(period.end),
            "provinces": provinces,
            "release": filters.release,
            "via": "api",
        },
    )
    return {
        "start": period.start,
        "end": period.end,
        "scope": str(report.scope_label),
        "granularity": report.granularity,
        "released": report.released,
        "threshold": report.threshold,
        "measures": [
            {
                "key": m.key,
                "title": str(m.title),
                "total": m.total,
                "trend": [{"bucket": str(b), "value": v} for b, v in m.trend],
                "tables": [table(t) for t in m.tables],
            }
            for m in report.measures
        ],
        "costs": [table(t) for t in report.costs],
    }
