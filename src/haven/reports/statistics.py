"""Framework Art. 12 statistics: persons received, identified and supported, broken down.

Every count is of distinct persons (canonical ids, see `facts`). In a breakdown by a
one-valued attribute (province, entry route, age group…) a person who appears several
times in the period is counted once, under her first event of the period, so rows add up
to the total; in a breakdown by a many-valued attribute (forms of exploitation, support
types) she is counted once in each row that applies, and the rows do not add up.
"""

import copy
import dataclasses
import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.agencies.models import FrameworkRole, Organisation
from haven.cases.models import EntryRoute, ExploitationForm, IdentificationStatus, Reception
from haven.db_router import reading_from_replica
from haven.places.models import Country, Ethnicity, Province
from haven.reports import disclosure, facts
from haven.reports.periods import Period, bucket_key, default_granularity
from haven.reports.tables import TOTAL, Table
from haven.support.models import SupportType

UNKNOWN = "unknown"
NOT_RECORDED = gettext_lazy("not recorded")

SEX_COLUMNS = [
    ("F", gettext_lazy("female")),
    ("M", gettext_lazy("male")),
    ("X", gettext_lazy("other or not known")),
]

AGE_GROUPS = [
    ("0-11", "0–11", 0, 11),
    ("12-15", "12–15", 12, 15),
    ("16-17", "16–17", 16, 17),
    ("18-24", "18–24", 18, 24),
    ("25-34", "25–34", 25, 34),
    ("35-44", "35–44", 35, 44),
    ("45+", "45+", 45, 200),
]
ADULT_AGE = 18


def sex_column(sex: str) -> str:
    return sex if sex in ("F", "M") else "X"


