# ruff: noqa: S608 (queries are assembled from this module's constants; values are bound)
"""The statistics counted in the database (PostgreSQL only): the same numbers as counting
`facts` in Python (`statistics`, the reference, which SQLite keeps using), without
carrying every event of the period into Python.

One query per measure reads the period's facts from those the database keeps ready
(`factstore`: canonical person, the canonical record's values, the first reception of a
case as its origin, the row keys already labelled) and returns every cell of that
measure's tables, its total and its trend, as (table, row, column, a, b, c) rows.
Single-valued breakdowns count each person's first fact of the period through one
`GROUPING SETS`; many-valued ones count distinct persons per value. For the whole country
a fact's chain (the day of the person's previous fact of its kind, of its support type...)
says whether it is her first, so most of these counts need no sort; a province scope
leaves some of her facts out, so there her first is found by sorting (`DISTINCT ON`,
`count(DISTINCT person)`). Row and column keys are the strings the Python path produces.
"""

import dataclasses
import functools
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.db import connections, transaction
from django.utils import timezone

from haven.cases.models import IdentificationStatus
from haven.places.models import REORGANISATION_DATE
from haven.reports import factstore
from haven.reports.periods import Granularity, Period
from haven.support.models import Service

UNKNOWN = factstore.UNKNOWN
# Queries of one report run at once, each on its own connection (`run_all`).
PARALLEL_QUERIES = 2
# Worker processes each of those queries may use (pages use none: haven.settings).
REPORT_PARALLEL_WORKERS = 2


SINGLE = ["province", "route", "role", "age", "child", "ethnicity", "destination"]


@dataclasses.dataclass
class Counts:
    """What one measure's query gave: `cells[table suffix][(row, column)]`."""

    total: int = 0
    trend: dict = dataclasses.field(default_factory=dict)  # bucket key → persons
    cells: dict = dataclasses.field(default_factory=dict)
    # suffix → row → (services, persons, cost)
    costs: dict = dataclasses.field(default_factory=dict)
    shares: dict = dataclasses.field(default_factory=dict)  # re-trafficking: see `_shares`


def _bucket_sql(start: str, granularity: str) -> str:
    """periods.bucket_key in SQL, of a bucket's first day (`_bucket_start`)."""
    if granularity == Granularity.YEAR:
        return f"to_char({start}, 'FMYYYY')"
    if granularity == Granularity.QUARTER:
        return f"to_char({start}, 'FMYYYY') || '-Q' || to_char({start}, 'Q')"
    return f"to_char({start}, 'FMYYYY-MM')"


def _bucket_start(day: str, granularity: str) -> str:
    """The first day of `day`'s bucket: facts are grouped by it and only the groups are
    named (`_bucket_sql`), as formatting every fact's date cost more than counting."""
    unit = {Granularity.YEAR: "year", Granularity.QUARTER: "quarter"}.get(granularity, "month")
    return f"date_trunc('{unit}', {day}::timestamp)::date"


def _fact_scope(provinces) -> str:
    """Facts of a province scope: the unit recorded, or its successor, is in it."""
    if provinces is None:
        return ""
    return "AND (f.scope_a = ANY(%(provinces)s) OR f.scope_b = ANY(%(provinces)s))"


def _facts_sql(kind: int, provinces) -> str:
    """The period's facts of one kind, read from the facts kept ready (`factstore`), with
    the local day of the person's previous fact of the kind (`before`), her next
    decision's day and, for a service, whether it is her first of the period of its
    support type, payer and funding source (`factstore._chains`)."""
    if kind == factstore.KIND_RECEPTION:
        when = "f.at >= %(start_at)s AND f.at < %(end_before)s"
        t, day = "f.at", "(f.at AT TIME ZONE %(tz)s)::date"
        before = "(f.prior_at AT TIME ZONE %(tz)s)::date"
    else:
        when = "f.day >= %(start)s AND f.day <= %(end)s"
        t, day = "f.day", "f.day"
        before = "f.prior_day"
    firsts = ""
    if kind == factstore.KIND_SERVICE:
        firsts = "".join(
            f", (f.prior_{chain}_day IS NULL OR f.prior_{chain}_day < %(start)s) AS new_{chain}"
            for chain in ("type", "payer", "source")
        )
    return f"""
        SELECT f.event_id AS id, {t} AS t, {day} AS day, f.person, f.re, f.province,
            {factstore.LABEL_COLUMNS}, f.forms, f.status, f.support_type, f.cost, f.paid_by,
            f.funding_source, {before} AS before, f.next_day{firsts}
        FROM {factstore.TABLE} f
        WHERE f.kind = {kind} AND {when} {_fact_scope(provinces)}
    """


