"""Record linkage against the registry: candidates by indexed keys, scored by the engine.

A new reception looks up at most a few dozen candidates (same phone, same document, or
same family and given name with a birth year within one), so a lookup stays fast on
millions of rows. One statement finds and ranks them, with an index per key, and reads
only what the engine compares for the best `MAX_CANDIDATES` (no model instances, and
phones and documents only when they can change a score); the few persons suggested are
then read as model instances.
"""

import dataclasses
import datetime

from django.db import connections, router

from haven.access import crypto
from haven.people import identifiers, text
from haven.people.linkage import PersonRecord, explain_pair
from haven.people.linkage.records import prepare
from haven.people.models import IdentityDocument, Person
from haven.places.models import Commune, Province

# A suggestion only asks a person to look: candidates are already narrowed by exact keys,
# and in our measurements different women with the same name score below 0.002 while the
# same woman without a province scores 0.12 or more. Registry-wide linking keeps the
# engine's own, stricter threshold.
SUGGEST_AT = 0.1
MAX_CANDIDATES = 50
MAX_SUGGESTIONS = 5


def split_name(full_name: str) -> tuple[str, str, str]:
    """Vietnamese order: family name first, given name last, middle names between."""
    words = text.nfc(full_name).split()
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1] if words else ""


def _record(
    rec_id, full_name, sex, date_of_birth, birth_year, province, document_number, phone, commune
) -> PersonRecord:
    surname, middle, given = split_name(full_name)
    born = date_of_birth
    return PersonRecord(
        rec_id=rec_id,
        surname=surname,
        middle_name=middle,
        given_name=given,
        sex=sex if sex in ("F", "M") else "",
        birth_year=born.year if born else birth_year,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        province=province or "",
        national_id=document_number,
        phone=phone,
        commune=commune or "",
    )


def record_of(person: Person, rec_id: str | None = None, document_number: str = "") -> PersonRecord:
    province = person.home_province.name_vi if person.home_province_id else ""
    commune = person.home_commune.name_vi if person.home_commune_id else ""
    if not document_number and person.pk:
        documents = list(person.documents.all())
        document_number = documents[0].number if documents else ""
    return _record(
        rec_id or str(person.pk),
        person.full_name,
        person.sex,
        person.date_of_birth,
        person.birth_year,
        province,
        document_number,
        person.phone,
        commune,
    )


def _lookup_sql(person: Person, document_number: str, *, phones: bool):
    """The lookup as one statement and its parameters, or None when the person has no key.

    Inside, the name, phone and document parts are joined by UNION (not OR), so each is
    planned on its own index: the name part is an index-only scan of `person_name_lookup`
    (given name, birth year, family-name prefix, with the ranking columns and the id). The
    union is ranked and cut to `MAX_CANDIDATES` before any table row is read; only then
    are those few rows joined in, with what the engine compares.
    """
    phone = identifiers.normalise_phone(person.phone)
    number = identifiers.normalise_document_number(document_number)
    words = text.fold_tokens(person.full_name)
    # An unsaved person has no birth_year yet (save() derives it from the date of birth).
    born = person.date_of_birth
    year = born.year if born else person.birth_year
    phone_key = crypto.blind_index(phone) if phone else None

    # Rank so the cap keeps the likeliest: same phone, then the same date of birth, then
    # day and month swapped, then the same year.
    ops = _connection().ops
    ranks, rank_params = [], []
    if phone_key:
        ranks.append("WHEN {p}.phone_index = %s THEN 0")
        rank_params.append(phone_key)
    if born:
        ranks.append("WHEN {p}.date_of_birth = %s THEN 1")
        rank_params.append(ops.adapt_datefield_value(born))
        if born.day <= 12:
            ranks.append("WHEN {p}.date_of_birth = %s THEN 2")
            swapped = born.replace(month=born.day, day=born.month)
            rank_params.append(ops.adapt_datefield_value(swapped))
    if year:
        ranks.append("WHEN {p}.birth_year = %s THEN 3")
        rank_params.append(year)
    closeness = "CASE " + " ".join(ranks) + " ELSE 4 END" if ranks else "4"

    person_table = Person._meta.db_table
    parts, params = [], []

    def part(alias: str, join: str, condition: str, condition_params: list) -> None:
        where = f"{alias}.merged_into_id IS NULL AND {condition}"
        if person.pk:
            where += f" AND {alias}.id <> %s"
            condition_params = [*condition_params, person.pk]
        parts.append(
            f"SELECT {alias}.id, {closeness.format(p=alias)} AS closeness "  # noqa: S608 (values are bound)
            f"FROM {person_table} {alias}{join} WHERE {where}"
        )
        params.extend([*rank_params, *condition_params])

    if words and year:
        # Family and given name with a near year: a common given name and year alone give
        # hundreds of candidates, and a cap would then drop the right one at random.
        # (Folded words are [0-9a-z]+: nothing to escape in the LIKE pattern.)
        part(
            "n",
            "",
            "n.given_key = %s AND n.birth_year IN (%s, %s, %s) AND n.name_key LIKE %s",
            [words[-1], year - 1, year, year + 1, f" {words[0]} %"],
        )
    if phone_key:
        part("t", "", "t.phone_index = %s", [phone_key])
    if number:
        document_table = IdentityDocument._meta.db_table
        part(
            "d",
            f" JOIN {document_table} doc ON doc.person_id = d.id",
            "doc.number_index = %s",
            [crypto.blind_index(number)],
        )
    if not parts:
        return None
    province_table, commune_table = Province._meta.db_table, Commune._meta.db_table
    phone_column = "p.phone" if phones else "''"
    # A person found by several parts has the same closeness in each: UNION keeps her once.
    sql = (
        f"SELECT p.id, p.full_name, p.sex, p.date_of_birth, p.birth_year, pr.name_vi, "  # noqa: S608
        f"{phone_column}, co.name_vi "
        f"FROM ({' UNION '.join(parts)} ORDER BY 2, 1 LIMIT {MAX_CANDIDATES}) ranked "
        f"JOIN {person_table} p ON p.id = ranked.id "
        f"LEFT JOIN {province_table} pr ON pr.id = p.home_province_id "
        f"LEFT JOIN {commune_table} co ON co.id = p.home_commune_id "
        f"ORDER BY ranked.closeness, ranked.id"
    )
    return sql, params


