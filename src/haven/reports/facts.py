"""The rows statistics are counted from: one `Fact` per event (a reception, an
identification decision, a service delivered), carrying the person's canonical id.

Persons are counted by `COALESCE(merged_into_id, id)`: record linkage keeps every original
Person row and points duplicates at the one kept, so a woman received by border guards and
then by a shelter counts once, whether or not the shelter made a second Person record.

Each query reads only the period's rows through an index on its date column (see the
reports migrations) and returns plain tuples; tables are counted from them in Python, so
one query feeds every breakdown of a measure.
"""

import dataclasses
import datetime
import functools

from django.db import connections
from django.db.models import F, Lookup, Q
from django.db.models.functions import Coalesce, TruncDate

from haven.cases.models import IdentificationDecision, Reception
from haven.people.models import age_on
from haven.reports.periods import Period
from haven.support.models import Service

CHUNK = 2000  # ids per IN (...) list, well under SQLite's variable limit


@dataclasses.dataclass(slots=True)
class Fact:
    person: int  # canonical person id
    day: datetime.date  # local date of the event
    case_id: int
    province: int | None  # current unit
    former_province: int | None  # the former unit recorded, for events before 1 July 2025
    route: str
    role: str
    sex: str
    age: int | None
    ethnicity: int | None
    destination: int | None
    forms: tuple[str, ...]
    re_trafficked: bool = False
    opened: datetime.date | None = None  # local date the case was opened
    status: str = ""  # identification decision
    support_type: str = ""
    cost: int = 0
    paid_by: int | None = None
    funding_source: str = ""


def _canonical(prefix: str):
    return Coalesce(f"{prefix}merged_into_id", f"{prefix}id")


def _person_value(prefix: str, field: str):
    """The canonical record's value, else the record's own (e.g. an ethnicity only one of
    the linked records knows)."""
    return Coalesce(f"{prefix}merged_into__{field}", f"{prefix}{field}")


def _province_filter(field: str, provinces):
    """Rows whose province (current or former) is, or was succeeded by, one of `provinces`."""
    if provinces is None:
        return Q()
    return Q(**{f"{field}_id__in": provinces}) | Q(**{f"{field}__successor_id__in": provinces})


@functools.lru_cache(maxsize=1024)
def _forms(value: str) -> tuple[str, ...]:
    return tuple(code for code in (value or "").split(",") if code)


def received(period: Period, provinces=None) -> list[Fact]:
    """Every reception in the period, oldest first."""
    rows = (
        Reception.objects.filter(
            received_at__gte=period.start_at, received_at__lt=period.end_before
        )
        .filter(_province_filter("province", provinces))
        .order_by("received_at", "id")
        .values_list(
            _canonical("case__person__"),
            TruncDate("received_at"),
            "case_id",
            "province_id",
            "province__successor_id",
            "entry_route",
            "received_by__framework_role",
            _person_value("case__person__", "sex"),
            "age_at_reception",
            _person_value("case__person__", "ethnicity_id"),
            "destination_country_id",
            "exploitation_forms",
            "case__previous_case_id",
        )
    )
    facts = []
    for (
        person,
        received_at,
        case_id,
        province,
        successor,
        route,
        role,
        sex,
        age,
        ethnicity,
        destination,
        forms,
        previous,
    ) in rows.iterator(chunk_size=5000):
        facts.append(
            Fact(
                person=person,
                day=received_at,
                case_id=case_id,
                province=successor or province,
                former_province=province if successor else None,
                route=route,
                role=role,
                sex=sex,
                age=age,
                ethnicity=ethnicity,
                destination=destination,
                forms=_forms(forms),
                re_trafficked=previous is not None,
            )
        )
    return facts


@dataclasses.dataclass(slots=True)
class _CaseOrigin:
    former_province: int | None
    route: str
    role: str
    destination: int | None
    forms: tuple[str, ...]


