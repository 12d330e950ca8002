# ruff: noqa: S608 (statements are assembled from this module's constants)
"""The statistics' facts kept ready in the database (PostgreSQL only).

A quarterly report over a million-case registry spent most of its time finding, for every
event of the period, its person (canonical after merges), the person's sex, ethnicity and
age, and what the case's first reception recorded. `StatisticsFact` holds those answers:
one row per reception, identification decision, delivered service, follow-up visit and
referral, with every value the statistics count by and the row key of each breakdown.
Triggers keep it true as the work happens: a change to an event, its case, the case's
person (or the person it is merged into), an organisation's framework role or a
province's successor recomputes the facts of the cases it touches, in the same
transaction, so a report never counts a stale fact.

A case's facts are always recomputed together (deleted and inserted again), under a
per-case advisory lock so that two transactions editing one case cannot both insert them.
SQLite counts in Python from the case tables (`facts`), so it has no triggers and the
table stays empty there.

Each fact also names when the person's previous fact of its kind came (`CHAIN_COLUMNS`,
see `_chains`), so that a national report finds each person's first fact of a period, or
of a month, without sorting the period's facts: when a case's facts change, those of every
person they belong to (before and after) are chained again, under a per-person advisory
lock.

Changing `FACTS`, `_chains` or the triggers needs a reports migration that calls `install`
again.
"""

import functools
import sys

from django.db import connections

TABLE = "reports_statisticsfact"
KIND_RECEPTION, KIND_DECISION, KIND_SERVICE = 1, 2, 3
KIND_VISIT, KIND_REFERRAL = 4, 5  # for the review indicators
LOCK_CLASS = 7312  # advisory lock namespace for a case's facts
PERSON_LOCK_CLASS = 7313  # and for a person's chains

# Per case: its person's canonical values and its origin (the first reception).
_CASES = """
    SELECT c.id AS case_id, COALESCE(p.merged_into_id, p.id) AS person,
        COALESCE(m.sex, p.sex) AS sex, COALESCE(m.ethnicity_id, p.ethnicity_id) AS ethnicity,
        COALESCE(m.date_of_birth, p.date_of_birth) AS born,
        COALESCE(m.birth_year, p.birth_year) AS birth_year,
        c.previous_case_id IS NOT NULL AS re, c.opened_at,
        c.province_id, cp.successor_id AS province_successor,
        CASE WHEN op.successor_id IS NOT NULL THEN origin.province_id END AS former,
        origin.entry_route AS route, oo.framework_role AS role,
        origin.destination_country_id AS destination, origin.exploitation_forms AS forms
    FROM cases_case c
    JOIN people_person p ON p.id = c.person_id
    LEFT JOIN people_person m ON m.id = p.merged_into_id
    JOIN places_province cp ON cp.id = c.province_id
    LEFT JOIN LATERAL (
        SELECT r.province_id, r.received_by_id, r.entry_route, r.destination_country_id,
            r.exploitation_forms
        FROM cases_reception r WHERE r.case_id = c.id ORDER BY r.received_at, r.id LIMIT 1
    ) origin ON TRUE
    LEFT JOIN places_province op ON op.id = origin.province_id
    LEFT JOIN agencies_organisation oo ON oo.id = origin.received_by_id
    WHERE {condition}
"""


def _age(day: str) -> str:
    """The person's age on `day`, as people.age_on computes it."""
    return f"""CASE
        WHEN k.born IS NOT NULL THEN
            extract(year FROM {day})::int - extract(year FROM k.born)::int
            - CASE WHEN to_char({day}, 'MMDD') < to_char(k.born, 'MMDD') THEN 1 ELSE 0 END
        WHEN k.birth_year <> 0 THEN GREATEST(extract(year FROM {day})::int - k.birth_year - 1, 0)
    END"""


