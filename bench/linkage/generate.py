"""Synthetic Vietnamese person registers with realistic errors and a known truth.

Writes INPUT.csv in the ``haven dedupe`` format and TRUTH.csv (``rec_id_a,rec_id_b``: every
pair of records of the same person, ``rec_id_a < rec_id_b``). A share of the records
(default 5%) are further registrations of an already registered person by another agency,
typed with the errors agencies make: diacritics dropped, capitals, typos, day and month
swapped, year off by one, documents and phones missing or in other formats, old or new
province and commune names, a commune left out or a move to another commune. Usage::

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
    "birth_day", "province", "national_id", "phone", "commune",
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
    home: "Ward"
    cccd: str | None
    cmnd: str | None
    phone: str | None


@dataclass(frozen=True)
class Ward:
    """A home commune before 1 July 2025 and the commune it has been part of since."""

    old_province: str  # short name of one of the 63 former provinces
    old_commune: str  # with its kind: "Xã Mỹ Khánh"
    old_short: str
    new_province: str
    new_commune: str
    new_short: str


def wards() -> list[Ward]:
    """The former communes, converted by ``vietnamadminunits`` itself (not by Haven's
    tables, which the linkage under test uses), about 10 s."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, district, ward, provinceShort, wardShort FROM admin_units_legacy"
        " WHERE ward IS NOT NULL"
    )
    found = []
    for r in rows:
        new = convert_address(f"{r['ward']}, {r['district']}, {r['province']}")
        if new.ward:
            found.append(Ward(r["provinceShort"], r["ward"], r["wardShort"],
                              new.short_province, new.ward, new.short_ward))  # fmt: skip
    return found


def make_person(rng: random.Random, places: list[Ward]) -> Person:
    sex = "F" if rng.random() < 0.7 else "M"  # most identified victims are women and girls
    family, middle, given = random_name(rng, sex)
    year = min(2010, max(1960, round(rng.gauss(1995, 8))))
    month = rng.randint(1, 12)
    day = rng.randint(1, _DAYS_IN_MONTH[month - 1])
    home = rng.choice(places)
    cccd = cmnd = phone = None
    if rng.random() < 0.75:
        century_sex = ("1" if sex == "F" else "0") if year < 2000 else ("3" if sex == "F" else "2")
        cccd = f"{rng.randint(1, 96):03d}{century_sex}{year % 100:02d}{rng.randint(0, 999999):06d}"
    if rng.random() < 0.4:
        cmnd = f"{rng.randint(10, 38):02d}{rng.randint(0, 9999999):07d}"
    if rng.random() < 0.6:
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 9999999):07d}"
    return Person(family, middle, given, sex, year, month, day, home, cccd, cmnd, phone)


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


def format_province(rng: random.Random, home: Ward, prefer_new: bool) -> str:
    name = home.new_province if prefer_new else home.old_province
    if rng.random() < 0.3:
        city = fold(name) in ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
        name = ("Thành phố " if city else "Tỉnh ") + name
    return name


def format_commune(rng: random.Random, home: Ward, prefer_new: bool) -> str:
    """The commune in the same era as the province beside it, with or without its kind."""
    if prefer_new:
        return home.new_commune if rng.random() < 0.5 else home.new_short
    return home.old_commune if rng.random() < 0.5 else home.old_short


def original_row(rng: random.Random, person: Person) -> dict[str, str]:
    """The first registration: careful typing, the document on hand, the old province and
    commune names for about half (registered before mid-2025)."""
    national_id = person.cccd or person.cmnd or ""
    if rng.random() < 0.15:
        national_id = ""
    new_names = rng.random() < 0.5
    return {
        "surname": person.family, "middle_name": person.middle, "given_name": person.given,
        "sex": person.sex, "birth_year": str(person.year), "birth_month": str(person.month),
        "birth_day": "" if rng.random() < 0.02 else str(person.day),
        "province": format_province(rng, person.home, new_names),
        "commune": "" if rng.random() < 0.1 else format_commune(rng, person.home, new_names),
        "national_id": national_id,
        "phone": format_phone(rng, person.phone) if person.phone and rng.random() < 0.8 else "",
    }  # fmt: skip


def duplicate_row(
    rng: random.Random, person: Person, neighbours: dict[str, list[Ward]]
) -> dict[str, str]:
    """A later registration by another agency, with that agency's errors; ``neighbours``
    are the communes of each new province, for a person who has moved."""
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
    home = person.home
    if rng.random() < 0.05:  # moved within the province since the first registration
        home = rng.choice(neighbours[home.new_province])
    new_names = rng.random() < 0.6
    row["province"] = "" if rng.random() < 0.1 else format_province(rng, home, new_names)
    row["commune"] = "" if rng.random() < 0.15 else format_commune(rng, home, new_names)
    if row["commune"] and rng.random() < 0.05:
        row["commune"] = typo(rng, row["commune"])
    if rng.random() < 0.4:  # the address typed without a Vietnamese keyboard
        row["province"], row["commune"] = strip_marks(row["province"]), strip_marks(row["commune"])
    return row


def _digit_typo(rng: random.Random, number: str) -> str:
    i = rng.randrange(len(number))
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


def generate(records: int, duplicate_share: float, seed: int, out_dir: Path) -> tuple[Path, Path]:
    rng = random.Random(seed)
    places = wards()
    neighbours: dict[str, list[Ward]] = {}
    for ward in places:
        neighbours.setdefault(ward.new_province, []).append(ward)
    duplicates = round(records * duplicate_share)
    people = [make_person(rng, places) for _ in range(records - duplicates)]
    rows = [(p, original_row(rng, people[p])) for p in range(len(people))]
    for _ in range(duplicates):
        p = rng.randrange(len(people))
        rows.append((p, duplicate_row(rng, people[p], neighbours)))
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
