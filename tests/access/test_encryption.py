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
    "goals": "Muốn học nghề may ở Sa Pa",
    "service_notes": "Điều trị sau sang chấn",
    "declined": "Sợ gặp lại người môi giới",
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
    from haven.support import actions as support_actions

    case = make_case(personas.social_worker, personas.centre_laocai)
    owner = {"user": personas.social_worker, "organisation": personas.centre_laocai}
    support_actions.save_plan(
        **owner, case=case, made_with_her=True, her_goals=SECRETS["goals"], her_choices=""
    )
    planned = support_actions.add_service(
        **owner, case=case, support_type="psychological", notes=SECRETS["service_notes"]
    )
    support_actions.decline_service(**owner, service=planned, reason=SECRETS["declined"])
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
            dump.extend(str(v) for row in cursor.fetchall() for v in row)
    text = "\n".join(dump)
    for value in SECRETS.values():
        assert value not in text
    # The values still read back through the ORM.
    person = Person.objects.exclude(phone="").get()
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
