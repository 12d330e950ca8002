"""On PostgreSQL the statistics are counted in the database (`aggregates`); the Python
count of `facts` is the reference. Both must give the very same report: every table's
key, rows, columns and cells, every total, trend, cost and indicator.

The registry: 400 synthetic persons over five years, plus records made by hand for what
synth does not make: receptions in former provinces before 1 July 2025, several forms of
exploitation, several decisions on one case, merged persons whose records disagree, a
person known only by her year of birth or of unknown sex, a case with no reception, a
re-trafficking case, services with no cost or a padded funding source.
"""

import datetime
import itertools
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from haven.cases.models import Case, IdentificationDecision, Reception
from haven.people.models import Person
from haven.places.models import Country, Ethnicity, Province
from haven.reports import statistics
from haven.reports.periods import Period
from haven.support.models import Service

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database counts only on PostgreSQL"
    ),
]

_references = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def clone(obj, **fields):
    """A copy of a synthetic row with `fields` changed."""
    obj.pk = None
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def person(template, **fields):
    return clone(Person.objects.get(pk=template.pk), **fields)


def case(template, owner_person, province, opened, **fields):
    return clone(
        Case.objects.get(pk=template.pk),
        reference=f"PARITY-{next(_references):05d}",
        person=owner_person,
        province=province,
        opened_at=opened,
        previous_case=fields.pop("previous_case", None),
        **fields,
    )


def reception(template, on_case, province, received_at, **fields):
    return clone(
        Reception.objects.get(pk=template.pk),
        case=on_case,
        province=province,
        received_at=received_at,
        **fields,
    )


def decision(template, on_case, day, status):
    return clone(
        IdentificationDecision.objects.get(pk=template.pk),
        case=on_case,
        decided_on=day,
        status=status,
    )


def service(template, on_case, day, **fields):
    return clone(Service.objects.get(pk=template.pk), case=on_case, starts_on=day, **fields)


@pytest.fixture
def varied_registry(db):
    return make_varied_registry()


def make_varied_registry() -> dict:
    call_command("synth", "--persons", "400")
    templates = {
        "person": Person.objects.first(),
        "case": Case.objects.first(),
        "reception": Reception.objects.first(),
        "decision": IdentificationDecision.objects.first(),
        "service": Service.objects.filter(status=Service.Status.DELIVERED).first(),
    }
    former = list(Province.objects.filter(successor__isnull=False).order_by("code")[:3])
    current = former[0].successor
    other = Province.objects.filter(valid_to__isnull=True).exclude(pk=current.pk).first()
    ethnicities = list(Ethnicity.objects.order_by("code")[:2])
    china = Country.objects.get(code="CN")
    before, after = datetime.date(2025, 5, 10), datetime.date(2025, 8, 20)

    kept = person(
        templates["person"], sex="F", date_of_birth=datetime.date(2007, 8, 21), ethnicity=None
    )
    duplicate = person(
        templates["person"],
        sex="F",
        date_of_birth=datetime.date(2007, 8, 21),
        ethnicity=ethnicities[1],
        merged_into=kept,
    )
    year_only = person(
        templates["person"], sex="U", date_of_birth=None, birth_year=1990, ethnicity=None
    )
    stranger = person(templates["person"], sex="X", date_of_birth=None, birth_year=None)
    for number, (who, province, day) in enumerate(
        [
            (kept, former[0], before),
            (duplicate, former[1], before + datetime.timedelta(days=20)),
            (year_only, former[2], before + datetime.timedelta(days=3)),
            (kept, current, after),
            (year_only, other, after + datetime.timedelta(days=2)),
            (stranger, current, after + datetime.timedelta(days=5)),
        ]
    ):
        opened = at(day, hour=number)
        new_case = case(templates["case"], who, province, opened)
        forms = ["forced_marriage,sexual", "", "online_scam,,forced_labour", "sexual"][number % 4]
        reception(
            templates["reception"],
            new_case,
            province,
            opened,
            exploitation_forms=forms,
            destination_country=china if number % 2 else None,
            age_at_reception=None if number == 2 else 17 + number,
        )
        # Late at night local time: the previous day in UTC.
        reception(templates["reception"], new_case, province, at(day, hour=23))
        for offset, status in enumerate(["being_identified", "victim", "not_victim"][: number + 1]):
            decision(templates["decision"], new_case, day + datetime.timedelta(days=offset), status)
        service(
            templates["service"],
            new_case,
            day + datetime.timedelta(days=1),
            cost=None if number == 1 else 12345 * number,
            funding_source="  provincial budget \t" if number % 2 else "",
            paid_by=None if number == 3 else templates["service"].paid_by,
        )
        if number == 4:
            # Received again after an earlier case of hers: re-trafficking.
            again = case(templates["case"], who, other, at(after, 8), previous_case=new_case)
            reception(templates["reception"], again, other, at(after + datetime.timedelta(days=9)))
    # A case with no reception, identified and supported in the period.
    bare = case(templates["case"], stranger, current, at(after))
    decision(templates["decision"], bare, after + datetime.timedelta(days=1), "victim")
    service(templates["service"], bare, after + datetime.timedelta(days=2))
    return {"current": current, "former": former, "other": other}


