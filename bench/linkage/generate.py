"""Synthetic Vietnamese person registers with realistic errors and a known truth.

Writes INPUT.csv in the ``haven dedupe`` format and TRUTH.csv (``rec_id_a,rec_id_b``: every
pair of records of the same person, ``rec_id_a < rec_id_b``). A share of the records
(default 5%) are further registrations of an already registered person by another agency,
typed with the errors agencies make: diacritics dropped, capitals, typos, day and month
swapped, year off by one, documents and phones missing or in other formats, old or new
province names. Usage::

    python bench/linkage/generate.py --records 20000 --out-dir var/bench-linkage
"""

import argparse
import csv
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from haven.people.names import random_name
from haven.people.text import fold

COLUMNS = [
    "rec_id", "surname", "middle_name", "given_name", "sex", "birth_year", "birth_month",
    "birth_day", "province", "national_id", "phone",
]  # fmt: skip
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Mobile prefixes in use since the 2018 renumbering.
_MOBILE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
    "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "092", "093", "094",
    "096", "097", "098", "099",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    family: str
    middle: str
    given: str
    sex: str
    year: int
    month: int
    day: int
    old_province: str  # short name of one of the 63 former provinces
    new_province: str
    cccd: str | None
    cmnd: str | None
    phone: str | None


def provinces() -> list[tuple[str, str]]:
    """(old short name, new short name) for the 63 former provinces."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    rows = query("SELECT DISTINCT province, provinceShort FROM admin_units_legacy")
    return [(r["provinceShort"], convert_address(r["province"]).short_province) for r in rows]


def make_person(rng: random.Random, places: list[tuple[str, str]]) -> Person:
    sex = "F" if rng.random() < 0.7 else "M"  # most identified victims are women and girls
    family, middle, given = random_name(rng, sex)
    year = min(2010, max(1960, round(rng.gauss(1995, 8))))
    month = rng.randint(1, 12)
    day = rng.randint(1, _DAYS_IN_MONTH[month - 1])
    old, new = rng.choice(places)
    cccd = cmnd = phone = None
    if rng.random() < 0.75:
        century_sex = ("1" if sex == "F" else "0") if year < 2000 else ("3" if sex == "F" else "2")
        cccd = f"{rng.randint(1, 96):03d}{century_sex}{year % 100:02d}{rng.randint(0, 999999):06d}"
    if rng.random() < 0.4:
        cmnd = f"{rng.randint(10, 38):02d}{rng.randint(0, 9999999):07d}"
    if rng.random() < 0.6:
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 9999999):07d}"
    return Person(family, middle, given, sex, year, month, day, old, new, cccd, cmnd, phone)


def strip_marks(value: str) -> str:
    """Diacritics dropped the way people type without a Vietnamese keyboard (case kept)."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeioumnhtg") + word[i + 1 :]


def format_phone(rng: random.Random, phone: str) -> str:
    rest = phone[1:]
    return rng.choice((
        phone, f"+84{rest}", f"84{rest}", f"{phone[:4]}.{phone[4:7]}.{phone[7:]}",
        f"+84 {rest[:2]} {rest[2:5]} {rest[5:]}", f"{phone[:4]} {phone[4:]}",
    ))  # fmt: skip


def format_province(rng: random.Random, person: Person, prefer_new: bool) -> str:
    name = person.new_province if prefer_new else person.old_province
    if rng.random() < 0.3:
        city = fold(name) in ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
        name = ("Thành phố " if city else "Tỉnh ") + name
    return name


def original_row(rng: random.Random, person: Person) -> dict[str, str]:
    """The first registration: careful typing, the document on hand, the old province name
    for about half (registered before mid-2025)."""
    national_id = person.cccd or person.cmnd or ""
    if rng.random() < 0.15:
        national_id = ""
    return {
        "surname": person.family, "middle_name": person.middle, "given_name": person.given,
        "sex": person.sex, "birth_year": str(person.year), "birth_month": str(person.month),
        "birth_day": "" if rng.random() < 0.02 else str(person.day),
        "province": format_province(rng, person, prefer_new=rng.random() < 0.5),
        "national_id": national_id,
        "phone": format_phone(rng, person.phone) if person.phone and rng.random() < 0.8 else "",
    }  # fmt: skip


