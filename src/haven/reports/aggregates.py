# ruff: noqa: S608 (queries are assembled from this module's constants; values are bound)
"""The statistics counted in the database (PostgreSQL only): the same numbers as counting
`facts` in Python (`statistics`, the reference, which SQLite keeps using), without
carrying every event of the period into Python.

One query per measure builds the period's facts as `facts` does (canonical person, the
canonical record's values, local dates, the first reception of a case as its origin) and
returns every cell of that measure's tables, its total and its trend, as
(table, row, column, a, b, c) rows. Single-valued breakdowns count each person's first
fact (`DISTINCT ON (person)`) through one `GROUPING SETS`; many-valued ones count distinct
persons per value. Row and column keys are the strings the Python path produces.
"""

import dataclasses
import functools
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.db import connections, transaction
from django.utils import timezone

from haven.cases.models import IdentificationStatus
from haven.places.models import REORGANISATION_DATE
from haven.reports.periods import Granularity, Period
from haven.support.models import Service

UNKNOWN = "unknown"
# Queries of one report run at once, each on its own connection (`run_all`).
PARALLEL_QUERIES = 2


@functools.cache
def whitespace() -> str:
    """Every character Python's str.strip() removes, so a funding source is trimmed alike."""
    return "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


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


def _age_sql(age: str) -> tuple[str, str]:
    """(age group, child or adult) of an age expression, as statistics.age_group and
    child_or_adult decide them."""
    from haven.reports.statistics import ADULT_AGE, AGE_GROUPS

    groups = " ".join(
        f"WHEN {age} BETWEEN {low} AND {high} THEN '{key}'" for key, _l, low, high in AGE_GROUPS
    )
    group = f"CASE {groups} ELSE '{UNKNOWN}' END"
    child = (
        f"CASE WHEN {age} IS NULL THEN '{UNKNOWN}' WHEN {age} < {ADULT_AGE} THEN 'child' "
        "ELSE 'adult' END"
    )
    return group, child


def _bucket_sql(day: str, granularity: str) -> str:
    """periods.bucket_key in SQL."""
    if granularity == Granularity.YEAR:
        return f"to_char({day}, 'FMYYYY')"
    if granularity == Granularity.QUARTER:
        return f"to_char({day}, 'FMYYYY') || '-Q' || to_char({day}, 'Q')"
    return f"to_char({day}, 'FMYYYY-MM')"


PERSON_JOINS = """
    JOIN cases_case c ON c.id = e.case_id
    JOIN people_person p ON p.id = c.person_id
    LEFT JOIN people_person m ON m.id = p.merged_into_id
"""

PERSON_COLUMNS = """
    COALESCE(p.merged_into_id, p.id) AS person,
    COALESCE(m.sex, p.sex) AS sex,
    COALESCE(m.ethnicity_id, p.ethnicity_id) AS ethnicity,
    c.previous_case_id IS NOT NULL AS re
"""


def _received_sql(scoped: bool) -> str:
    where = (
        "AND (e.province_id = ANY(%(provinces)s) OR rp.successor_id = ANY(%(provinces)s))"
        if scoped
        else ""
    )
    return f"""
        SELECT e.id, e.received_at AS t, (e.received_at AT TIME ZONE %(tz)s)::date AS day,
            {PERSON_COLUMNS},
            COALESCE(rp.successor_id, e.province_id) AS province,
            CASE WHEN rp.successor_id IS NOT NULL THEN e.province_id END AS former,
            e.entry_route AS route, o.framework_role AS role,
            e.age_at_reception AS age,
            e.destination_country_id AS destination, e.exploitation_forms AS forms,
            ''::text AS status, ''::text AS support_type, NULL::numeric AS cost,
            NULL::integer AS paid_by, ''::text AS funding_source
        FROM cases_reception e
        JOIN places_province rp ON rp.id = e.province_id
        LEFT JOIN agencies_organisation o ON o.id = e.received_by_id
        {PERSON_JOINS}
        WHERE e.received_at >= %(start_at)s AND e.received_at < %(end_before)s {where}
    """


