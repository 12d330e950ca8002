"""Counts against the hand-counted registry (see conftest), distinct persons throughout."""

import pytest

from haven.places.models import Province
from haven.reports import statistics
from haven.reports.tables import TOTAL

pytestmark = pytest.mark.django_db


def unit(code):
    return str(Province.objects.get(code=code).pk)


def test_persons_received_identified_and_supported_are_distinct_persons(registry):
    report = statistics.build(registry.period)
    totals = {m.key: m.total for m in report.measures}
    # Hoà was received twice (two Person rows linked by merged_into) and counts once.
    assert totals == {"received": 3, "identified": 2, "supported": 1}


def test_breakdowns_count_each_person_once_under_her_first_reception(registry):
    report = statistics.build(registry.period)
    by_province = report.table("received.province")
    assert by_province.value(unit("15"), TOTAL) == 2  # Hoà (first at Lào Cai) and Lan
    assert by_province.value(unit("01"), TOTAL) == 1  # Minh; Hoà's Hà Nội reception is later
    assert by_province.value(TOTAL, "F") == 2 and by_province.value(TOTAL, "M") == 1
    routes = report.table("received.route")
    assert routes.value("border_handover", TOTAL) == 1
    assert routes.value("self_report", TOTAL) == 1
    assert routes.value("police", TOTAL) == 1  # Lan's; Hoà's police reception came second
    roles = report.table("received.role")
    assert roles.value("defence", TOTAL) == 1 and roles.value("social_affairs", TOTAL) == 2
    child = report.table("received.child")
    assert child.value("child", "M") == 1 and child.value("adult", "F") == 2
    ages = report.table("received.age")
    assert ages.value("16-17", TOTAL) == 1  # Minh
    assert ages.value("25-34", TOTAL) == 2  # Hoà (born 2000) and Lan (born 1995)


def test_many_valued_breakdown_counts_a_person_in_each_of_her_forms(registry):
    report = statistics.build(registry.period)
    forms = report.table("received.exploitation")
    assert not forms.additive
    assert forms.value("forced_labour", "M") == 1 and forms.value("online_scam", "M") == 1
    assert forms.value("forced_marriage", "F") == 1


def test_identified_and_support_and_cost(registry):
    report = statistics.build(registry.period)
    assert report.table("identified.status").value("victim", TOTAL) == 2
    assert report.table("supported.support_type").value("legal_information", "F") == 1
    paid = report.table("services.paid_by")
    (row,) = [key for key, _ in paid.rows]
    assert paid.value(row, "services") == 2
    assert paid.value(row, "persons") == 1
    assert paid.value(row, "cost") == 150000
    sources = report.table("services.funding_source")
    assert sources.value("State budget", "cost") == 150000


def test_trend_and_former_provinces(registry):
    report = statistics.build(registry.period, granularity="year")
    received = report.measures[0]
    assert sum(v for _k, v in received.trend) == 3
    keys = [t.key for t in received.tables]
    assert ("received.former_province" in keys) is registry.period.before_reorganisation


def test_province_scope_counts_only_the_provinces_given(registry):
    hanoi = [int(unit("01"))]
    report = statistics.build(registry.period, hanoi)
    assert {m.key: m.total for m in report.measures} == {
        "received": 2,  # Minh, and Hoà through her reception in Hà Nội
        "identified": 2,  # Hoà (the decision on her Hà Nội case) and Minh
        "supported": 1,  # Hoà's service on her Hà Nội case
    }
    assert report.table("received.province").value(unit("15"), TOTAL) == 0


def test_indicators(registry):
    report = statistics.build(registry.period)
    indicators = report.indicators
    days = indicators.get("days_to_identification")
    assert days.overall.n == 3  # three cases decided for the first time in the period
    assert days.overall.value == 1.0  # every decision a day after its reception
    again = indicators.get("re_trafficking")
    assert again.overall.n == 3 and again.overall.value == pytest.approx(1 / 3)
    first_service = indicators.get("days_to_first_service")
    assert first_service.overall.n == 2
    referral = indicators.get("referral_days")
    assert referral.unavailable or referral.overall is not None
    assert indicators.funds["used"] == 150000