def _connection():
    return connections[router.db_for_read(Person)]


def candidate_records(
    person: Person, document_number: str = "", *, phones: bool = True, documents: bool = True
) -> list[PersonRecord]:
    """Registry persons sharing an exact identifier, or family and given name and a near
    birth year: the likeliest `MAX_CANDIDATES`, likeliest first, as the engine compares
    them (no model instances). Their phone and document numbers are read (and decrypted)
    only when asked: when the new person has none, they cannot change a score."""
    lookup = _lookup_sql(person, document_number, phones=phones)
    if lookup is None:
        return []
    with _connection().cursor() as cursor:
        cursor.execute(*lookup)
        rows = cursor.fetchall()
    numbers = {}
    if documents and rows:
        # A person's first document, as `record_of` takes it.
        found = IdentityDocument.objects.filter(person_id__in=[row[0] for row in rows])
        for person_id, number in found.order_by("pk").values_list("person_id", "number"):
            numbers.setdefault(person_id, number)
    records = []
    for pk, full_name, sex, born, birth_year, province, phone, commune in rows:
        if isinstance(born, str):  # SQLite returns dates as text to a plain cursor
            born = datetime.date.fromisoformat(born)
        phone = crypto.decrypt_text(phone) if phone else ""
        number = numbers.get(pk, "")
        records.append(
            _record(str(pk), full_name, sex, born, birth_year, province, number, phone, commune)
        )
    return records


@dataclasses.dataclass
class Suggestion:
    person: Person
    score: float
    evidence: list  # (field, level, weight) per field


def suggest(person: Person, document_number: str = "", threshold: float = SUGGEST_AT):
    """Likely matches for a person (saved or not yet saved), best first."""
    new = prepare(record_of(person, rec_id="new", document_number=document_number))
    # A candidate's phone or document cannot change the score when the new person has
    # none that the engine can compare.
    records = candidate_records(
        person,
        document_number,
        phones=new.phone is not None,
        documents=new.identity is not None,
    )
    found = []
    for record in records:
        explanation = explain_pair(new, prepare(record))
        if explanation.score >= threshold:
            evidence = [dataclasses.asdict(e) for e in explanation.evidence]
            found.append((int(record.rec_id), explanation.score, evidence))
    found.sort(key=lambda f: -f[1])  # stable: equal scores stay in candidate order
    found = found[:MAX_SUGGESTIONS]
    if not found:
        return []
    persons = Person.objects.select_related("home_province", "home_commune")
    persons = persons.in_bulk([f[0] for f in found])
    return [
        Suggestion(persons[pk], score, evidence)
        for pk, score, evidence in found
        if pk in persons  # unless deleted meanwhile
    ]