def _case_event_sql(table: str, day: str, extra: str, condition: str, scoped: bool) -> str:
    """Facts of case events (decisions, services): the person's age on the day, and what
    the case's first reception recorded (its origin).

    What belongs to the case (its person, province and origin) is looked up once per case
    of the period rather than per event, and the origin through the index on a case's
    receptions in order (reports migration 0005) rather than by sorting every reception."""
    where = (
        "AND (c.province_id = ANY(%(provinces)s) OR cp.successor_id = ANY(%(provinces)s))"
        if scoped
        else ""
    )
    born = "COALESCE(m.date_of_birth, p.date_of_birth)"
    return f"""
        WITH events AS MATERIALIZED (
            SELECT e.id, e.case_id, e.{day} AS day, {extra} FROM {table} e WHERE {condition}
        ), per_case AS MATERIALIZED (
            SELECT c.id AS case_id, {PERSON_COLUMNS},
                {born} AS born, COALESCE(m.birth_year, p.birth_year) AS birth_year,
                c.province_id AS province,
                CASE WHEN origin.reorganised THEN origin.province_id END AS former,
                origin.route,
                (%(roles)s::text[])[array_position(%(role_orgs)s::int[], origin.received_by_id)]
                    AS role,
                origin.destination, origin.forms
            FROM (SELECT DISTINCT case_id FROM events) ids
            JOIN cases_case c ON c.id = ids.case_id
            JOIN people_person p ON p.id = c.person_id
            LEFT JOIN people_person m ON m.id = p.merged_into_id
            JOIN places_province cp ON cp.id = c.province_id
            LEFT JOIN LATERAL (
                SELECT r.province_id, r.received_by_id, r.entry_route AS route,
                    r.destination_country_id AS destination, r.exploitation_forms AS forms,
                    r.province_id = ANY(%(reorganised)s::int[]) AS reorganised
                FROM cases_reception r
                WHERE r.case_id = c.id
                ORDER BY r.received_at, r.id
                LIMIT 1
            ) origin ON TRUE
            WHERE TRUE {where}
        )
        SELECT e.id, e.day AS t, e.day, k.person, k.sex, k.ethnicity, k.re,
            k.province, k.former, k.route, k.role,
            CASE
                WHEN k.born IS NOT NULL THEN
                    extract(year FROM e.day)::int - extract(year FROM k.born)::int
                    - CASE WHEN to_char(e.day, 'MMDD') < to_char(k.born, 'MMDD')
                        THEN 1 ELSE 0 END
                WHEN k.birth_year <> 0 THEN
                    GREATEST(extract(year FROM e.day)::int - k.birth_year - 1, 0)
            END AS age,
            k.destination, k.forms,
            e.status, e.support_type, e.cost, e.paid_by, e.funding_source
        FROM events e JOIN per_case k USING (case_id)
    """


def _decisions_sql(scoped: bool) -> str:
    return _case_event_sql(
        "cases_identificationdecision",
        "decided_on",
        "e.status::text AS status, ''::text AS support_type, NULL::numeric AS cost, "
        "NULL::integer AS paid_by, ''::text AS funding_source",
        "e.decided_on >= %(start)s AND e.decided_on <= %(end)s",
        scoped,
    )


def _services_sql(scoped: bool) -> str:
    return _case_event_sql(
        "support_service",
        "starts_on",
        "''::text AS status, e.support_type::text AS support_type, e.cost, "
        "e.paid_by_id AS paid_by, e.funding_source::text AS funding_source",
        "e.status = %(delivered)s AND e.starts_on >= %(start)s AND e.starts_on <= %(end)s",
        scoped,
    )