_CELLS = """
    SELECT CASE {which} END, COALESCE({keys}), k_sex, count(*), 0::bigint, 0::numeric
    FROM firsts GROUP BY GROUPING SETS ({sets})
""".format(
    which=" ".join(f"WHEN GROUPING(k_{key}) = 0 THEN '{key}'" for key in SINGLE),
    keys=", ".join(f"k_{key}" for key in SINGLE),
    sets=", ".join(f"(k_{key}, k_sex)" for key in SINGLE),
)

# The forms recorded (comma-separated) as rows, unnested in the select list: a lateral
# function scan per fact cost more.
_FORMS = f"""
    SELECT 'exploitation', form, k_sex, count(DISTINCT person), 0::bigint, 0::numeric
    FROM (
        SELECT person, k_sex, unnest(COALESCE(
            NULLIF(array_remove(string_to_array(forms, ','), ''), '{{}}'), ARRAY['{UNKNOWN}']
        )) AS form
        FROM facts
    ) recorded
    GROUP BY form, k_sex
"""

# Her first fact before the reorganisation is her first of the period, if that is before.
_FORMER_CHAINED = """
    SELECT 'former_province', k_former, k_sex, count(*), 0::bigint, 0::numeric
    FROM firsts WHERE day < %(reorganisation)s GROUP BY k_former, k_sex
"""

_FORMER = """
    SELECT 'former_province', k_former, k_sex, count(*), 0::bigint, 0::numeric
    FROM (
        SELECT DISTINCT ON (person) person, k_former, k_sex FROM facts
        WHERE day < %(reorganisation)s ORDER BY person, t, id
    ) before
    GROUP BY k_former, k_sex
"""

# A period wholly before the reorganisation: each person's first fact before it is her first.
_FORMER_FROM_FIRSTS = """
    SELECT 'former_province', k_former, k_sex, count(*), 0::bigint, 0::numeric
    FROM firsts GROUP BY k_former, k_sex
"""

_TOTAL = """
    SELECT 'total', '', '', count(*), 0::bigint, 0::numeric FROM firsts
"""


def _trend(granularity: str, chained: bool) -> str:
    if chained:
        # A person counts in a bucket at her first fact in it (and in the period).
        persons = f"count(*) FILTER (WHERE {_first_since('GREATEST(bucket, %(start)s)')})"
        columns = "before"
    else:
        persons, columns = "count(DISTINCT person)", "person"
    return f"""
        SELECT 'trend', {_bucket_sql("bucket", granularity)}, '', {persons},
            0::bigint, 0::numeric
        FROM (SELECT {columns}, {_bucket_start("day", granularity)} AS bucket FROM facts) days
        GROUP BY bucket
    """


def _shares(granularity: str) -> str:
    """Re-trafficking, from each person's first reception of the period: persons (a) and
    those received on a case that follows an earlier one (b), overall, by province, by
    bucket."""
    return f"""
        SELECT 're_trafficking', CASE WHEN GROUPING(province) = 0 THEN 'province'
                WHEN GROUPING(bucket) = 0 THEN 'time' ELSE 'overall' END,
            COALESCE(province::text, {_bucket_sql("bucket", granularity)}, ''), count(*),
            count(*) FILTER (WHERE flag), 0::numeric
        FROM (
            SELECT province, {_bucket_start("day", granularity)} AS bucket, any_re AS flag
            FROM firsts
        ) persons
        GROUP BY GROUPING SETS ((), (province), (bucket))
    """


# Each person's latest decision: the one whose next decision is after the period.
_STATUS_CHAINED = """
    SELECT 'status', status, k_sex, count(*), 0::bigint, 0::numeric
    FROM every_decision WHERE next_day IS NULL OR next_day > %(end)s
    GROUP BY status, k_sex
"""

_STATUS = """
    SELECT 'status', status, k_sex, count(*), 0::bigint, 0::numeric
    FROM (
        SELECT DISTINCT ON (person) status, k_sex FROM every_decision
        ORDER BY person, t DESC, id DESC
    ) latest
    GROUP BY status, k_sex
"""


def _support(chained: bool) -> str:
    persons = "count(*) FILTER (WHERE new_type)" if chained else "count(DISTINCT person)"
    return f"""
        SELECT 'support_type', support_type, k_sex, {persons}, 0::bigint, 0::numeric
        FROM facts GROUP BY support_type, k_sex
    """