RAW_COLUMNS = (
    "kind, event_id, case_id, person, at, day, opened_at, scope_a, scope_b, province, "
    "former, route, role, sex, age, ethnicity, destination, forms, re, status, "
    "support_type, cost, paid_by, funding_source, first_of_case, flag, until"
)
# The row key of every single-valued breakdown, as the report shows it (`labels`).
LABEL_COLUMNS = (
    "k_province, k_former, k_route, k_role, k_sex, k_age, k_child, k_ethnicity, k_destination"
)
COLUMNS = f"{RAW_COLUMNS}, {LABEL_COLUMNS}"
UNKNOWN = "unknown"


def age_labels(age: str) -> tuple[str, str]:
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


def _labelled(select: str) -> str:
    """`select` (rows in RAW_COLUMNS order) with the label columns after them: computed
    once when the fact is written instead of for every report."""
    group, child = age_labels("age")
    labels = [
        f"COALESCE(province::text, '{UNKNOWN}')",
        f"COALESCE(former::text, '{UNKNOWN}')",
        f"COALESCE(NULLIF(route, ''), '{UNKNOWN}')",
        f"COALESCE(NULLIF(role, ''), '{UNKNOWN}')",
        "CASE WHEN sex IN ('F', 'M') THEN sex ELSE 'X' END",
        group,
        child,
        f"COALESCE(ethnicity::text, '{UNKNOWN}')",
        f"COALESCE(destination::text, '{UNKNOWN}')",
    ]
    return f"SELECT raw.*, {', '.join(labels)} FROM ({select}) raw ({RAW_COLUMNS})"


# Every fact of the cases that meet {condition} (on `c`, the case), in RAW_COLUMNS order.
# scope_a and scope_b: a province scope keeps a fact if either is in it (the unit recorded
# and its successor). first_of_case: the case's first decision, or first delivered service.
# Follow-up visits: day is when due, flag whether made by then. Referrals: at is when sent,
# until when answered, status the answer.
# Typed, since a branch is also read as a subquery (`_labelled`), where an untyped NULL
# would be text.
_NO_ORIGIN = "NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::bigint"
_NO_SERVICE = "NULL::numeric, NULL::bigint, ''::text"

_BRANCHES = [
    (
        "at",
        f"""
    SELECT {KIND_RECEPTION}, e.id, e.case_id, k.person, e.received_at, NULL::date, k.opened_at,
        e.province_id, rp.successor_id, COALESCE(rp.successor_id, e.province_id),
        CASE WHEN rp.successor_id IS NOT NULL THEN e.province_id END,
        e.entry_route, o.framework_role, k.sex, e.age_at_reception, k.ethnicity,
        e.destination_country_id, e.exploitation_forms, k.re, ''::text, ''::text, {_NO_SERVICE},
        FALSE, NULL::boolean, NULL::timestamptz
    FROM cases_reception e
    JOIN {{cases}} k ON k.case_id = e.case_id
    JOIN places_province rp ON rp.id = e.province_id
    LEFT JOIN agencies_organisation o ON o.id = e.received_by_id
""",
    ),
    (
        "day",
        f"""
    SELECT {KIND_DECISION}, e.id, e.case_id, k.person, NULL::timestamptz, e.decided_on,
        k.opened_at, k.province_id, k.province_successor, k.province_id, k.former, k.route,
        k.role, k.sex, {_age("e.decided_on")}, k.ethnicity, k.destination, k.forms, k.re,
        e.status, ''::text, {_NO_SERVICE},
        row_number() OVER (PARTITION BY e.case_id ORDER BY e.decided_on, e.id) = 1,
        NULL::boolean, NULL::timestamptz
    FROM cases_identificationdecision e
    JOIN {{cases}} k ON k.case_id = e.case_id
""",
    ),
    (
        "day",
        f"""
    SELECT {KIND_SERVICE}, e.id, e.case_id, k.person, NULL::timestamptz, e.starts_on,
        k.opened_at, k.province_id, k.province_successor, k.province_id, k.former, k.route,
        k.role, k.sex, {_age("e.starts_on")}, k.ethnicity, k.destination, k.forms, k.re,
        ''::text, e.support_type, e.cost, e.paid_by_id, e.funding_source,
        row_number() OVER (PARTITION BY e.case_id ORDER BY e.starts_on, e.id) = 1,
        NULL::boolean, NULL::timestamptz
    FROM support_service e
    JOIN {{cases}} k ON k.case_id = e.case_id
    WHERE e.status = 'delivered'
""",
    ),
    (
        "day",
        f"""
    SELECT {KIND_VISIT}, e.id, e.case_id, k.person, NULL::timestamptz, e.due_on, k.opened_at,
        k.province_id, k.province_successor, k.province_id, {_NO_ORIGIN}, NULL::bigint,
        NULL::text, k.re, ''::text, ''::text, {_NO_SERVICE}, FALSE,
        e.visited_on IS NOT NULL AND e.visited_on <= e.due_on, NULL::timestamptz
    FROM support_followupvisit e
    JOIN {{cases}} k ON k.case_id = e.case_id
""",
    ),
    (
        "at",
        f"""
    SELECT {KIND_REFERRAL}, e.id, e.case_id, k.person, e.created_at, NULL::date, k.opened_at,
        k.province_id, k.province_successor, k.province_id, {_NO_ORIGIN}, NULL::bigint,
        NULL::text, k.re, e.status, ''::text, {_NO_SERVICE}, FALSE,
        NULL::boolean, e.decided_at
    FROM referrals_referral e
    JOIN {{cases}} k ON k.case_id = e.case_id
""",
    ),
]