def age_group(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for key, _label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return key
    return UNKNOWN


def child_or_adult(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    return "child" if age < ADULT_AGE else "adult"


def threshold() -> int:
    return int(getattr(settings, "HAVEN_SUPPRESSION_THRESHOLD", 5))


@dataclasses.dataclass
class Measure:
    key: str
    title: str
    total: int
    tables: list[Table]
    trend: list[tuple[str, int]]


@dataclasses.dataclass
class Report:
    period: Period
    scope_label: str
    granularity: str
    generated_at: datetime.datetime
    measures: list[Measure]
    costs: list[Table]
    indicators: object = None  # haven.reports.indicators.Indicators
    released: bool = False
    threshold: int = 0

    def tables(self) -> list[Table]:
        return [t for m in self.measures for t in m.tables] + self.costs

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)


class Labels:
    """Names for the ids in facts, fetched once per report (a few small queries)."""

    def __init__(self, province_ids=None):
        current = Province.objects.filter(valid_to__isnull=True)
        if province_ids is not None:
            current = current.filter(id__in=province_ids)
        self.current_provinces = [(str(p.pk), p.name) for p in current.order_by("name_vi")]
        self._provinces = None
        self._ethnicities = None
        self._countries = None
        self._organisations = None

    def province(self, pk) -> str:
        if self._provinces is None:
            self._provinces = {p.pk: p.name for p in Province.objects.all()}
        return self._provinces.get(pk, str(NOT_RECORDED))

    def ethnicity(self, pk) -> str:
        if self._ethnicities is None:
            self._ethnicities = {e.pk: e.name for e in Ethnicity.objects.all()}
        return self._ethnicities.get(pk, str(NOT_RECORDED))

    def country(self, pk) -> str:
        if self._countries is None:
            self._countries = {c.pk: c.name for c in Country.objects.all()}
        return self._countries.get(pk, str(NOT_RECORDED))

    def organisation(self, pk) -> str:
        if self._organisations is None:
            self._organisations = {o.pk: o.name for o in Organisation.objects.all()}
        return self._organisations.get(pk, str(NOT_RECORDED))


def first_per_person(rows: list[facts.Fact]) -> list[facts.Fact]:
    """Each person's first fact (rows are in date order)."""
    seen: dict[int, facts.Fact] = {}
    for fact in rows:
        seen.setdefault(fact.person, fact)
    return list(seen.values())


def breakdown(
    key: str,
    title: str,
    row_title: str,
    rows: list[facts.Fact],
    row_of: Callable,
    catalogue: list[tuple[str, str]] | None = None,
    label_of: Callable | None = None,
    many: bool = False,
    drill_field: str = "",
    firsts: list[facts.Fact] | None = None,
    cells: dict | None = None,
) -> Table:
    """Distinct persons by `row_of(fact)` × sex. `catalogue` fixes the rows and their order
    (rows with no one included); otherwise rows are those found, labelled by `label_of`.
    `firsts`: `first_per_person(rows)`, when the caller has it already; `cells`: the
    counts already made (by the database, see `aggregates`), in place of `rows`."""
    if cells is None and firsts is None:
        firsts = first_per_person(rows)
    if cells is not None:
        pass
    elif many:
        sex_of = {fact.person: sex_column(fact.sex) for fact in firsts}
        members: dict[tuple[str, str], set] = defaultdict(set)
        for fact in rows:
            sex = sex_of[fact.person]
            for row in row_of(fact):
                members[(str(row), sex)].add(fact.person)
        cells = {cell: len(persons) for cell, persons in members.items()}
    else:
        # Each person has exactly one first fact, so counting facts counts persons.
        cells = dict(Counter((str(row_of(fact)), sex_column(fact.sex)) for fact in firsts))
    found = {row for row, _sex in cells}
    if catalogue is None:
        labelled = [(row, label_of(row) if label_of else row) for row in found]
        table_rows = sorted(labelled, key=lambda pair: (pair[0] == UNKNOWN, str(pair[1])))
    else:
        table_rows = [(str(k), str(v)) for k, v in catalogue]
        known = {k for k, _ in table_rows}
        table_rows += [(row, str(NOT_RECORDED)) for row in sorted(found - known)]
    table = Table(
        key=key,
        title=title,
        row_title=row_title,
        rows=[(k, str(v)) for k, v in table_rows],
        columns=[(k, str(v)) for k, v in SEX_COLUMNS],
        cells=cells,
        additive=not many,
    )
    if drill_field:
        table.drill = {row: f"{drill_field}={row}" for row, _ in table.rows if row != UNKNOWN}
    return table


def _maybe_int(value):
    return UNKNOWN if value is None else value


def _label(function):
    def label(key):
        return str(NOT_RECORDED) if key == UNKNOWN else function(int(key))

    return label


def measure_tables(
    measure: str,
    rows: list[facts.Fact],
    period: Period,
    labels: Labels,
    decisions=None,
    counted: dict | None = None,
) -> list[Table]:
    """The Art. 12 breakdowns of one measure (received, identified or supported);
    `decisions`: every identification decision of the period, whatever its outcome;
    `counted`: the cells of each table (by key suffix) already counted by the database,
    in place of `rows` and `decisions`."""
    firsts = first_per_person(rows) if counted is None else []

    def cells(suffix):
        return None if counted is None else counted.get(suffix, {})

    tables = [
        breakdown(
            f"{measure}.province",
            _("by province"),
            _("Province"),
            rows,
            lambda f: _maybe_int(f.province),
            catalogue=labels.current_provinces,
            drill_field="province",
            firsts=firsts,
            cells=cells("province"),
        )
    ]
    if period.before_reorganisation:
        tables.append(
            breakdown(
                f"{measure}.former_province",
                _("by former province (before 1 July 2025)"),
                _("Former province"),
                [f for f in rows if f.day < datetime.date(2025, 7, 1)],
                lambda f: _maybe_int(f.former_province),
                label_of=_label(labels.province),
                cells=cells("former_province"),
            )
        )
    routes = list(EntryRoute.choices)
    roles = list(FrameworkRole.choices)
    ages = [(k, label) for k, label, _low, _high in AGE_GROUPS] + [(UNKNOWN, NOT_RECORDED)]
    tables += [
        breakdown(
            f"{measure}.route",
            _("by entry route"),
            _("Entry route"),
            rows,
            lambda f: f.route or UNKNOWN,
            catalogue=routes,
            drill_field="route",
            firsts=firsts,
            cells=cells("route"),
        ),
        breakdown(
            f"{measure}.role",
            _("by framework role of the receiving organisation"),
            _("Framework role"),
            rows,
            lambda f: f.role or UNKNOWN,
            catalogue=roles,
            firsts=firsts,
            cells=cells("role"),
        ),
        breakdown(
            f"{measure}.age",
            _("by age group"),
            _("Age"),
            rows,
            lambda f: age_group(f.age),
            catalogue=ages,
            firsts=firsts,
            cells=cells("age"),
        ),
        breakdown(
            f"{measure}.child",
            _("children and adults"),
            _("Child or adult"),
            rows,
            lambda f: child_or_adult(f.age),
            catalogue=[
                ("child", _("child (under 18)")),
                ("adult", _("adult")),
                (UNKNOWN, NOT_RECORDED),
            ],
            drill_field="children",
            firsts=firsts,
            cells=cells("child"),
        ),
        breakdown(
            f"{measure}.ethnicity",
            _("by ethnicity"),
            _("Ethnicity"),
            rows,
            lambda f: _maybe_int(f.ethnicity),
            label_of=_label(labels.ethnicity),
            firsts=firsts,
            cells=cells("ethnicity"),
        ),
        breakdown(
            f"{measure}.exploitation",
            _("by form of exploitation"),
            _("Form of exploitation"),
            rows,
            lambda f: f.forms or (UNKNOWN,),
            catalogue=list(ExploitationForm.choices),
            many=True,
            firsts=firsts,
            cells=cells("exploitation"),
        ),
        breakdown(
            f"{measure}.destination",
            _("by country where exploited"),
            _("Country"),
            rows,
            lambda f: _maybe_int(f.destination),
            label_of=_label(labels.country),
            firsts=firsts,
            cells=cells("destination"),
        ),
    ]
    if measure == "identified":
        # Her latest decision in the period.
        latest: dict[int, facts.Fact] = {}
        for fact in decisions or rows:
            latest[fact.person] = fact
        tables.append(
            breakdown(
                f"{measure}.status",
                _("by identification decision (her latest in the period)"),
                _("Decision"),
                list(latest.values()),
                lambda f: f.status,
                catalogue=[
                    c
                    for c in IdentificationStatus.choices
                    if c[0] != IdentificationStatus.UNDECIDED
                ],
                cells=cells("status"),
            )
        )
    if measure == "supported":
        tables.append(
            breakdown(
                f"{measure}.support_type",
                _("by support received (Law 53/2024 Art. 37)"),
                _("Support"),
                rows,
                lambda f: (f.support_type,),
                catalogue=list(SupportType.choices),
                many=True,
                firsts=firsts,
                cells=cells("support_type"),
            )
        )
    for table in tables:
        table.title = f"{MEASURE_TITLES[measure]()} {table.title}"
    return tables


MEASURE_TITLES = {
    "received": lambda: _("Persons received"),
    "identified": lambda: _("Persons identified as victims"),
    "supported": lambda: _("Persons supported"),
}


def cost_tables(rows: list[facts.Fact], labels: Labels, counted: dict | None = None) -> list[Table]:
    """Services delivered, persons served and cost, by paying organisation, by funding
    source and by support type; `counted`: {key suffix: {row: (services, persons, cost)}}
    already counted by the database, rows in the order the services came, in place of
    `rows`."""
    columns = [
        ("services", _("services")),
        ("persons", _("persons")),
        ("cost", _("cost (VND)")),
    ]

    def by(key, title, row_title, row_of, label_of, catalogue=None):
        services: dict[str, int] = defaultdict(int)
        cells = {}
        if counted is not None:
            for row, (count, persons, cost) in counted.get(key.split(".")[1], {}).items():
                services[row] = count
                cells[(row, "services")] = count
                cells[(row, "persons")] = persons
                cells[(row, "cost")] = cost
        else:
            cost: dict[str, int] = defaultdict(int)
            served: dict[str, set] = defaultdict(set)
            for fact in rows:
                row = row_of(fact)
                services[row] += 1
                cost[row] += fact.cost
                served[row].add(fact.person)
            for row in services:
                cells[(row, "services")] = services[row]
                cells[(row, "persons")] = len(served[row])
                cells[(row, "cost")] = cost[row]
        if catalogue is not None:
            table_rows = [(str(k), str(v)) for k, v in catalogue if k in services]
        else:
            table_rows = sorted(((r, label_of(r)) for r in services), key=lambda p: p[1])
        return Table(
            key=key,
            title=title,
            row_title=row_title,
            rows=table_rows,
            columns=columns,
            cells=cells,
            additive=False,
            unit="money",
            note=_("Persons are counted once per row; rows do not add up to the persons total."),
        )

    return [
        by(
            "services.paid_by",
            _("Services delivered and their cost, by paying organisation"),
            _("Paying organisation"),
            lambda f: str(f.paid_by) if f.paid_by else UNKNOWN,
            _label(labels.organisation),
        ),
        by(
            "services.funding_source",
            _("Services delivered and their cost, by funding source"),
            _("Funding source"),
            lambda f: f.funding_source or UNKNOWN,
            lambda key: str(NOT_RECORDED) if key == UNKNOWN else key,
        ),
        by(
            "services.support_type",
            _("Services delivered and their cost, by support type"),
            _("Support"),
            lambda f: f.support_type,
            None,
            catalogue=list(SupportType.choices),
        ),
    ]


def trend(rows: list[facts.Fact], period: Period, granularity: str) -> list[tuple[str, int]]:
    """Distinct persons per bucket (a person in two buckets counts in each)."""
    persons: dict[str, set] = defaultdict(set)
    keys: dict[datetime.date, str] = {}  # bucket of each day, computed once per day
    for fact in rows:
        key = keys.get(fact.day)
        if key is None:
            key = keys[fact.day] = bucket_key(fact.day, granularity)
        persons[key].add(fact.person)
    return [(key, len(persons.get(key, ()))) for key in period.buckets(granularity)]


@dataclasses.dataclass
class Loaded:
    """What the database gave for one period and scope: facts and indicators, before any
    table is labelled (so a bilingual PDF labels the same numbers twice, querying once)."""

    period: Period
    provinces: object
    granularity: str
    received: list
    decisions: list
    supported: list
    indicators: object
    # PostgreSQL: the counts made by the database ("received", "identified",
    # "supported" → aggregates.Counts), the fact lists then left empty.
    counted: dict | None = None
    counted_at: datetime.datetime = dataclasses.field(default_factory=timezone.now)


def load(
    period: Period,
    provinces=None,
    *,
    granularity: str | None = None,
    with_indicators: bool = True,
    progress: Callable | None = None,
) -> Loaded:
    """Read the period's facts (from the replica when one is configured); on PostgreSQL,
    count them in the database instead (`aggregates`)."""
    from haven.reports import indicators

    step = progress or (lambda fraction, message: None)
    granularity = granularity or default_granularity(period)
    with reading_from_replica():
        using = router.db_for_read(Reception)
        if counts_in_database(using):
            return _count_in_database(period, provinces, granularity, with_indicators, step, using)
        step(0.0, _("Persons received"))
        received = facts.received(period, provinces)
        step(0.2, _("Persons identified as victims"))
        decisions = facts.identified(period, provinces)
        step(0.4, _("Persons supported"))
        supported = facts.supported(period, provinces)
        step(0.6, _("Review indicators"))
        found = (
            indicators.build(
                period,
                provinces,
                granularity,
                received=received,
                decisions=decisions,
                supported=supported,
            )
            if with_indicators
            else None
        )
    return Loaded(period, provinces, granularity, received, decisions, supported, found)


def counts_in_database(using: str) -> bool:
    """Whether the database counts (PostgreSQL: `aggregates`) rather than Python."""
    return connections[using].vendor == "postgresql"


def _count_in_database(period, provinces, granularity, with_indicators, step, using) -> Loaded:
    from haven.reports import aggregates, indicators

    named = aggregates.tasks(period, provinces, granularity, with_indicators, using)
    titles = {key: MEASURE_TITLES[key] for key in aggregates.MEASURES}

    def progress(done, name):
        title = titles.get(name, lambda: _("Review indicators"))
        step(done / len(named), str(title()))

    results = aggregates.run_all(named, using, progress)
    counted = {key: results[key] for key in aggregates.MEASURES}
    found = (
        indicators.build(
            period,
            provinces,
            granularity,
            counted=aggregates.indicators_from(results, counted),
        )
        if with_indicators
        else None
    )
    return Loaded(period, provinces, granularity, [], [], [], found, counted)


def assemble(loaded: Loaded, *, scope_label: str = "") -> Report:
    """Label and count the loaded facts into the report's tables, in the active language."""
    period = loaded.period
    labels = Labels(loaded.provinces)
    victims = [f for f in loaded.decisions if f.status == IdentificationStatus.VICTIM]
    measures = []
    for key, rows in (
        ("received", loaded.received),
        ("identified", victims),
        ("supported", loaded.supported),
    ):
        if loaded.counted is not None:
            counts = loaded.counted[key]
            tables = measure_tables(key, [], period, labels, counted=counts.cells)
            total = counts.total
            series = [(b, counts.trend.get(b, 0)) for b in period.buckets(loaded.granularity)]
        else:
            extra = {"decisions": loaded.decisions} if key == "identified" else {}
            tables = measure_tables(key, rows, period, labels, **extra)
            total = len({f.person for f in rows})
            series = trend(rows, period, loaded.granularity)
        measures.append(Measure(key, str(MEASURE_TITLES[key]()), total, tables, series))
    return Report(
        period=period,
        scope_label=scope_label,
        granularity=loaded.granularity,
        generated_at=loaded.counted_at,
        measures=measures,
        costs=cost_tables(
            loaded.supported,
            labels,
            None if loaded.counted is None else loaded.counted["supported"].costs,
        ),
        indicators=copy.deepcopy(loaded.indicators),
    )


def load_recent(period: Period, provinces=None, *, granularity: str | None = None) -> Loaded:
    """`load`, reusing counts made within HAVEN_REPORT_CACHE_SECONDS for the same period,
    scope and granularity: the dashboard recounts a quarter of a large registry in seconds,
    and every analyst opens the same default quarter. The counts hold no names (only ids and
    numbers); the report says when they were counted."""
    seconds = settings.HAVEN_REPORT_CACHE_SECONDS
    granularity = granularity or default_granularity(period)
    if seconds <= 0:
        return load(period, provinces, granularity=granularity)
    scope = "all" if provinces is None else ",".join(str(p) for p in sorted(provinces))
    key = f"haven:report:{period.start}:{period.end}:{scope}:{granularity}"
    loaded = cache.get(key)
    if loaded is not None:
        return loaded
    # One worker counts; the others arriving meanwhile wait for its counts rather than
    # each counting the same quarter at once (up to COUNT_WAIT seconds, then they count).
    counting = f"{key}:counting"
    if not cache.add(counting, True, COUNT_WAIT):
        waited = 0.0
        while waited < COUNT_WAIT:
            time.sleep(0.1)
            waited += 0.1
            if (loaded := cache.get(key)) is not None:
                return loaded
    try:
        loaded = load(period, provinces, granularity=granularity)
        cache.set(key, loaded, seconds)
    finally:
        cache.delete(counting)
    return loaded


COUNT_WAIT = 30  # seconds


def build(period: Period, provinces=None, *, scope_label: str = "", **options) -> Report:
    """The statistics for `period`, limited to `provinces` (current unit ids; None: all)."""
    return assemble(load(period, provinces, **options), scope_label=scope_label)


def release(report: Report, limit: int | None = None) -> Report:
    """Apply disclosure control to every table, for a report leaving the organisation."""
    limit = threshold() if limit is None else limit
    for measure in report.measures:
        disclosure.protect_measure(measure.tables, limit)
        if 0 < measure.total < limit:
            measure.total = None
        measure.trend = disclosure.protect_series(measure.trend, limit)
    for table in report.costs:
        disclosure.protect_rows(table, limit, "persons")
    if report.indicators is not None:
        report.indicators.release(limit)
    report.released = True
    report.threshold = limit
    return report


def totals_row(table: Table) -> tuple:
    return tuple(table.shown(TOTAL, c) for c, _ in table.columns)
