"""Registers as the field keeps them, and imports made without going through the pages."""

import csv
import io

from haven.imports import engine, files
from haven.imports.models import RegisterImport

HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày tiếp nhận",
    "Tỉnh",
    "Biên giới",
    "Bàn giao bởi",
    "Số điện thoại",
]


def row(
    name="Nguyễn Thị Lan",
    sex="Nữ",
    born="02/04/1999",
    received="2025-08-01 09:30",
    province="Lào Cai",
    border="land",
    by="border_guards",
    phone="",
):
    return [name, sex, born, received, province, border, by, phone]


def csv_bytes(rows, headers=HEADERS, bom=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


MAPPING = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "date_of_birth": "Ngày sinh",
    "received_at": "Ngày tiếp nhận",
    "province": "Tỉnh",
    "border_kind": "Biên giới",
    "handed_over_by": "Bàn giao bởi",
    "phone": "Số điện thoại",
}


def make_register_import(user, organisation, data: bytes, *, checked=True, name="so.csv"):
    file_format = files.detect_format(name, data[:8])
    headers, rows = files.read_table(data, file_format)
    register = RegisterImport.objects.create(
        organisation=organisation,
        uploaded_by=user,
        original_name=name,
        file_format=file_format,
        headers=headers,
        row_count=len(rows),
        **files.store(data),
    )
    engine.remember_mapping(register, MAPPING, "border_handover")
    if checked:
        engine.check(register, user=user)
    return register
