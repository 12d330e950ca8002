import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation

from haven.cases.models import Case, Document, EntryRoute, Reception, TimelineEvent
from haven.people.models import Person
from haven.places.models import Province
from tests.cases.reception_data import local, reception_post

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def post_reception(client, route, organisation, files=None, **overrides):
    data = reception_post(route, organisation, **overrides)
    if files:
        data.update(files)
    return client.post(f"/receptions/new/{route}/", data)


@pytest.mark.parametrize("route", EntryRoute.values)
def test_each_entry_route_records_a_reception_and_opens_a_case(personas, login, route):
    client = login(personas.border_guard)
    response = post_reception(client, route, personas.border_post_laocai)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/"
    reception = case.receptions.get()
    assert reception.entry_route == route
    assert reception.received_by == personas.border_post_laocai
    assert reception.recorded_by == personas.border_guard
    assert case.owner == personas.border_post_laocai
    assert case.person.full_name == "Nguyễn Thị Hoà"
    assert list(case.timeline.values_list("kind", flat=True)) == ["opened", "received"]
    assert re.fullmatch(rf"15-{reception.received_at.year}-\d{{5}}", case.reference)


def test_route_specific_facts_are_kept(personas, login):
    client = login(personas.border_guard)
    post_reception(client, "border_handover", personas.border_post_laocai)
    reception = Reception.objects.get()
    assert reception.handed_over_by == "foreign_authority"
    assert reception.foreign_authority == "Hekou border police"
    assert reception.handover_record_number == "BB-17"
    assert reception.persons_on_list == 4


def test_return_from_abroad_keeps_country_contact_and_travel_document(personas, login):
    client = login(personas.consul)
    post_reception(client, "return_from_abroad", personas.consulate_phnompenh)
    reception = Reception.objects.get()
    assert reception.return_country.code == "KH"
    assert reception.travel_document_status == "needs_document"
    assert reception.foreign_agency_contact == "Ministry of Interior liaison"


def test_route_required_fields_are_enforced(personas, login):
    client = login(personas.border_guard)
    response = post_reception(
        client, "border_handover", personas.border_post_laocai, handed_over_by=""
    )
    assert response.status_code == 400
    assert "handed_over_by" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_person_under_18_is_flagged_as_a_child(personas, login):
    client = login(personas.border_guard)
    born = timezone.localdate() - datetime.timedelta(days=16 * 365)
    post_reception(client, "police", personas.border_post_laocai, date_of_birth=born.isoformat())
    case = Case.objects.get()
    assert case.receptions.get().is_child
    assert case.person.is_child
    detail = client.get(f"/cases/{case.reference}/").content.decode()
    listing = client.get("/cases/").content.decode()
    work = client.get("/").content.decode()
    for html in (detail, listing, work):
        assert 'class="badge child"' in html


def test_an_approximate_age_gives_an_estimated_year_and_the_child_flag(personas, login):
    client = login(personas.border_guard)
    post_reception(
        client, "self_report", personas.border_post_laocai, date_of_birth="", approximate_age="15"
    )
    person = Person.objects.get()
    assert person.birth_year_estimated
    assert person.is_child
    assert Reception.objects.get().is_child


def test_an_adult_is_not_flagged(personas, login):
    client = login(personas.border_guard)
    post_reception(client, "police", personas.border_post_laocai)
    assert not Reception.objects.get().is_child
    assert not Person.objects.get().is_child


def test_accompanying_children_are_recorded_as_persons(personas, login):
    client = login(personas.border_guard)
    post_reception(
        client,
        "border_handover",
        personas.border_post_laocai,
        **{
            "child-0-full_name": "Nguyễn Minh An",
            "child-0-sex": "M",
            "child-0-approximate_age": "3",
            "child-0-relationship": "son",
        },
    )
    link = Reception.objects.get().accompanying_children.get()
    assert link.child.full_name == "Nguyễn Minh An"
    assert link.child.is_child
    assert link.relationship == "son"


def test_a_handover_at_reception_is_recorded_and_the_receiver_sees_the_case(personas, login):
    client = login(personas.border_guard)
    post_reception(
        client,
        "border_handover",
        personas.border_post_laocai,
        **{
            "handover_to": str(personas.centre_laocai.pk),
            "handover_at": local(timezone.now() - datetime.timedelta(hours=1)),
            "handover_record": "BG-2201",
        },
    )
    case = Case.objects.get()
    handover = case.handovers.get()
    assert handover.to_organisation == personas.centre_laocai
    assert handover.record_number == "BG-2201"
    assert case.timeline.filter(kind=TimelineEvent.Kind.HANDOVER).exists()
    assert login(personas.social_worker).get(f"/cases/{case.reference}/").status_code == 200