FACTS = f"WITH k AS MATERIALIZED ({_CASES}) " + " UNION ALL ".join(
    branch.replace("{cases}", "k") for _order, branch in _BRANCHES
)


@functools.cache
def whitespace() -> str:
    """Every character Python's str.strip() removes, so a funding source is trimmed alike."""
    return "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


def _source_key() -> str:
    """A service's funding source as the report keys it (aggregates._costs)."""
    characters = " || ".join(f"chr({ord(c)})" for c in whitespace())
    return f"COALESCE(NULLIF(btrim(funding_source, {characters}), ''), '{UNKNOWN}')"


_ORDER = "ORDER BY at, day, event_id"  # the order reports take a person's facts in


def _chains() -> dict[str, tuple[str, str, str, set[int]]]:
    """column: (value, its type, window, the kinds that keep it). prior_at and prior_day:
    the person's previous fact of the kind (for a decision, her previous decision of the
    same status, as only those recognising her as a victim are counted); next_day: her next
    decision, whatever it said; the prior_*_day of a service: her previous service of the
    same support type, payer or funding source. Chained by person alone, not also by sex:
    a fact's sex is her canonical record's, so all her facts have the same."""
    return {
        "prior_at": ("lag(at)", "timestamptz", "kind, person", {KIND_RECEPTION}),
        "prior_day": ("lag(day)", "date", "kind, person, status", {KIND_DECISION, KIND_SERVICE}),
        "next_day": ("lead(day)", "date", "kind, person", {KIND_DECISION}),
        "prior_type_day": ("lag(day)", "date", "kind, person, support_type", {KIND_SERVICE}),
        "prior_payer_day": ("lag(day)", "date", "kind, person, paid_by", {KIND_SERVICE}),
        "prior_source_day": ("lag(day)", "date", f"kind, person, {_source_key()}", {KIND_SERVICE}),
    }


CHAIN_COLUMNS = "prior_at, prior_day, next_day, prior_type_day, prior_payer_day, prior_source_day"
CHAINED_KINDS = (KIND_RECEPTION, KIND_DECISION, KIND_SERVICE)


def _chain_values(kind: int | None = None) -> str:
    """The chain columns of facts of `kind` (None: of any kind, each as its kind keeps it),
    in CHAIN_COLUMNS order, from the facts' columns."""
    values = []
    for value, value_type, partition, kinds in _chains().values():
        over = f"{value} OVER (PARTITION BY {partition} {_ORDER})"
        if kind is None:
            kept = ", ".join(str(k) for k in sorted(kinds))
            values.append(f"CASE WHEN kind IN ({kept}) THEN {over} END")
        else:
            values.append(over if kind in kinds else f"NULL::{value_type}")
    return ", ".join(values)


