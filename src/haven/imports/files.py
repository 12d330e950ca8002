"""Reading registers (CSV as UTF-8 with or without BOM, XLSX) and keeping them encrypted."""

import csv
import hashlib
import io
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.access import crypto
from haven.cases import documents

XLSX_MAGIC = b"PK\x03\x04"


def detect_format(name: str, head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if name.lower().endswith((".csv", ".txt")):
        return "csv"
    raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."), code="format")


def read_table(data: bytes, file_format: str) -> tuple[list[str], list[list]]:
    """The headings of the first row and the rows below it (blank rows dropped)."""
    rows = _read_xlsx(data) if file_format == "xlsx" else _read_csv(data)
    rows = [row for row in rows if any(_filled(v) for v in row)]
    if not rows:
        raise ValidationError(_("The file has no rows."), code="empty")
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    if not any(headers):
        raise ValidationError(_("The first row must hold the column headings."), code="headers")
    width = len(headers)
    body = [list(row[:width]) + [None] * (width - len(row)) for row in rows[1:]]
    limit = settings.HAVEN_IMPORT_MAX_ROWS
    if len(body) > limit:
        raise ValidationError(
            _("The file has %(rows)s rows; at most %(limit)s can be imported at once. Split it.")
            % {"rows": len(body), "limit": limit},
            code="too_many_rows",
        )
    return headers, body


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a BOM; other tools do not
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The CSV file is not UTF-8. Save it as “CSV UTF-8” and upload it again."),
            code="encoding",
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(_("This Excel file cannot be read."), code="unreadable") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def store(data: bytes) -> dict:
    """Encrypt and keep the original file, beside case documents; return its facts."""
    storage_name = uuid.uuid4().hex
    path = documents.storage_path(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crypto.encrypt_bytes(data))
    return {
        "storage_name": storage_name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def read_stored(storage_name: str) -> bytes:
    return documents.read(storage_name)
