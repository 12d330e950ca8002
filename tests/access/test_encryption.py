import pytest
from django.db import connection

from haven.access import crypto
from haven.people.identifiers import normalise_phone
from haven.people.models import IdentityDocument, Person
from tests.factories import make_case

pytestmark = pytest.mark.django_db

SECRETS = {
    "phone": "0912345678",
    "home_address": "Thôn Nà Lốc 3",
    "document": "001199012345",
    "account": "Bị lừa bán sang Trung Quốc",
    "needs_notes": "Cần khám sức khỏe, HIV",
    "contact": "Liaison officer Sok",
}


def test_sensitive_fields_are_not_stored_in_plaintext(personas):
    make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={"phone": SECRETS["phone"], "home_address": SECRETS["home_address"]},
        reception={
            "account": SECRETS["account"],
            "needs_notes": SECRETS["needs_notes"],
            "foreign_agency_contact": SECRETS["contact"],
        },
        identity_document={"kind": "citizen_id", "number": SECRETS["document"]},
    )
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
            dump.extend(str(v) for row in cursor.fetchall() for v in row)
    text = "\n".join(dump)
    for value in SECRETS.values():
        assert value not in text
    # The values still read back through the ORM.
    person = Person.objects.get()
    assert person.phone == SECRETS["phone"]
    assert IdentityDocument.objects.get().number == SECRETS["document"]


def test_phone_and_document_numbers_are_found_by_exact_keyed_hash(personas):
    make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={"phone": "+84 912 345 678"},
        identity_document={"kind": "citizen_id", "number": "0011-9901-2345"},
    )
    assert Person.objects.filter(
        phone_index=crypto.blind_index(normalise_phone("0912.345.678"))
    ).exists()
    assert IdentityDocument.objects.filter(number_index=crypto.blind_index("001199012345")).exists()