def _keyed(source: str, condition: str = "TRUE") -> str:
    """The facts of `source` with the row key of every breakdown, as text."""
    group, child = _age_sql("age")
    return f"""
        SELECT id, t, day, person, re, province,
            COALESCE(province::text, '{UNKNOWN}') AS k_province,
            COALESCE(former::text, '{UNKNOWN}') AS k_former,
            COALESCE(NULLIF(route, ''), '{UNKNOWN}') AS k_route,
            COALESCE(NULLIF(role, ''), '{UNKNOWN}') AS k_role,
            CASE WHEN sex IN ('F', 'M') THEN sex ELSE 'X' END AS k_sex,
            {group} AS k_age,
            {child} AS k_child,
            COALESCE(ethnicity::text, '{UNKNOWN}') AS k_ethnicity,
            COALESCE(destination::text, '{UNKNOWN}') AS k_destination,
            array_remove(string_to_array(COALESCE(forms, ''), ','), '') AS forms,
            status, support_type, cost, paid_by, funding_source
        FROM {source} WHERE {condition}
    """


_CELLS = """
    SELECT CASE {which} END, COALESCE({keys}), k_sex, count(*), 0::bigint, 0::numeric
    FROM firsts GROUP BY GROUPING SETS ({sets})
""".format(
    which=" ".join(f"WHEN GROUPING(k_{key}) = 0 THEN '{key}'" for key in SINGLE),
    keys=", ".join(f"k_{key}" for key in SINGLE),
    sets=", ".join(f"(k_{key}, k_sex)" for key in SINGLE),
)

_FORMS = f"""
    SELECT 'exploitation', form, k_sex, count(DISTINCT person), 0::bigint, 0::numeric
    FROM facts CROSS JOIN LATERAL unnest(
        CASE WHEN cardinality(forms) = 0 THEN ARRAY['{UNKNOWN}'] ELSE forms END
    ) AS form
    GROUP BY form, k_sex
"""

_FORMER = """
    SELECT 'former_province', k_former, k_sex, count(*), 0::bigint, 0::numeric
    FROM (
        SELECT DISTINCT ON (person) person, k_former, k_sex FROM facts
        WHERE day < %(reorganisation)s ORDER BY person, t, id
    ) before
    GROUP BY k_former, k_sex
"""

_TOTAL = """
    SELECT 'total', '', '', count(DISTINCT person), 0::bigint, 0::numeric FROM facts
"""


def _trend(granularity: str) -> str:
    return f"""
        SELECT 'trend', bucket, '', count(DISTINCT person), 0::bigint, 0::numeric
        FROM (SELECT person, {_bucket_sql("day", granularity)} AS bucket FROM facts) days
        GROUP BY bucket
    """


def _shares(granularity: str) -> str:
    """Re-trafficking, from each person's first reception of the period: persons (a) and
    those received on a case that follows an earlier one (b), overall, by province, by
    bucket."""
    return f"""
        SELECT 're_trafficking', CASE WHEN GROUPING(province) = 0 THEN 'province'
                WHEN GROUPING(bucket) = 0 THEN 'time' ELSE 'overall' END,
            COALESCE(province::text, bucket, ''), count(*), count(*) FILTER (WHERE flag),
            0::numeric
        FROM (
            SELECT f.province, {_bucket_sql("f.day", granularity)} AS bucket, g.flag
            FROM firsts f JOIN (
                SELECT person, bool_or(re) AS flag FROM facts GROUP BY person
            ) g USING (person)
        ) persons
        GROUP BY GROUPING SETS ((), (province), (bucket))
    """


_STATUS = """
    SELECT 'status', status, k_sex, count(*), 0::bigint, 0::numeric
    FROM (
        SELECT DISTINCT ON (person) status, k_sex FROM every_decision
        ORDER BY person, t DESC, id DESC
    ) latest
    GROUP BY status, k_sex
"""

_SUPPORT = """
    SELECT 'support_type', support_type, k_sex, count(DISTINCT person), 0::bigint, 0::numeric
    FROM facts GROUP BY support_type, k_sex
"""