_COSTS = f"""
    SELECT 'cost', CASE WHEN GROUPING(paid_by_key) = 0 THEN 'paid_by'
            WHEN GROUPING(source_key) = 0 THEN 'funding_source' ELSE 'support_type' END,
        COALESCE(paid_by_key, source_key, support_type),
        count(*), count(DISTINCT person), sum(trunc(COALESCE(cost, 0))),
        min((t - DATE '1900-01-01')::bigint * 10000000000 + id) AS first
    FROM (
        SELECT person, cost, support_type, t, id,
            COALESCE(paid_by::text, '{UNKNOWN}') AS paid_by_key,
            COALESCE(NULLIF(btrim(funding_source, %(whitespace)s), ''), '{UNKNOWN}')
                AS source_key
        FROM facts
    ) services
    GROUP BY GROUPING SETS ((paid_by_key), (source_key), (support_type))
"""

# Chained, a person counts at her first service of the period with that payer, funding
# source or support type, so the services can be grouped by the values as recorded and
# only the groups keyed (a funding source trimmed), summed where two keys are one.
_COSTS_CHAINED = f"""
    SELECT 'cost', tbl, key, sum(services)::bigint, sum(persons)::bigint, sum(total),
        min(first)
    FROM (
        SELECT CASE WHEN GROUPING(paid_by) = 0 THEN 'paid_by'
                WHEN GROUPING(funding_source) = 0 THEN 'funding_source'
                ELSE 'support_type' END AS tbl,
            CASE WHEN GROUPING(paid_by) = 0 THEN COALESCE(paid_by::text, '{UNKNOWN}')
                WHEN GROUPING(funding_source) = 0 THEN
                    COALESCE(NULLIF(btrim(funding_source, %(whitespace)s), ''), '{UNKNOWN}')
                ELSE support_type END AS key,
            count(*) AS services,
            CASE WHEN GROUPING(paid_by) = 0 THEN count(*) FILTER (WHERE new_payer)
                WHEN GROUPING(funding_source) = 0 THEN count(*) FILTER (WHERE new_source)
                ELSE count(*) FILTER (WHERE new_type) END AS persons,
            sum(trunc(COALESCE(cost, 0))) AS total,
            min((t - DATE '1900-01-01')::bigint * 10000000000 + id) AS first
        FROM facts GROUP BY GROUPING SETS ((paid_by), (funding_source), (support_type))
    ) recorded
    GROUP BY tbl, key
"""


def _params(period: Period, provinces) -> dict:
    return {
        "tz": timezone.get_current_timezone_name(),
        "start_at": period.start_at,
        "end_before": period.end_before,
        "start": period.start,
        "end": period.end,
        "provinces": list(provinces) if provinces is not None else None,
        "reorganisation": REORGANISATION_DATE,
        "delivered": Service.Status.DELIVERED,
        "whitespace": factstore.whitespace(),
        "victim": IdentificationStatus.VICTIM,
    }


def _run(using: str, sql: str, params: dict) -> list[tuple]:
    """Rows of `sql`, run without JIT compilation (it costs more than it saves on these
    one-off plans) and with room to sort the period's facts in memory."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = {REPORT_PARALLEL_WORKERS}")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _first_since(start: str) -> str:
    """Whether a fact is its person's first since `start` (a date): her previous fact of
    the kind (`before`) is earlier, or she has none."""
    return f"(before IS NULL OR before < {start})"


def _firsts(key: str, chained: bool) -> str:
    """Each person's first fact of the period; for re-trafficking (`_shares`) also whether
    any of her facts is on a case that follows an earlier one. Nationally the chains say
    which fact is her first; a province scope leaves some of her facts out, so there the
    period's facts are sorted by person."""
    received = key == "received"
    if chained:
        any_re = ", person IN (SELECT person FROM facts WHERE re) AS any_re" if received else ""
        return f"SELECT *{any_re} FROM facts WHERE {_first_since('%(start)s')}"
    # Over the whole of each person's facts, ordered as DISTINCT ON orders them, so that
    # both use one sort.
    any_re = (
        ", bool_or(re) OVER (PARTITION BY person ORDER BY t, id ROWS BETWEEN UNBOUNDED "
        "PRECEDING AND UNBOUNDED FOLLOWING) AS any_re"
        if received
        else ""
    )
    return f"SELECT DISTINCT ON (person) *{any_re} FROM facts ORDER BY person, t, id"