def duplicate_row(rng: random.Random, person: Person) -> dict[str, str]:
    """A later registration by another agency, with that agency's errors."""
    row = original_row(rng, person)
    names = [row["surname"], row["middle_name"], row["given_name"]]
    if rng.random() < 0.5:
        names = [strip_marks(n) for n in names]
    if rng.random() < 0.2:
        names = [n.upper() for n in names]
    if rng.random() < 0.15:
        k = rng.randrange(3)
        names[k] = typo(rng, names[k])
    if rng.random() < 0.05:
        names[1] = ""
    if rng.random() < 0.05:  # passport order, family name last, all in the given-name cell
        names = ["", "", f"{names[1]} {names[2]} {names[0]}".strip()]
    row["surname"], row["middle_name"], row["given_name"] = names
    month, day, year = person.month, person.day, person.year
    if day <= 12 and rng.random() < 0.2:
        month, day = day, month
    if rng.random() < 0.05:
        year += rng.choice((-1, 1))
    elif rng.random() < 0.04:
        day = rng.randint(1, 28)
    row.update(birth_year=str(year), birth_month=str(month),
               birth_day="" if rng.random() < 0.05 else str(day))  # fmt: skip
    if rng.random() < 0.05:
        row["sex"] = ""
    ids = [i for i in (person.cccd, person.cmnd) if i]
    row["national_id"] = rng.choice(ids) if ids and rng.random() < 0.5 else ""
    if row["national_id"] and rng.random() < 0.05:
        row["national_id"] = _digit_typo(rng, row["national_id"])
    if rng.random() < 0.5:
        row["phone"] = ""
    elif rng.random() < 0.1:
        row["phone"] = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 9999999):07d}"
    row["province"] = "" if rng.random() < 0.1 else format_province(rng, person, rng.random() < 0.6)
    if rng.random() < 0.4:
        row["province"] = strip_marks(row["province"])
    return row


def _digit_typo(rng: random.Random, number: str) -> str:
    i = rng.randrange(len(number))
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


def generate(records: int, duplicate_share: float, seed: int, out_dir: Path) -> tuple[Path, Path]:
    rng = random.Random(seed)
    places = provinces()
    duplicates = round(records * duplicate_share)
    people = [make_person(rng, places) for _ in range(records - duplicates)]
    rows = [(p, original_row(rng, people[p])) for p in range(len(people))]
    for _ in range(duplicates):
        p = rng.randrange(len(people))
        rows.append((p, duplicate_row(rng, people[p])))
    rng.shuffle(rows)
    width = len(str(records))
    out_dir.mkdir(parents=True, exist_ok=True)
    input_path, truth_path = out_dir / "input.csv", out_dir / "truth.csv"
    members: dict[int, list[str]] = {}
    with input_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for n, (p, row) in enumerate(rows, start=1):
            rec_id = f"R{n:0{width}d}"
            members.setdefault(p, []).append(rec_id)
            writer.writerow({"rec_id": rec_id, **row})
    with truth_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["rec_id_a", "rec_id_b"])
        for ids in members.values():
            ids.sort()
            for x, a in enumerate(ids):
                for b in ids[x + 1 :]:
                    writer.writerow([a, b])
    return input_path, truth_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--duplicates", type=float, default=0.05, help="share of records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out-dir", type=Path, default=Path("var/bench-linkage"))
    args = parser.parse_args()
    paths = generate(args.records, args.duplicates, args.seed, args.out_dir)
    print(*paths)


if __name__ == "__main__":
    main()
