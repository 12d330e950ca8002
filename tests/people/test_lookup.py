"""The reception lookup (`matching.suggest`): which keys find a person, what the cap keeps,
and that its lean candidate records score exactly as the persons themselves would."""

import datetime

import pytest

from haven.people import matching
from haven.people.linkage import explain_pair
from haven.people.models import IdentityDocument, Person
from haven.places.models import Commune
from tests.factories import person_fields, province

pytestmark = pytest.mark.django_db

BORN = datetime.date(1999, 4, 2)


def register(**overrides) -> Person:
    return Person.objects.create(**person_fields(**overrides))


def probe(**overrides) -> Person:
    """A person as typed at reception: not saved, no diacritics."""
    return Person(**person_fields(**{"full_name": "Nguyen Thi Hoa", **overrides}))


def suggested(person: Person, document_number: str = "") -> list[int]:
    return [s.person.pk for s in matching.suggest(person, document_number=document_number)]


def test_a_match_found_only_by_phone_is_suggested():
    # The year was typed four years off: the name part looks at a year either side only.
    her = register(date_of_birth=BORN, phone="0912345678")
    assert suggested(probe(date_of_birth=datetime.date(2003, 4, 2))) == []
    assert suggested(probe(date_of_birth=datetime.date(2003, 4, 2), phone="0912 345 678")) == [
        her.pk
    ]
    # No birth date at all: only the phone can find her.
    assert suggested(probe(date_of_birth=None, phone="+84 912 345 678")) == [her.pk]


def test_a_match_found_only_by_document_is_suggested():
    her = register(date_of_birth=BORN)
    IdentityDocument.objects.create(person=her, kind="citizen_id", number="001199012345")
    far_off = probe(date_of_birth=datetime.date(1990, 1, 1))
    assert suggested(far_off) == []
    assert suggested(far_off, document_number="0011 9901 2345") == [her.pk]
    assert suggested(probe(date_of_birth=None), document_number="001199012345") == [her.pk]


def test_different_women_with_the_same_common_name_and_other_birth_dates_are_not_suggested():
    for born in ("1998-11-23", "1999-07-30", "1999-01-15", "2000-09-09", "1999-12-01"):
        register(full_name="Nguyễn Thị Hoa", date_of_birth=datetime.date.fromisoformat(born))
    new = probe(date_of_birth=BORN)
    assert suggested(new) == []
    her = register(full_name="Nguyễn Thị Hoa", date_of_birth=BORN)
    assert suggested(new) == [her.pk]


def test_the_cap_keeps_the_closest_candidates(monkeypatch):
    """Beyond the cap, the same phone and the same birth date (also with day and month
    swapped) outrank mere namesakes of that year, however many and whatever their ids."""
    monkeypatch.setattr(matching, "MAX_CANDIDATES", 3)
    for day in range(10, 20):
        register(date_of_birth=datetime.date(1999, 6, day))
    her = register(date_of_birth=BORN)
    assert suggested(probe(date_of_birth=BORN)) == [her.pk]
    assert suggested(probe(date_of_birth=datetime.date(1999, 2, 4))) == [her.pk]  # swapped
    again = register(date_of_birth=None, birth_year=1999, phone="0987654321")
    found = suggested(probe(date_of_birth=BORN, phone="0987654321"))
    assert found[0] == again.pk and her.pk in found


def test_her_own_record_and_merged_records_are_not_candidates():
    her = register(date_of_birth=BORN, phone="0912345678")
    merged = register(date_of_birth=BORN, phone="0912345678", merged_into=her)
    other = register(date_of_birth=BORN)
    assert suggested(her) == [other.pk]
    assert merged.pk not in suggested(probe(date_of_birth=BORN, phone="0912345678"))


def test_suggestions_score_as_the_persons_themselves_would():
    """The lookup reads only what the engine compares; scores and evidence are the same as
    from the full records, phone and document included."""
    commune = Commune.objects.filter(province=province("15")).order_by("code").first()
    her = register(
        full_name="Nguyễn Thị Hoà",
        date_of_birth=BORN,
        phone="0912345678",
        home_province=province("15"),
        home_commune=commune,
    )
    IdentityDocument.objects.create(person=her, kind="citizen_id", number="001199012345")
    new = probe(date_of_birth=datetime.date(1999, 2, 4), phone="0912345679", home_commune=commune)
    [suggestion] = matching.suggest(new, document_number="001199012346")
    expected = explain_pair(
        matching.record_of(new, rec_id="new", document_number="001199012346"),
        matching.record_of(Person.objects.get(pk=her.pk)),
    )
    assert suggestion.score == expected.score
    assert [e["level"] for e in suggestion.evidence] == [e.level for e in expected.evidence]
    assert {e["field"]: e["level"] for e in suggestion.evidence}["phone"] == "one edit"
    assert {e["field"]: e["level"] for e in suggestion.evidence}["national_id"] == "one edit"
    # Her home commune is read too; the new record gives no province, only the commune.
    assert {e["field"]: e["level"] for e in suggestion.evidence}["home"] == "same commune"
    assert suggestion.person.home_province.code == "15"  # a full person, as before


def test_a_lookup_takes_few_queries(django_assert_max_num_queries):
    her = register(date_of_birth=BORN, phone="0912345678")
    IdentityDocument.objects.create(person=her, kind="citizen_id", number="001199012345")
    with django_assert_max_num_queries(1):
        assert suggested(probe(date_of_birth=datetime.date(1980, 1, 1))) == []
    with django_assert_max_num_queries(2):  # candidates, then the person suggested
        assert suggested(probe(date_of_birth=BORN, phone="0912345678")) == [her.pk]
    with django_assert_max_num_queries(3):  # and their documents
        assert suggested(probe(date_of_birth=BORN), document_number="001199012345") == [her.pk]