def measure(
    key: str, period: Period, provinces, granularity: str, using: str = "default"
) -> Counts:
    """The cells, total and trend of one measure ("received", "identified", "supported")."""
    chained = provinces is None
    parts = [_CELLS, _FORMS, _TOTAL, _trend(granularity, chained)]
    if period.end < REORGANISATION_DATE:
        parts.append(_FORMER_FROM_FIRSTS)
    elif period.before_reorganisation:
        parts.append(_FORMER_CHAINED if chained else _FORMER)
    if key == "received":
        ctes = f"facts AS MATERIALIZED ({_facts_sql(factstore.KIND_RECEPTION, provinces)})"
        parts.append(_shares(granularity))
    elif key == "identified":
        ctes = (
            "every_decision AS MATERIALIZED "
            f"({_facts_sql(factstore.KIND_DECISION, provinces)}), "
            "facts AS MATERIALIZED (SELECT * FROM every_decision WHERE status = %(victim)s)"
        )
        parts.append(_STATUS_CHAINED if chained else _STATUS)
    else:
        ctes = f"facts AS MATERIALIZED ({_facts_sql(factstore.KIND_SERVICE, provinces)})"
        parts.append(_support(chained))
    # The seventh column orders the cost rows as the services came (see cost_tables).
    selects = [f"(SELECT *, NULL::bigint FROM ({part}) cells)" for part in parts]
    if key == "supported":
        selects.append(f"({_COSTS_CHAINED if chained else _COSTS})")
    # Chained, each part reads the firsts straight from the facts: cheaper than a copy.
    kept = "NOT MATERIALIZED" if chained else "MATERIALIZED"
    sql = (
        f"WITH {ctes}, firsts AS {kept} ({_firsts(key, chained)}) "
        + " UNION ALL ".join(selects)
        + " ORDER BY 7 NULLS FIRST"
    )
    params = _params(period, provinces)
    counts = Counts()
    for table, row, column, a, b, c, _first in _run(using, sql, params):
        if table == "total":
            counts.total = a
        elif table == "trend":
            counts.trend[row] = a
        elif table == "cost":
            counts.costs.setdefault(row, {})[column] = (a, b, int(c))
        elif table == "re_trafficking":
            counts.shares.setdefault(row, {})[column] = (a, b)
        else:
            counts.cells.setdefault(table, {})[(row, column)] = a
    return counts


def days_since_opened(
    kind: str, period: Period, provinces, granularity: str, using: str = "default"
) -> dict:
    """Days from the case's opening to its first decision ("identification") or first
    service delivered ("service"), per case whose first such event falls in the period:
    {"overall" | "province" | "time": {key: (cases, median days)}}."""
    fact_kind = factstore.KIND_DECISION if kind == "identification" else factstore.KIND_SERVICE
    sql = f"""
        SELECT f.province, f.day, f.day - (f.opened_at AT TIME ZONE %(tz)s)::date AS value
        FROM {factstore.TABLE} f
        WHERE f.kind = {fact_kind} AND f.first_of_case
            AND f.day >= %(start)s AND f.day <= %(end)s {_fact_scope(provinces)}
    """
    return grouped(sql, "days", period, provinces, granularity, using)


def grouped(
    samples: str, kind: str, period: Period, provinces, granularity: str, using: str
) -> dict:
    """An indicator's figures from `samples` (province, day, value: days or a flag),
    overall, by province and by bucket: {group: {key: (n, median days | flagged)}}."""
    value = (
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY value)"
        if kind == "days"
        else "count(*) FILTER (WHERE value)"
    )
    sql = f"""
        WITH samples AS ({samples})
        SELECT CASE WHEN GROUPING(province) = 0 THEN 'province'
                WHEN GROUPING(bucket) = 0 THEN 'time' ELSE 'overall' END,
            COALESCE(province::text, {_bucket_sql("bucket", granularity)}, ''), count(*),
            {value}
        FROM (
            SELECT province, {_bucket_start("day", granularity)} AS bucket, value
            FROM samples
        ) s
        GROUP BY GROUPING SETS ((), (province), (bucket))
    """
    found: dict = {"overall": {}, "province": {}, "time": {}}
    for group, key, n, figure in _run(using, sql, _params(period, provinces)):
        found[group][key] = (n, figure)
    return found


def visits_on_time(period: Period, provinces, granularity: str, using: str) -> dict:
    """Visits due in the period and already due today: on time if made by the due date."""
    last_day = min(period.end, timezone.localdate()).isoformat()
    sql = f"""
        SELECT f.province, f.day, f.flag AS value FROM {factstore.TABLE} f
        WHERE f.kind = {factstore.KIND_VISIT} AND f.day >= %(start)s
            AND f.day <= '{last_day}'::date {_fact_scope(provinces)}
    """
    return grouped(sql, "share", period, provinces, granularity, using)


