"""Record linkage against the registry: candidates by indexed keys, scored by the engine.

A new reception looks up at most a few dozen candidates (same phone, same document, or
same given name with a birth year within one), so a lookup stays fast on millions of rows.
"""

import dataclasses

from django.db.models import Case, IntegerField, Q, Value, When

from haven.access import crypto
from haven.people import identifiers, text
from haven.people.linkage import PersonRecord, explain_pair
from haven.people.models import IdentityDocument, Person

# A suggestion only asks a person to look: candidates are already narrowed by exact keys,
# and in our measurements different women with the same name score below 0.002 while the
# same woman without a province scores 0.12 or more. Registry-wide linking keeps the
# engine's own, stricter threshold.
SUGGEST_AT = 0.1
MAX_CANDIDATES = 50


def split_name(full_name: str) -> tuple[str, str, str]:
    """Vietnamese order: family name first, given name last, middle names between."""
    words = text.nfc(full_name).split()
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1] if words else ""


def record_of(person: Person, rec_id: str | None = None, document_number: str = "") -> PersonRecord:
    surname, middle, given = split_name(person.full_name)
    born = person.date_of_birth
    province = person.home_province.name_vi if person.home_province_id else ""
    if not document_number and person.pk:
        documents = list(person.documents.all())  # prefetched by `candidates`
        document_number = documents[0].number if documents else ""
    return PersonRecord(
        rec_id=rec_id or str(person.pk),
        surname=surname,
        middle_name=middle,
        given_name=given,
        sex=person.sex if person.sex in ("F", "M") else "",
        birth_year=born.year if born else person.birth_year,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        province=province,
        national_id=document_number,
        phone=person.phone,
    )


def candidates(person: Person, document_number: str = ""):
    """Registry persons sharing an exact identifier, or given name and a near birth year."""
    condition = Q(pk__in=[])
    phone = identifiers.normalise_phone(person.phone)
    if phone:
        condition |= Q(phone_index=crypto.blind_index(phone))
    number = identifiers.normalise_document_number(document_number)
    if number:
        ids = IdentityDocument.objects.filter(number_index=crypto.blind_index(number))
        condition |= Q(pk__in=ids.values("person_id"))
    words = text.fold_tokens(person.full_name)
    # An unsaved person has no birth_year yet (save() derives it from the date of birth).
    year = person.date_of_birth.year if person.date_of_birth else person.birth_year
    if words and year:
        years = [year - 1, year, year + 1]
        # Family and given name with a near year: a common given name and year alone give
        # hundreds of candidates, and a cap would then drop the right one at random.
        condition |= Q(
            given_key=words[-1], birth_year__in=years, name_key__startswith=f" {words[0]} "
        )
    queryset = Person.objects.filter(condition, merged_into__isnull=True)
    if person.pk:
        queryset = queryset.exclude(pk=person.pk)
    return (
        queryset.annotate(closeness=_closeness(person, phone, year))
        .select_related("home_province")
        .prefetch_related("documents")
        .order_by("closeness", "pk")[:MAX_CANDIDATES]
    )


def _closeness(person: Person, phone: str, year):
    """Rank candidates so the cap keeps the likeliest: same phone, then the same date of
    birth, then day and month swapped, then the same year."""
    born = person.date_of_birth
    ranks = []
    if phone:
        ranks.append(When(phone_index=crypto.blind_index(phone), then=Value(0)))
    if born:
        ranks.append(When(date_of_birth=born, then=Value(1)))
        if born.day <= 12:
            ranks.append(
                When(date_of_birth=born.replace(month=born.day, day=born.month), then=Value(2))
            )
    if year:
        ranks.append(When(birth_year=year, then=Value(3)))
    return Case(*ranks, default=Value(4), output_field=IntegerField())


@dataclasses.dataclass
class Suggestion:
    person: Person
    score: float
    evidence: list  # (field, level, weight) per field


def suggest(person: Person, document_number: str = "", threshold: float = SUGGEST_AT):
    """Likely matches for a person (saved or not yet saved), best first."""
    new = record_of(person, rec_id="new", document_number=document_number)
    found = []
    for candidate in candidates(person, document_number):
        explanation = explain_pair(new, record_of(candidate))
        if explanation.score >= threshold:
            evidence = [dataclasses.asdict(e) for e in explanation.evidence]
            found.append(Suggestion(candidate, explanation.score, evidence))
    return sorted(found, key=lambda s: -s.score)[:5]
