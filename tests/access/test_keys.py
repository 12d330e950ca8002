import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from haven.access import crypto
from haven.cases import actions, documents
from haven.people.models import Person
from tests.factories import make_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 rotation test"


def raw_phone(person_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_person WHERE id = %s", [person_id])
        return cursor.fetchone()[0]


def test_generate_prints_a_fernet_key(capsys):
    call_command("keys", "generate")
    Fernet(capsys.readouterr().out.strip())  # raises if it is not a key


def test_rotation_re_encrypts_values_and_files_so_old_keys_can_go(personas, settings, capsys):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_KEYS = [old_key]
    case = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={"phone": "0912345678"},
        new_documents=[
            actions.NewDocument(
                kind="identity",
                content_type="application/pdf",
                uploaded=SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"),
            )
        ],
    )
    before = raw_phone(case.person_id)
    index_before = Person.objects.get().phone_index

    settings.FIELD_KEYS = [new_key, old_key]
    call_command("keys", "rotate")
    assert "Re-encrypted" in capsys.readouterr().out

    settings.FIELD_KEYS = [new_key]  # the old key is gone
    person = Person.objects.get()
    assert raw_phone(case.person_id) != before
    assert person.phone == "0912345678"
    assert person.phone_index == index_before  # lookups survive rotation
    assert documents.read(case.documents.get().storage_name) == PDF


def test_a_value_encrypted_with_an_unknown_key_fails_loudly(personas, settings):
    settings.FIELD_KEYS = [Fernet.generate_key().decode()]
    case = make_case(personas.border_guard, personas.border_post_laocai, person={"phone": "0912"})
    settings.FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=case.person_id)
