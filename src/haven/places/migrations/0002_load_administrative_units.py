"""Load the 34 provinces and 3,321 communes in force since 1 July 2025, the 63 former
provinces (valid until 30 June 2025) linked to their successors, ISO 3166 countries with
Vietnamese names, and Vietnam's 54 ethnic groups.

Sources: the `vietnam-provinces` package (current units), `vietnamadminunits` (former
provinces and their conversion), `pycountry` (countries), places/data/*.csv.
Idempotent: rows are matched on their code.
"""

import csv
import datetime
import gettext
import sqlite3
import unicodedata
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REORGANISED = datetime.date(2025, 7, 1)
LEGACY_FROM = datetime.date(2008, 8, 1)  # Hà Tây merged into Hà Nội: the 63-province era


def strip_marks(value):
    value = value.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))


def key(value):
    return " ".join(strip_marks(value).lower().split())


def short_name(name):
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def english_province(name, is_city):
    base = strip_marks(short_name(name))
    return f"{base} City" if is_city else f"{base} Province"


def upsert(model, code, **fields):
    model.objects.update_or_create(code=code, defaults=fields)


def load_current(Province, Commune):
    import vietnam_provinces as vp

    provinces = {}
    for p in vp.Province.iter_all():
        code = f"{p.code.value:02d}"
        is_city = p.division_type.value == "thành phố trung ương"
        name_vi = p.name
        obj, _ = Province.objects.update_or_create(code=code, defaults={
            "gso_code": code, "name_vi": name_vi, "name_en": english_province(name_vi, is_city),
            "search_key": key(short_name(name_vi)), "kind": "city" if is_city else "province",
            "valid_from": REORGANISED, "valid_to": None, "successor": None,
        })
        provinces[p.code.value] = obj
    kinds = {"xã": "commune", "phường": "ward", "đặc khu": "special_zone"}
    existing = {c.code: c for c in Commune.objects.all()}
    new_rows = []
    for w in vp.Ward.iter_all():
        code = f"{w.code.value:05d}"
        fields = {
            "name_vi": w.name, "name_en": strip_marks(w.name), "search_key": key(w.name),
            "province": provinces[w.province_code.value], "kind": kinds[w.division_type.value],
            "valid_from": REORGANISED, "valid_to": None,
        }
        if code in existing:
            row = existing[code]
            for attr, value in fields.items():
                setattr(row, attr, value)
            row.save()
        else:
            new_rows.append(Commune(code=code, **fields))
    Commune.objects.bulk_create(new_rows, batch_size=1000)
    return provinces


def load_former(Province, provinces):
    import vietnamadminunits
    from vietnamadminunits import convert_address

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT province, provinceCode FROM admin_units_legacy"
        ).fetchall()
    for name, code in rows:
        successor = provinces[int(convert_address(name).province_code)]
        is_city = name.startswith("Thành phố")
        Province.objects.update_or_create(code=f"L{code}", defaults={
            "gso_code": code, "name_vi": short_name(name),
            "name_en": english_province(name, is_city), "search_key": key(short_name(name)),
            "kind": "city" if is_city else "province", "valid_from": LEGACY_FROM,
            "valid_to": REORGANISED - datetime.timedelta(days=1), "successor": successor,
        })


def load_countries(Country):
    import pycountry

    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    with open(DATA_DIR / "country_names_vi.csv", encoding="utf-8") as handle:
        overrides = {row["code"]: row["name_vi"] for row in csv.DictReader(handle)}
    for c in pycountry.countries:
        name_en = getattr(c, "common_name", None) or c.name
        name_vi = overrides.get(c.alpha_2) or vi.gettext(c.name)
        upsert(Country, c.alpha_2, alpha3=c.alpha_3, name_en=name_en, name_vi=name_vi,
               search_key=key(name_vi) + " " + key(name_en))


def load_ethnicities(Ethnicity):
    with open(DATA_DIR / "ethnicities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            upsert(Ethnicity, row["code"], name_vi=row["name_vi"], name_en=row["name_en"],
                   search_key=key(row["name_vi"]))


def load(apps, schema_editor):
    Province = apps.get_model("places", "Province")
    provinces = load_current(Province, apps.get_model("places", "Commune"))
    load_former(Province, provinces)
    load_countries(apps.get_model("places", "Country"))
    load_ethnicities(apps.get_model("places", "Ethnicity"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
