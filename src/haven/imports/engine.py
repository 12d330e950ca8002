"""From register rows to receptions: map columns, check every row, import all or nothing.

Each row becomes the same plain values the API takes (`haven.api.intake`), so it is
validated by the reception page's own form and recorded by `receive_person`. Cells may hold
names where the API takes codes ("Lào Cai" or "15", "Campuchia" or "KH"); they are resolved
here. Work is done in the request: files are capped at HAVEN_IMPORT_MAX_ROWS rows until a
background job queue exists.
"""

import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.api import intake
from haven.audit import log as audit
from haven.cases.models import EntryRoute, ExploitationForm
from haven.imports import duplicates, files
from haven.imports.models import ColumnMapping, RegisterImport
from haven.people.text import fold
from haven.places.models import Commune, Country, Ethnicity, Province, communes_of

# Haven field → label shown in the mapping form. The reception form's fields, less those a
# register cannot sensibly carry (handover at reception, children: record them afterwards).
FIELDS = {
    "entry_route": gettext_lazy("Entry route"),
    "received_at": gettext_lazy("Date and time of reception"),
    "province": gettext_lazy("Province of reception"),
    "commune": gettext_lazy("Commune or ward of reception"),
    "place_detail": gettext_lazy("Place (border gate, address)"),
    "full_name": gettext_lazy("Full name, as she gives it"),
    "other_names": gettext_lazy("Other names or nicknames"),
    "sex": gettext_lazy("Sex"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "approximate_age": gettext_lazy("Approximate age, if the date of birth is not known"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "languages": gettext_lazy("Languages spoken"),
    "needs_interpreter": gettext_lazy("Needs an interpreter"),
    "nationality": gettext_lazy("Nationality"),
    "document_kind": gettext_lazy("Identity document"),
    "document_number": gettext_lazy("Document number"),
    "phone": gettext_lazy("Phone"),
    "home_province": gettext_lazy("Home province"),
    "home_commune": gettext_lazy("Home commune or ward"),
    "home_address": gettext_lazy("Village, street and house number"),
    "border_kind": gettext_lazy("Border"),
    "handed_over_by": gettext_lazy("Handed over by"),
    "foreign_authority": gettext_lazy("Foreign authority"),
    "handover_record_number": gettext_lazy("Handover record number"),
    "persons_on_list": gettext_lazy("Persons on the handover list"),
    "police_operation": gettext_lazy("Police operation or unit"),
    "rescued": gettext_lazy("Rescued in an operation"),
    "return_country": gettext_lazy("Returning from (country)"),
    "foreign_agency_contact": gettext_lazy("Foreign agency contact"),
    "travel_document_status": gettext_lazy("Travel document"),
    "reported_at": gettext_lazy("Where she reported"),
    "destination_country": gettext_lazy("Country where she was exploited"),
    "exploitation_forms": gettext_lazy("Forms of exploitation"),
    "recruitment": gettext_lazy("How she was recruited"),
    "exploitation_from": gettext_lazy("Exploited from"),
    "exploitation_to": gettext_lazy("Exploited until"),
    "account": gettext_lazy("Her account, in her words"),
    "need_medical": gettext_lazy("Medical care"),
    "need_shelter": gettext_lazy("Shelter"),
    "need_food": gettext_lazy("Food"),
    "need_clothing": gettext_lazy("Clothing"),
    "need_safety": gettext_lazy("Safety"),
    "needs_notes": gettext_lazy("Notes on immediate needs"),
}
# Headings registers commonly use, folded, for the first guess of the mapping.
ALIASES = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ten": "full_name",
    "name": "full_name",
    "gioi tinh": "sex",
    "ngay sinh": "date_of_birth",
    "tuoi": "approximate_age",
    "age": "approximate_age",
    "ngay tiep nhan": "received_at",
    "date received": "received_at",
    "tinh": "province",
    "dan toc": "ethnicity",
    "quoc tich": "nationality",
    "so dien thoai": "phone",
    "sdt": "phone",
    "so cccd": "document_number",
    "cccd": "document_number",
    "que quan": "home_province",
    "dia chi": "home_address",
    "tuyen tiep nhan": "entry_route",
}
DATE_FIELDS = {"date_of_birth", "exploitation_from", "exploitation_to"}
DATETIME_FIELDS = {"received_at"}
INTEGER_FIELDS = {"approximate_age", "persons_on_list"}
BOOLEAN_FIELDS = {
    "needs_interpreter",
    "rescued",
    "need_medical",
    "need_shelter",
    "need_food",
    "need_clothing",
    "need_safety",
}
TRUE = {"1", "x", "yes", "y", "true", "co", "c", "dung"}
FALSE = {"0", "no", "n", "false", "khong", "k", "sai"}
SEXES = {"nu": "F", "female": "F", "f": "F", "nam": "M", "male": "M", "m": "M"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")
PLACE_PREFIXES = ("tinh ", "thanh pho ", "tp ", "tp. ", "xa ", "phuong ", "dac khu ")
PROGRESS_EVERY = 25


def guess_mapping(headers: list[str], remembered: dict) -> dict:
    """Haven field → heading: the organisation's last mapping where the heading is still
    there, else a heading that reads like the field."""
    mapping = {f: h for f, h in remembered.items() if f in FIELDS and h in headers}
    taken = set(mapping.values())
    labels = {fold(str(label)): name for name, label in FIELDS.items()}
    for heading in headers:
        if heading in taken or not heading:
            continue
        key = fold(heading)
        field = ALIASES.get(key) or labels.get(key) or (key if key in FIELDS else None)
        if field and field not in mapping:
            mapping[field] = heading
            taken.add(heading)
    return mapping


class Places:
    """Names or codes of provinces, communes, countries and ethnicities → codes."""

    def __init__(self):
        self._provinces = self._index(Province.objects.all())
        self._countries = self._index(Country.objects.all(), extra=("alpha3",))
        self._ethnicities = self._index(Ethnicity.objects.all())
        self._communes: dict[str, dict[str, str]] = {}

    @staticmethod
    def _index(rows, extra=()) -> dict[str, str]:
        """Name or code → code. A name shared by a former and a current unit ("Lào Cai")
        means the current one."""
        index = {}
        for row in sorted(rows, key=lambda r: getattr(r, "valid_to", None) is not None):
            for key in (row.name_vi, row.name_en, *(getattr(row, f) for f in extra)):
                index.setdefault(_place_key(key), row.code)
            index[_place_key(row.code)] = row.code
        return index

    def province(self, value) -> str:
        return self._provinces.get(_place_key(value), str(value))

    def country(self, value) -> str:
        return self._countries.get(_place_key(value), str(value))

    def ethnicity(self, value) -> str:
        return self._ethnicities.get(_place_key(value), str(value))

    def commune(self, value, province_code) -> str:
        if Commune.objects.filter(code=str(value).strip()).exists():
            return str(value).strip()
        if province_code not in self._communes:
            province = Province.objects.filter(code=province_code).first()
            communes = communes_of(province.pk) if province else Commune.objects.none()
            self._communes[province_code] = {_place_key(c.name_vi): c.code for c in communes}
        return self._communes[province_code].get(_place_key(value), str(value))


def _place_key(value) -> str:
    key = fold(str(value or ""))
    for prefix in PLACE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text  # the form says it is not a date


def _datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(0, 0))
    text = _text(value)
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    parsed = _date(text)
    if isinstance(parsed, datetime.date):
        return datetime.datetime.combine(parsed, datetime.time(0, 0))
    return text


def row_values(row, headers, mapping, *, default_route, organisation, places: Places):
    """(values for `intake.build`, problems found while reading the cells)."""
    position = {h: i for i, h in enumerate(headers)}
    raw = {}
    for field, heading in mapping.items():
        if heading in position:
            value = row[position[heading]]
            if value is not None and _text(value) != "":
                raw[field] = value
    values: dict = {"organisation": organisation.code}
    problems: dict[str, list[str]] = {}
    for field, value in raw.items():
        if field in DATE_FIELDS:
            values[field] = _date(value)
        elif field in DATETIME_FIELDS:
            values[field] = _datetime(value)
        elif field in BOOLEAN_FIELDS:
            key = fold(_text(value))
            if key in TRUE or key in FALSE:
                values[field] = key in TRUE
            else:
                problems[field] = [_("Write yes or no (có / không).")]
        elif field == "sex":
            values[field] = SEXES.get(fold(_text(value)), _text(value).upper())
        elif field == "exploitation_forms":
            codes = [c.strip() for c in _text(value).replace(";", ",").split(",") if c.strip()]
            labels = {fold(str(label)): code for code, label in ExploitationForm.choices}
            values[field] = [labels.get(fold(c), c) for c in codes]
        elif field == "entry_route":
            labels = {fold(str(label)): code for code, label in EntryRoute.choices}
            values[field] = labels.get(fold(_text(value)), _text(value))
        else:
            values[field] = _text(value)
    values.setdefault("entry_route", default_route)
    for field, resolve in (
        ("province", places.province),
        ("home_province", places.province),
        ("nationality", places.country),
        ("return_country", places.country),
        ("destination_country", places.country),
        ("ethnicity", places.ethnicity),
    ):
        if field in values:
            values[field] = resolve(values[field])
    for commune, province in (("commune", "province"), ("home_commune", "home_province")):
        if commune in values:
            values[commune] = places.commune(values[commune], values.get(province, ""))
    return values, problems


def _table(register: RegisterImport):
    return files.read_table(files.read_stored(register.storage_name), register.file_format)


def remember_mapping(register: RegisterImport, mapping: dict, default_route: str) -> None:
    register.mapping = mapping
    register.default_route = default_route
    register.save(update_fields=["mapping", "default_route"])
    ColumnMapping.objects.update_or_create(
        organisation=register.organisation,
        defaults={"columns": mapping, "default_route": default_route},
    )


def check(register: RegisterImport, *, user) -> list[dict]:
    """The dry run: every row validated as the reception form would, nothing saved but the
    report. Progress is written as it goes (see `progress`)."""
    headers, rows = _table(register)
    RegisterImport.objects.filter(pk=register.pk).update(
        status=RegisterImport.Status.CHECKING, progress=0, row_count=len(rows)
    )
    places, codes = Places(), intake.Codes()
    report, all_values = [], []
    for index, row in enumerate(rows):
        values, problems = row_values(
            row,
            headers,
            register.mapping,
            default_route=register.default_route,
            organisation=register.organisation,
            places=places,
        )
        received = intake.build(values, user=user, codes=codes)
        valid = received.is_valid()
        errors = {**received.errors(), **problems} if not (valid and not problems) else {}
        report.append({"row": index + 2, "errors": errors, "duplicates": []})
        all_values.append(values)
        if index % PROGRESS_EVERY == 0:
            RegisterImport.objects.filter(pk=register.pk).update(progress=index)
    for index, messages in duplicates.likely_duplicates(all_values, user).items():
        report[index]["duplicates"] = messages
    register.report = json.dumps(report, ensure_ascii=False)
    register.row_count = len(rows)
    register.progress = len(rows)
    register.error_count = sum(1 for r in report if r["errors"])
    register.duplicate_count = sum(1 for r in report if r["duplicates"])
    register.status = RegisterImport.Status.CHECKED
    register.save()
    audit.record(
        "import.check",
        user=user,
        organisation=register.organisation,
        obj=register,
        details={
            "rows": len(rows),
            "errors": register.error_count,
            "duplicates": register.duplicate_count,
            "sha256": register.sha256,
        },
    )
    return report


class RowRefused(Exception):
    def __init__(self, row: int, errors: dict):
        super().__init__(row)
        self.row = row
        self.errors = errors


def run(register: RegisterImport, *, user, ip_address: str = "") -> list[str]:
    """Import every row in one transaction: one refused row and nothing is saved."""
    headers, rows = _table(register)
    places, codes = Places(), intake.Codes()
    try:
        with transaction.atomic():
            references = []
            for index, row in enumerate(rows):
                values, problems = row_values(
                    row,
                    headers,
                    register.mapping,
                    default_route=register.default_route,
                    organisation=register.organisation,
                    places=places,
                )
                received = intake.build(values, user=user, codes=codes)
                if not received.is_valid() or problems:
                    raise RowRefused(index + 2, {**received.errors(), **problems})
                references.append(received.receive(user=user, ip_address=ip_address).reference)
            register.status = RegisterImport.Status.IMPORTED
            register.imported_at = timezone.now()
            register.case_references = references
            register.save(update_fields=["status", "imported_at", "case_references"])
            audit.record(
                "import.run",
                user=user,
                organisation=register.organisation,
                obj=register,
                ip_address=ip_address,
                details={"rows": len(rows), "cases": len(references), "sha256": register.sha256},
            )
    except RowRefused as refused:
        register.status = RegisterImport.Status.FAILED
        register.save(update_fields=["status"])
        audit.record(
            "import.refused",
            user=user,
            organisation=register.organisation,
            obj=register,
            ip_address=ip_address,
            details={"row": refused.row, "fields": sorted(refused.errors)},
        )
        raise
    return references