def _prefixed(prefix: str, columns: str) -> str:
    return ", ".join(prefix + column.strip() for column in columns.split(","))


def _chain_sql() -> str:
    return f"""
CREATE OR REPLACE FUNCTION haven_statistics_chain(persons bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF persons IS NULL OR cardinality(persons) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock({PERSON_LOCK_CLASS}, (p % 2147483647)::integer)
        FROM (SELECT DISTINCT unnest(persons) AS p) locked ORDER BY p;
    UPDATE {TABLE} f SET ({CHAIN_COLUMNS}) = ({_prefixed("c.", CHAIN_COLUMNS)})
    FROM (
        SELECT id, {_chain_values()} FROM {TABLE}
        WHERE person = ANY(persons) AND kind IN ({", ".join(map(str, CHAINED_KINDS))})
    ) c ({"id, " + CHAIN_COLUMNS})
    WHERE f.id = c.id AND ({_prefixed("f.", CHAIN_COLUMNS)})
        IS DISTINCT FROM ({_prefixed("c.", CHAIN_COLUMNS)});
END $$;
"""


def _refresh_sql(chained: bool) -> str:
    # The persons whose facts change, before and after: their chains are made again.
    persons = f"ARRAY(SELECT DISTINCT person FROM {TABLE} WHERE case_id = ANY(ids))"
    before = f"persons := {persons};" if chained else ""
    after = f"PERFORM haven_statistics_chain(persons || {persons});" if chained else ""
    return f"""
CREATE OR REPLACE FUNCTION haven_statistics_refresh(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    persons bigint[];
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, (id % 2147483647)::integer)
        FROM unnest(ids) AS id ORDER BY id;
    {before}
    DELETE FROM {TABLE} WHERE case_id = ANY(ids);
    INSERT INTO {TABLE} ({COLUMNS})
    {_labelled(FACTS.format(condition="c.id = ANY(ids)"))};
    {after}
END $$;
"""


# (table, trigger function body): each returns the case ids a statement touched, from the
# transition tables `new_rows` and/or `old_rows`.
_CHANGED_CASES = {
    "cases_reception": "SELECT case_id FROM {rows}",
    "cases_identificationdecision": "SELECT case_id FROM {rows}",
    "support_service": "SELECT case_id FROM {rows}",
    "support_followupvisit": "SELECT case_id FROM {rows}",
    "referrals_referral": "SELECT case_id FROM {rows}",
}

_UPDATE_ONLY = {
    "cases_case": """
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.person_id, n.province_id, n.previous_case_id, n.opened_at)
            IS DISTINCT FROM (o.person_id, o.province_id, o.previous_case_id, o.opened_at)
    """,
    "people_person": """
        SELECT c.id FROM cases_case c
        JOIN people_person p ON p.id = c.person_id
        WHERE p.id IN (SELECT id FROM changed) OR p.merged_into_id IN (SELECT id FROM changed)
    """,
    "agencies_organisation": """
        SELECT DISTINCT r.case_id FROM cases_reception r
        WHERE r.received_by_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.framework_role IS DISTINCT FROM o.framework_role
        )
    """,
    "places_province": """
        WITH moved AS (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.successor_id IS DISTINCT FROM o.successor_id
        )
        SELECT c.id FROM cases_case c WHERE c.province_id IN (SELECT id FROM moved)
        UNION SELECT r.case_id FROM cases_reception r
        WHERE r.province_id IN (SELECT id FROM moved)
    """,
}

# A person's counted values: a change to one of them changes the facts of her cases and
# of the records merged into her.
_PERSON_CHANGED = """
    WITH changed AS (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.sex, n.ethnicity_id, n.date_of_birth, n.birth_year, n.merged_into_id)
            IS DISTINCT FROM (o.sex, o.ethnicity_id, o.date_of_birth, o.birth_year,
                o.merged_into_id)
    )
"""


def _trigger_name(table: str, event: str) -> str:
    return f"haven_statistics_{table}_{event.lower()}"