def python_report(period, provinces=None, **options):
    with mock.patch.object(statistics, "counts_in_database", return_value=False):
        return statistics.build(period, provinces, **options)


def assert_same(sql, python):
    assert [m.key for m in sql.measures] == [m.key for m in python.measures]
    for ours, theirs in zip(sql.measures, python.measures, strict=True):
        assert (ours.key, ours.title, ours.total) == (theirs.key, theirs.title, theirs.total)
        assert ours.trend == theirs.trend, ours.key
        assert [t.key for t in ours.tables] == [t.key for t in theirs.tables]
        for a, b in zip(ours.tables, theirs.tables, strict=True):
            assert a == b, a.key
    assert [t.key for t in sql.costs] == [t.key for t in python.costs]
    for a, b in zip(sql.costs, python.costs, strict=True):
        assert a == b, a.key
    assert sql.indicators == python.indicators


PERIODS = [
    ("quarter before", Period.quarter(2025, 2), None),
    ("quarter after", Period.quarter(2025, 3), None),
    ("year", Period.year(2025), None),
    ("year by quarter", Period.year(2024), "quarter"),
    ("month", Period.month(2025, 8), None),
    ("three years", Period(datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)), None),
]


def test_database_and_python_count_the_same(varied_registry):
    for name, period, granularity in PERIODS:
        options = {"granularity": granularity} if granularity else {}
        sql = statistics.build(period, **options)
        python = python_report(period, **options)
        assert sql.measures[0].total > 0, name
        assert_same(sql, python)


def test_the_hand_made_records_are_counted(varied_registry):
    report = statistics.build(Period.quarter(2025, 2))
    former = report.table("received.former_province")
    kept, _duplicate, year_only = varied_registry["former"]
    # The merged duplicate's reception came after the kept record's: she counts there.
    assert {str(kept.pk), str(year_only.pk)} <= {row for row, _ in former.rows}
    assert report.table("received.exploitation").value("forced_labour", "X") == 1
    assert report.table("received.age").value("unknown", "X") >= 1
    paid = report.table("services.funding_source")
    assert "provincial budget" in {row for row, _ in paid.rows}


def test_a_province_scope_counts_the_same(varied_registry):
    scope = [varied_registry["current"].pk, varied_registry["other"].pk]
    for period in (Period.quarter(2025, 2), Period.quarter(2025, 3), Period.year(2025)):
        sql = statistics.build(period, scope)
        python = python_report(period, scope)
        assert sql.measures[0].total > 0
        assert_same(sql, python)


def test_released_reports_are_the_same(varied_registry):
    period = Period.quarter(2025, 3)
    sql = statistics.release(statistics.build(period))
    python = statistics.release(python_report(period))
    assert_same(sql, python)


def test_load_leaves_no_facts_to_carry(varied_registry):
    loaded = statistics.load(Period.quarter(2025, 3))
    assert loaded.counted is not None
    assert (loaded.received, loaded.decisions, loaded.supported) == ([], [], [])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_queries_run_at_once_and_count_the_same():
    """Outside a transaction `aggregates.run_all` runs a report's queries on two
    connections at once; the report is the same as Python's."""
    from haven.reports import aggregates

    call_command("synth", persons=150, seed=11)
    threads = set()
    measure = aggregates.measure

    def spy(*args, **kwargs):
        threads.add(threading.get_ident())
        return measure(*args, **kwargs)

    period = Period.year(2025)
    with mock.patch.object(aggregates, "measure", spy):
        sql = statistics.build(period)
    assert threads and threading.get_ident() not in threads
    assert sql.measures[0].total > 0
    assert_same(sql, python_report(period))