_COSTS = f"""
    SELECT 'cost', CASE WHEN GROUPING(paid_by_key) = 0 THEN 'paid_by'
            WHEN GROUPING(source_key) = 0 THEN 'funding_source' ELSE 'support_type' END,
        COALESCE(paid_by_key, source_key, support_type),
        count(*), count(DISTINCT person), sum(trunc(COALESCE(cost, 0))),
        min(to_char(t, 'YYYYMMDD') || lpad(id::text, 20, '0')) AS first
    FROM (
        SELECT person, cost, support_type, t, id,
            COALESCE(paid_by::text, '{UNKNOWN}') AS paid_by_key,
            COALESCE(NULLIF(btrim(funding_source, %(whitespace)s), ''), '{UNKNOWN}')
                AS source_key
        FROM facts
    ) services
    GROUP BY GROUPING SETS ((paid_by_key), (source_key), (support_type))
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
        "whitespace": whitespace(),
        "victim": IdentificationStatus.VICTIM,
    }


def _lookups(using: str) -> dict:
    """The small reference tables the case events read per case, as arrays: joining them
    row by row made PostgreSQL scan them once per case."""
    from haven.agencies.models import Organisation
    from haven.places.models import Province

    roles = list(Organisation.objects.using(using).values_list("id", "framework_role"))
    return {
        "role_orgs": [pk for pk, _role in roles],
        "roles": [role for _pk, role in roles],
        "reorganised": list(
            Province.objects.using(using)
            .filter(successor__isnull=False)
            .values_list("id", flat=True)
        ),
    }


def _run(using: str, sql: str, params: dict) -> list[tuple]:
    """Rows of `sql`, run without JIT compilation (it costs more than it saves on these
    one-off plans) and with room to sort the period's facts in memory."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def measure(
    key: str, period: Period, provinces, granularity: str, using: str = "default"
) -> Counts:
    """The cells, total and trend of one measure ("received", "identified", "supported")."""
    scoped = provinces is not None
    parts = [_CELLS, _FORMS, _TOTAL, _trend(granularity)]
    if period.before_reorganisation:
        parts.append(_FORMER)
    if key == "received":
        ctes = (
            f"raw AS MATERIALIZED ({_received_sql(scoped)}), "
            f"facts AS MATERIALIZED ({_keyed('raw')})"
        )
        parts.append(_shares(granularity))
    elif key == "identified":
        ctes = (
            f"raw AS MATERIALIZED ({_decisions_sql(scoped)}), "
            f"every_decision AS MATERIALIZED ({_keyed('raw')}), "
            "facts AS MATERIALIZED (SELECT * FROM every_decision WHERE status = %(victim)s)"
        )
        parts.append(_STATUS)
    else:
        ctes = (
            f"raw AS MATERIALIZED ({_services_sql(scoped)}), "
            f"facts AS MATERIALIZED ({_keyed('raw')})"
        )
        parts.append(_SUPPORT)
    # The seventh column orders the cost rows as the services came (see cost_tables).
    selects = [f"(SELECT *, ''::text FROM ({part}) cells)" for part in parts]
    if key == "supported":
        selects.append(f"({_COSTS})")
    sql = (
        f"WITH {ctes}, "
        "firsts AS MATERIALIZED (SELECT DISTINCT ON (person) * FROM facts ORDER BY person, t, id) "
        + " UNION ALL ".join(selects)
        + " ORDER BY 7"
    )
    params = _params(period, provinces) | (_lookups(using) if key != "received" else {})
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
    scoped = provinces is not None
    if kind == "identification":
        table, day, condition = "cases_identificationdecision", "decided_on", "TRUE"
    else:
        table, day, condition = "support_service", "starts_on", "{alias}.status = %(delivered)s"
    where = (
        "AND (c.province_id = ANY(%(provinces)s) OR cp.successor_id = ANY(%(provinces)s))"
        if scoped
        else ""
    )
    sql = f"""
        WITH firsts AS (
            SELECT DISTINCT ON (e.case_id) e.case_id, c.province_id AS province,
                e.{day} AS day, e.{day} - (c.opened_at AT TIME ZONE %(tz)s)::date AS days
            FROM {table} e
            JOIN cases_case c ON c.id = e.case_id
            JOIN places_province cp ON cp.id = c.province_id
            WHERE {condition.format(alias="e")}
                AND e.{day} >= %(start)s AND e.{day} <= %(end)s {where}
            ORDER BY e.case_id, e.{day}, e.id
        )
        SELECT province, day, days AS value FROM firsts f
        WHERE NOT EXISTS (
            SELECT 1 FROM {table} earlier
            WHERE earlier.case_id = f.case_id AND {condition.format(alias="earlier")}
                AND earlier.{day} < %(start)s
        )
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
            COALESCE(province::text, bucket, ''), count(*), {value}
        FROM (
            SELECT province, {_bucket_sql("day", granularity)} AS bucket, value FROM samples
        ) s
        GROUP BY GROUPING SETS ((), (province), (bucket))
    """
    found: dict = {"overall": {}, "province": {}, "time": {}}
    for group, key, n, figure in _run(using, sql, _params(period, provinces)):
        found[group][key] = (n, figure)
    return found