def referrals(period: Period, provinces, granularity: str, using: str) -> tuple:
    """(days from sending to acceptance, accepted of those answered), by the local day a
    referral was sent, as indicators.referral_indicators counts them: both from one pass
    over the period's referrals, each as `grouped` gives it."""
    sent = "(f.at AT TIME ZONE %(tz)s)::date"
    is_accepted = "f.status IN ('accepted', 'completed')"
    sql = f"""
        SELECT CASE WHEN GROUPING(province) = 0 THEN 'province'
                WHEN GROUPING(bucket) = 0 THEN 'time' ELSE 'overall' END,
            COALESCE(province::text, {_bucket_sql("bucket", granularity)}, ''),
            count(waited), percentile_cont(0.5) WITHIN GROUP (ORDER BY waited),
            count(*) FILTER (WHERE answered), count(*) FILTER (WHERE answered AND accepted)
        FROM (
            SELECT f.province, {_bucket_start(sent, granularity)} AS bucket,
                {is_accepted} AS accepted,
                f.status IN ('accepted', 'completed', 'declined') AS answered,
                CASE WHEN {is_accepted} THEN (f.until AT TIME ZONE %(tz)s)::date - {sent} END
                    AS waited
            FROM {factstore.TABLE} f
            WHERE f.kind = {factstore.KIND_REFERRAL}
                AND f.at >= %(start_at)s AND f.at < %(end_before)s {_fact_scope(provinces)}
        ) s
        GROUP BY GROUPING SETS ((), (province), (bucket))
    """
    days: dict = {"overall": {}, "province": {}, "time": {}}
    answers: dict = {"overall": {}, "province": {}, "time": {}}
    for group, key, waited, median, answered, accepted in _run(
        using, sql, _params(period, provinces)
    ):
        # As counted apart: a province or bucket only where it has referrals of the kind.
        if waited or group == "overall":
            days[group][key] = (waited, median)
        if answered or group == "overall":
            answers[group][key] = (answered, accepted)
    return days, answers


MEASURES = ("received", "identified", "supported")


def tasks(period: Period, provinces, granularity: str, with_indicators: bool, using: str):
    """Every query of a report as {name: callable}: the three measures and, if asked, the
    fact-based indicators. Independent of one another, so `run_all` may run them at once."""
    # The longest first (services, then receptions), so that two at a time end together.
    found = {
        key: functools.partial(measure, key, period, provinces, granularity, using)
        for key in ("supported", "received", "identified")
    }
    if not with_indicators:
        return found
    from haven.reports.indicators import _referral_model

    if _referral_model() is not None:
        found["referrals"] = functools.partial(referrals, period, provinces, granularity, using)
    for kind in ("identification", "service"):
        found[f"days_to_{kind}"] = functools.partial(
            days_since_opened, kind, period, provinces, granularity, using
        )
    found["visits_on_time"] = functools.partial(
        visits_on_time, period, provinces, granularity, using
    )
    return found


def run_all(named: dict, using: str, progress=None) -> dict:
    """{name: result} of every callable in `named`. Outside a transaction they run two at a
    time, each on a connection of its own (the machine's cores, not one after another);
    inside one (tests, or a caller's atomic block) in turn, since another connection would
    not see the caller's rows."""
    step = progress or (lambda done, name: None)
    if connections[using].in_atomic_block or len(named) < 2:
        results = {}
        for done, (name, call) in enumerate(named.items()):
            step(done, name)
            results[name] = call()
        return results

    def on_own_connection(call):
        try:
            return call()
        finally:
            connections[using].close()

    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES) as pool:
        futures = {pool.submit(on_own_connection, call): name for name, call in named.items()}
        results = {}
        for done, future in enumerate(as_completed(futures)):
            step(done, futures[future])
            results[futures[future]] = future.result()
    return results


def indicators_from(results: dict, counted: dict) -> dict:
    """The indicators of `tasks`' results (and the measures' costs and re-trafficking)."""
    from haven.reports.indicators import from_groups

    costs = counted["supported"].costs.get("support_type", {})
    found = {}
    if "referrals" in results:
        days, answers = results["referrals"]
        found["referrals"] = [
            from_groups("referral_days", "days", days),
            from_groups("referral_accepted", "share", answers),
        ]
    return found | {
        "days_to_identification": from_groups(
            "days_to_identification", "days", results["days_to_identification"]
        ),
        "days_to_first_service": from_groups(
            "days_to_first_service", "days", results["days_to_service"]
        ),
        "re_trafficking": from_groups("re_trafficking", "share", counted["received"].shares),
        "visits_on_time": from_groups("visits_on_time", "share", results["visits_on_time"]),
        "funds_used": sum(cost for _services, _persons, cost in costs.values()),
    }