def test_a_document_is_stored_encrypted_and_served_only_through_the_access_check(
    personas, login, settings
):
    client = login(personas.border_guard)
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = post_reception(
        client,
        "border_handover",
        personas.border_post_laocai,
        files={"doc-0-kind": "handover_record", "doc-0-file": upload},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    stored = settings.PROTECTED_FILES_DIR / document.storage_name[:2] / document.storage_name
    assert PDF not in stored.read_bytes()
    url = f"/cases/{document.case.reference}/documents/{document.pk}/"
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert login(personas.stranger).get(url).status_code == 404


def test_a_file_of_another_type_is_refused_with_a_message(personas, login):
    client = login(personas.border_guard)
    upload = SimpleUploadedFile(
        "bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = post_reception(
        client,
        "border_handover",
        personas.border_post_laocai,
        files={"doc-0-kind": "handover_record", "doc-0-file": upload},
    )
    assert response.status_code == 400
    assert "Only PDF, PNG and JPEG" in response.content.decode()
    assert not Case.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_oversized_file_is_refused_with_a_message(personas, login):
    client = login(personas.border_guard)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = post_reception(
        client,
        "border_handover",
        personas.border_post_laocai,
        files={"doc-0-kind": "handover_record", "doc-0-file": upload},
    )
    assert response.status_code == 400
    assert "files may be at most" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"received_at": ""}, "received_at", "This field is required."),
        ({"received_at": "2099-01-01T10:00"}, "received_at", "cannot be in the future"),
        ({"received_at": "0001-01-01T00:00"}, "received_at", "check the year"),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth", "cannot be in the future"),
        (
            {"received_at": "2024-01-01T10:00", "date_of_birth": "2025-02-02"},
            "date_of_birth",
            "after the date of reception",
        ),
        ({"date_of_birth": "1999-02-31"}, "date_of_birth", "Enter a valid date."),
        (
            {"exploitation_from": "2024-05-01", "exploitation_to": "2024-01-01"},
            "exploitation_to",
            "before its start",
        ),
        ({"province": "999999"}, "province", "not in Haven's list"),
        ({"commune": "999999"}, "commune", "not in Haven's list"),
        ({"home_province": "abc"}, "home_province", "not in Haven's list"),
        ({"approximate_age": "200", "date_of_birth": ""}, "approximate_age", "less than or equal"),
        ({"approximate_age": "30"}, "approximate_age", "not both"),
        ({"document_kind": ""}, "document_kind", "what kind of document"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_saves_nothing(
    personas, login, overrides, field, message
):
    client = login(personas.border_guard)
    response = post_reception(client, "police", personas.border_post_laocai, **overrides)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    html = response.content.decode()
    assert 'value="Cửa khẩu Quốc tế Lào Cai"' in html  # what was typed is still there
    assert "not saved" in html
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_a_commune_from_another_province_is_refused(personas, login):
    client = login(personas.border_guard)
    ha_noi = Province.objects.get(code="01")
    response = post_reception(
        client, "police", personas.border_post_laocai, province=str(ha_noi.pk)
    )
    assert response.status_code == 400
    assert "not in the chosen province" in str(response.context["form"].errors["commune"])


def test_a_former_home_province_is_accepted_and_resolves_to_the_current_one(personas, login):
    client = login(personas.border_guard)
    ha_giang = Province.objects.get(name_vi="Hà Giang", valid_to__isnull=False)
    response = post_reception(
        client, "self_report", personas.border_post_laocai, home_province=str(ha_giang.pk)
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.home_province == ha_giang
    assert person.home_province.current_unit().name_vi == "Tuyên Quang"


def test_a_user_cannot_record_for_an_organisation_they_do_not_belong_to(personas, login):
    client = login(personas.border_guard)
    response = post_reception(client, "police", personas.shelter_hanoi)
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_roles_without_reception_duty_cannot_open_the_form(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get("/receptions/new/police/").status_code == 404


def test_an_unknown_route_is_not_found(personas, login):
    assert login(personas.border_guard).get("/receptions/new/teleport/").status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/receptions/new/police/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_garbage_input_never_causes_a_server_error(personas, login):
    client = login(personas.border_guard)
    garbage = {
        "organisation": "x",
        "received_at": "yesterday",
        "province": "\x00",
        "sex": "Z",
        "persons_on_list": "-3",
        "exploitation_forms": ["nope"],
        "child-TOTAL_FORMS": "2",
        "child-INITIAL_FORMS": "0",
        "doc-TOTAL_FORMS": "1",
        "doc-INITIAL_FORMS": "0",
    }
    response = client.post("/receptions/new/border_handover/", garbage)
    assert response.status_code == 400
    broken_formset = client.post("/receptions/new/border_handover/", {"full_name": "x"})
    assert broken_formset.status_code == 400


def test_messages_come_in_vietnamese_by_default(personas, login):
    client = login(personas.border_guard, language="vi")
    response = post_reception(
        client, "police", personas.border_post_laocai, full_name="", received_at="2099-01-01T10:00"
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    with translation.override("vi"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert errors["full_name"] == [required]
    assert 'lang="vi"' in response.content.decode()