def _case_scope(provinces) -> str:
    if provinces is None:
        return ""
    return "AND (c.province_id = ANY(%(provinces)s) OR cp.successor_id = ANY(%(provinces)s))"


def visits_on_time(period: Period, provinces, granularity: str, using: str) -> dict:
    """Visits due in the period and already due today: on time if made by the due date."""
    last_day = min(period.end, timezone.localdate()).isoformat()
    sql = f"""
        SELECT c.province_id AS province, v.due_on AS day,
            (v.visited_on IS NOT NULL AND v.visited_on <= v.due_on) AS value
        FROM support_followupvisit v
        JOIN cases_case c ON c.id = v.case_id
        JOIN places_province cp ON cp.id = c.province_id
        WHERE v.due_on >= %(start)s AND v.due_on <= '{last_day}'::date {_case_scope(provinces)}
    """
    return grouped(sql, "share", period, provinces, granularity, using)


def referrals(table: str, period: Period, provinces, granularity: str, using: str) -> tuple:
    """(days from sending to acceptance, accepted of those answered), by the local day a
    referral was sent, as indicators.referral_indicators counts them."""
    sent = "(x.created_at AT TIME ZONE %(tz)s)::date"
    source = f"""
        FROM {table} x
        JOIN cases_case c ON c.id = x.case_id
        JOIN places_province cp ON cp.id = c.province_id
        WHERE x.created_at >= %(start_at)s AND x.created_at < %(end_before)s
            {_case_scope(provinces)}
    """
    accepted = "x.status IN ('accepted', 'completed')"
    days = f"""
        SELECT c.province_id AS province, {sent} AS day,
            (x.decided_at AT TIME ZONE %(tz)s)::date - {sent} AS value
        {source} AND {accepted} AND x.decided_at IS NOT NULL
    """
    answers = f"""
        SELECT c.province_id AS province, {sent} AS day, {accepted} AS value
        {source} AND x.status IN ('accepted', 'completed', 'declined')
    """
    return (
        grouped(days, "days", period, provinces, granularity, using),
        grouped(answers, "share", period, provinces, granularity, using),
    )


MEASURES = ("received", "identified", "supported")


def tasks(period: Period, provinces, granularity: str, with_indicators: bool, using: str):
    """Every query of a report as {name: callable}: the three measures and, if asked, the
    fact-based indicators. Independent of one another, so `run_all` may run them at once."""
    found = {
        key: functools.partial(measure, key, period, provinces, granularity, using)
        for key in MEASURES
    }
    if not with_indicators:
        return found
    from haven.reports.indicators import _referral_model

    referral = _referral_model()
    if referral is not None:
        found["referrals"] = functools.partial(
            referrals, referral._meta.db_table, period, provinces, granularity, using
        )
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