def _trigger(table: str, event: str, cases: str) -> str:
    name = _trigger_name(table, event)
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM haven_statistics_refresh(ARRAY({cases}));
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _triggers() -> list[tuple[str, str, str]]:
    """(table, event, the case ids it touched) of every trigger."""
    found = []
    for table, select in _CHANGED_CASES.items():
        new, old = select.format(rows="new_rows"), select.format(rows="old_rows")
        found += [
            (table, "INSERT", new),
            (table, "UPDATE", f"{new} UNION {old}"),
            (table, "DELETE", old),
        ]
    for table, select in _UPDATE_ONLY.items():
        if table == "people_person":
            select = _PERSON_CHANGED + select
        found.append((table, "UPDATE", select))
    return found


TRIGGER_TABLES = sorted({table for table, _event, _cases in _triggers()})


def chained(cursor) -> bool:
    """Whether the facts table has the chain columns yet: migration 0007 installs the
    triggers before 0009 adds them, and reversing 0010 puts back the unchained ones."""
    cursor.execute(
        "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'prior_at' "
        "AND NOT attisdropped",
        [TABLE],
    )
    return cursor.fetchone() is not None


def install(cursor, *, with_chains: bool | None = None) -> None:
    """Create the refresh function and the triggers, and compute every fact (chained if
    the table has the chain columns, or as `with_chains` says)."""
    with_chains = chained(cursor) if with_chains is None else with_chains
    if with_chains:
        cursor.execute(_chain_sql())
    cursor.execute(_refresh_sql(with_chains))
    if not with_chains:
        cursor.execute("DROP FUNCTION IF EXISTS haven_statistics_chain(bigint[])")
    for table, event, cases in _triggers():
        cursor.execute(_trigger(table, event, cases))
    rebuild(cursor, with_chains=with_chains)


def uninstall(cursor) -> None:
    for table, event, _cases in _triggers():
        name = _trigger_name(table, event)
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    cursor.execute("DROP FUNCTION IF EXISTS haven_statistics_refresh(bigint[])")
    cursor.execute("DROP FUNCTION IF EXISTS haven_statistics_chain(bigint[])")


def rebuild(cursor, *, with_chains: bool | None = None) -> None:
    """Compute every fact again (after a bulk load, or to repair), as a bulk load would:
    each case's values once into a temporary table, then each kind of fact in date order
    (the order reports read them in, so a quarter's facts lie on adjacent pages; facts
    written later are appended, mostly recent, so the order largely holds), chained as
    they are written, and the indexes built afterwards."""
    with_chains = chained(cursor) if with_chains is None else with_chains
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = %s::regclass AND NOT indisprimary",
        [TABLE],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute(f"TRUNCATE {TABLE}")
    cursor.execute("DROP TABLE IF EXISTS haven_fact_cases")
    cursor.execute(
        "CREATE TEMPORARY TABLE haven_fact_cases ON COMMIT DROP AS "
        + _CASES.format(condition="TRUE")
    )
    cursor.execute("ANALYZE haven_fact_cases")
    cursor.execute("SET LOCAL work_mem = '256MB'")  # the chains' sorts
    # _BRANCHES come in kind order.
    for kind, (order, branch) in enumerate(_BRANCHES, start=KIND_RECEPTION):
        facts = _labelled(branch.format(cases="haven_fact_cases"))
        if with_chains:
            cursor.execute(
                f"INSERT INTO {TABLE} ({COLUMNS}, {CHAIN_COLUMNS}) "
                f"SELECT facts.*, {_chain_values(kind)} FROM ({facts}) facts ORDER BY {order}"
            )
        else:
            cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {facts} ORDER BY {order}")
    cursor.execute("DROP TABLE haven_fact_cases")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {TABLE}")


def set_triggers(cursor, enabled: bool) -> None:
    """Switch the triggers off for a bulk load that calls `rebuild` afterwards."""
    action = "ENABLE" if enabled else "DISABLE"
    for table in TRIGGER_TABLES:
        cursor.execute(f"ALTER TABLE {table} {action} TRIGGER USER")


def available(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"