class _AnyOf(Lookup):
    """`column = ANY(%s)`: a list of ids bound as one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


def by_case_ids(queryset, case_ids: list[int]):
    """`queryset` limited to `case_ids`, as one or more querysets: on PostgreSQL one, the
    ids bound as one array parameter (`= ANY(%s)`, read through a case_id index);
    elsewhere one per chunk of an IN list."""
    if connections[queryset.db].vendor == "postgresql":
        yield queryset.filter(_AnyOf(F("case_id"), case_ids))
        return
    for start in range(0, len(case_ids), CHUNK):
        yield queryset.filter(case_id__in=case_ids[start : start + CHUNK])


def _case_origins(case_ids) -> dict[int, _CaseOrigin]:
    """What each case's first reception recorded."""
    origins: dict[int, _CaseOrigin] = {}
    ids = sorted(set(case_ids))
    if not ids:
        return origins
    for receptions in by_case_ids(Reception.objects.all(), ids):
        rows = receptions.order_by("case_id", "received_at", "id").values_list(
            "case_id",
            "province_id",
            "province__successor_id",
            "entry_route",
            "received_by__framework_role",
            "destination_country_id",
            "exploitation_forms",
        )
        for case_id, province, successor, route, role, destination, forms in rows:
            if case_id not in origins:
                origins[case_id] = _CaseOrigin(
                    province if successor else None, route, role, destination, _forms(forms)
                )
    return origins


_NO_ORIGIN = _CaseOrigin(None, "", "", None, ())


def _case_facts(rows, day_of) -> list[Fact]:
    """Facts of case events: `rows` are dicts with the case's and person's fields."""
    origins = _case_origins(row["case_id"] for row in rows)
    facts = []
    for row in rows:
        origin = origins.get(row["case_id"], _NO_ORIGIN)
        day = day_of(row)
        facts.append(
            Fact(
                person=row["canonical"],
                day=day,
                case_id=row["case_id"],
                province=row["case__province_id"],
                former_province=origin.former_province,
                route=origin.route,
                role=origin.role,
                sex=row["sex"],
                age=age_on(row["dob"], row["birth_year"], day),
                ethnicity=row["ethnicity"],
                destination=origin.destination,
                forms=origin.forms,
                re_trafficked=row["case__previous_case_id"] is not None,
                opened=row["opened"],
                status=row.get("status", ""),
                support_type=row.get("support_type", ""),
                cost=int(row.get("cost") or 0),
                paid_by=row.get("paid_by_id"),
                funding_source=(row.get("funding_source") or "").strip(),
            )
        )
    return facts


_CASE_FIELDS = {
    "canonical": _canonical("case__person__"),
    "sex": _person_value("case__person__", "sex"),
    "dob": _person_value("case__person__", "date_of_birth"),
    "birth_year": _person_value("case__person__", "birth_year"),
    "ethnicity": _person_value("case__person__", "ethnicity_id"),
    "opened": TruncDate("case__opened_at"),
}


def identified(period: Period, provinces=None) -> list[Fact]:
    """Every identification decision dated in the period, oldest first."""
    rows = list(
        IdentificationDecision.objects.filter(
            decided_on__gte=period.start, decided_on__lte=period.end
        )
        .filter(_province_filter("case__province", provinces))
        .order_by("decided_on", "id")
        .values(
            "case_id",
            "case__province_id",
            "case__previous_case_id",
            "status",
            "decided_on",
            **_CASE_FIELDS,
        )
    )
    return _case_facts(rows, lambda row: row["decided_on"])


def supported(period: Period, provinces=None) -> list[Fact]:
    """Every service delivered (by the day it started) in the period, oldest first."""
    rows = list(
        Service.objects.filter(
            status=Service.Status.DELIVERED, starts_on__gte=period.start, starts_on__lte=period.end
        )
        .filter(_province_filter("case__province", provinces))
        .order_by("starts_on", "id")
        .values(
            "case_id",
            "case__province_id",
            "case__previous_case_id",
            "support_type",
            "cost",
            "paid_by_id",
            "funding_source",
            starts=F("starts_on"),
            **_CASE_FIELDS,
        )
    )
    return _case_facts(rows, lambda row: row["starts"])
