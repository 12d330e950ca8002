"""Register imports: upload, mapping remembered, dry run and its report, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.access import crypto
from haven.audit.models import AuditEvent
from haven.cases import documents
from haven.cases.models import Case
from haven.imports import engine
from haven.imports.models import ColumnMapping, RegisterImport
from tests.imports.helpers import HEADERS, MAPPING, csv_bytes, make_register_import, row


def _upload(client, organisation, data, name="so-tiep-nhan.csv"):
    return client.post(
        "/imports/",
        {"organisation": organisation.pk, "file": SimpleUploadedFile(name, data)},
    )


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("bom", [True, False])
def test_a_csv_register_is_uploaded_kept_encrypted_and_mapped(personas, login, bom):
    client = login(personas.social_worker)
    data = csv_bytes([row(), row(name="Vàng Thị Sua")], bom=bom)
    response = _upload(client, personas.centre_laocai, data)
    assert response.status_code == 302
    register = RegisterImport.objects.get()
    assert register.headers == HEADERS and register.row_count == 2
    stored = documents.storage_path(register.storage_name).read_bytes()
    assert data not in stored and crypto.decrypt_bytes(stored) == data
    assert register.mapping["full_name"] == "Họ và tên"  # guessed from the heading
    assert register.mapping["date_of_birth"] == "Ngày sinh"
    assert AuditEvent.objects.filter(action="import.upload").count() == 1
    assert client.get(f"/imports/{register.pk}/").status_code == 200


def test_an_xlsx_register_is_read(personas, login):
    client = login(personas.social_worker)
    assert _upload(client, personas.centre_laocai, _xlsx([row()]), "so.xlsx").status_code == 302
    assert RegisterImport.objects.get().file_format == "xlsx"


def test_other_files_are_refused(personas, login):
    client = login(personas.social_worker)
    response = _upload(client, personas.centre_laocai, b"%PDF-1.4", "so.pdf")
    assert response.status_code == 400 and not RegisterImport.objects.exists()
    response = _upload(client, personas.centre_laocai, "Họ,tên\n".encode("utf-16"), "a.csv")
    assert response.status_code == 400


def test_the_dry_run_reports_row_by_row_and_saves_nothing(personas, login):
    client = login(personas.social_worker, language="en")
    data = csv_bytes([row(), row(born="31/02/1999"), row(sex="?", province="Atlantis")])
    _upload(client, personas.centre_laocai, data)
    register = RegisterImport.objects.get()
    post = {f"col_{field}": heading for field, heading in MAPPING.items()}
    response = client.post(
        f"/imports/{register.pk}/check/", {**post, "default_route": "border_handover"}
    )
    assert response.status_code == 302
    register.refresh_from_db()
    assert (register.status, register.row_count, register.error_count) == ("checked", 3, 2)
    assert not Case.objects.exists()
    report = client.get(f"/imports/{register.pk}/report.csv").content.decode("utf-8-sig")
    lines = report.splitlines()
    assert lines[0] == "row,result,field,message"
    assert lines[1] == "2,ready,,"
    assert "3,error,Date of birth,Enter a valid date." in lines
    assert any(line.startswith("4,error,Province of reception,") for line in lines)
    assert any(line.startswith("4,error,Sex,") for line in lines)
    progress = client.get(f"/imports/{register.pk}/progress/").json()
    assert progress["done"] == progress["total"] == 3
    page = client.get(f"/imports/{register.pk}/")
    assert not page.context["can_import"]
    assert ColumnMapping.objects.get(organisation=personas.centre_laocai).columns == MAPPING


def test_the_mapping_is_remembered_for_the_organisation(personas, login):
    client = login(personas.social_worker)
    renamed = ["Tên đầy đủ" if h == "Họ và tên" else h for h in HEADERS]
    ColumnMapping.objects.create(
        organisation=personas.centre_laocai,
        columns={"full_name": "Tên đầy đủ"},
        default_route="police",
    )
    _upload(client, personas.centre_laocai, csv_bytes([row()], headers=renamed))
    register = RegisterImport.objects.get()
    assert register.mapping["full_name"] == "Tên đầy đủ"
    assert register.default_route == "police"


def test_a_clean_file_is_imported_in_one_go(personas, login):
    client = login(personas.social_worker)
    register = make_register_import(
        personas.social_worker,
        personas.centre_laocai,
        csv_bytes([row(), row(name="Vàng Thị Sua", phone="0912345678")]),
    )
    assert register.error_count == 0
    response = client.post(f"/imports/{register.pk}/run/")
    assert response.status_code == 302
    register.refresh_from_db()
    assert register.status == "imported" and len(register.case_references) == 2
    cases = Case.objects.filter(reference__in=register.case_references)
    assert {c.person.full_name for c in cases} == {"Nguyễn Thị Lan", "Vàng Thị Sua"}
    assert all(c.owner == personas.centre_laocai for c in cases)
    assert AuditEvent.objects.filter(action="reception.create").count() == 2
    assert AuditEvent.objects.get(action="import.run").details["cases"] == 2


def test_one_bad_row_and_nothing_is_saved(personas):
    data = csv_bytes([row(), row(name="Vàng Thị Sua"), row(received="not a date")])
    register = make_register_import(personas.social_worker, personas.centre_laocai, data)
    # as if the file passed its check and then the data changed under it
    register.error_count = 0
    register.save()
    with pytest.raises(engine.RowRefused) as refused:
        engine.run(register, user=personas.social_worker)
    assert refused.value.row == 4
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action="reception.create").exists()
    register.refresh_from_db()
    assert register.status == "failed"
    assert AuditEvent.objects.get(action="import.refused").details["row"] == 4


def test_importing_needs_a_clean_check(personas, login):
    client = login(personas.social_worker)
    register = make_register_import(
        personas.social_worker, personas.centre_laocai, csv_bytes([row(born="nope")])
    )
    client.post(f"/imports/{register.pk}/run/")
    assert not Case.objects.exists()


def test_likely_duplicates_are_flagged(personas):
    data = csv_bytes([row(phone="0912345678"), row(phone="0912345678")])
    register = make_register_import(personas.social_worker, personas.centre_laocai, data)
    assert register.duplicate_count == 2


def test_the_stranger_organisation_is_refused(personas, login):
    register = make_register_import(
        personas.social_worker, personas.centre_laocai, csv_bytes([row()])
    )
    client = login(personas.stranger)
    for url in ("", "progress/", "report.csv"):
        assert client.get(f"/imports/{register.pk}/{url}").status_code == 404
    assert client.post(f"/imports/{register.pk}/run/").status_code == 404
    assert client.post(f"/imports/{register.pk}/check/").status_code == 404
    response = _upload(client, personas.centre_laocai, csv_bytes([row()]))
    assert response.status_code == 400  # not one of her organisations
    assert login(personas.analyst).get("/imports/").status_code == 404


def test_files_over_the_row_limit_are_refused(personas, login, settings):
    settings.HAVEN_IMPORT_MAX_ROWS = 2
    client = login(personas.social_worker)
    response = _upload(client, personas.centre_laocai, csv_bytes([row()] * 3))
    assert response.status_code == 400 and not RegisterImport.objects.exists()
