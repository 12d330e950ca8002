"""Province and commune names, old (before 1 July 2025) or new, to the new units.

The tables come from the ``vietnamadminunits`` package, built on first use and cached for
the life of the process; the package is imported only then, so importing this module is
cheap.
"""

import json
from functools import cache, lru_cache
from importlib import resources

from haven.people.text import fold_tokens

# Words that name the kind of unit, not the unit: "Tỉnh Lào Cai" is "Lào Cai".
_UNIT_WORDS = (("thanh", "pho"), ("tinh",), ("tp",))
# Names still found in records that the package does not list: Thừa Thiên Huế became the
# city of Huế in January 2025; Hà Tây joined Hà Nội in 2008.
_ALIASES = {"thuathienhue": "hue", "hatay": "hanoi"}


def _compact(tokens: list[str]) -> str:
    return "".join(tokens)


def _strip_unit_words(tokens: list[str]) -> list[str]:
    for words in _UNIT_WORDS:
        if tuple(tokens[: len(words)]) == words and len(tokens) > len(words):
            return tokens[len(words) :]
    return tokens


@cache
def _province_table() -> dict[str, str]:
    """Compact folded keyword ("hagiang", "tinhhagiang", "hn") → new short name ("Tuyên Quang")."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    table: dict[str, str] = {}
    legacy = query("SELECT DISTINCT province, provinceKeywords FROM admin_units_legacy")
    for row in legacy:
        new_name = convert_address(row["province"]).short_province
        for keyword in json.loads(row["provinceKeywords"]):
            table[keyword] = new_name
    current = query("SELECT DISTINCT provinceShort, provinceKeywords FROM admin_units")
    for row in current:  # new names win where a keyword is shared
        for keyword in json.loads(row["provinceKeywords"]):
            table[keyword] = row["provinceShort"]
    for alias, keyword in _ALIASES.items():
        table[alias] = table[keyword]
    return table


def warm() -> None:
    """Build the place tables now (about 2 s), so a server worker does it as it starts
    rather than on the first reception it is asked to match."""
    _province_table()
    _commune_table()


@lru_cache(maxsize=4096)
def new_province(name: str) -> str | None:
    """The new (2025) province for a province name as written, or ``None`` if unknown.

    "Tỉnh Hà Giang", "Ha Giang" and "HÀ GIANG" give "Tuyên Quang"; "Lao Cai", "Tỉnh Lào Cai"
    and "Yên Bái" give "Lào Cai"; an empty name gives ``None``.
    """
    tokens = fold_tokens(name)
    if not tokens:
        return None
    table = _province_table()
    for key in (_compact(tokens), _compact(_strip_unit_words(tokens))):
        if key in table:
            return table[key]
    return None


def province_key(name: str) -> str | None:
    """A comparison key for a province: the new province, else the folded text as written.

    Unknown names (a pre-2008 "Hà Tây", a misspelling) still agree with themselves.
    """
    return new_province(name) or (_compact(fold_tokens(name)) or None)


# Folded words naming the kind of commune-level unit, written before its name in full.
_COMMUNE_UNIT_WORDS = (("thi", "tran"), ("dac", "khu"), ("phuong",), ("xa",), ("p",))
# The same words as the package's compact keys begin with them ("xamykhanh").
_COMMUNE_KEY_PREFIXES = ("thitran", "dackhu", "phuong", "xa")


def _commune_name(tokens: list[str]) -> str:
    """Compact key of a commune's name without its unit word.

    Every y is an i: the package's keys run syllables together, so "Mỹ/Mĩ" cannot be told
    from "Huy" there; folding both sides alike keeps the key consistent.
    """
    for words in _COMMUNE_UNIT_WORDS:  # a unit word alone ("Xã") names no commune
        if tuple(tokens[: len(words)]) == words:
            tokens = tokens[len(words) :]
            break
    return _compact_name(tokens)


def _compact_name(tokens: list[str]) -> str:
    return "".join(tokens).replace("y", "i")


def _strip_key_prefix(key: str) -> str:
    for prefix in _COMMUNE_KEY_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


@cache
def _commune_table() -> tuple[dict[tuple[str, str], frozenset[str]], dict[str, frozenset[str]]]:
    """Where each commune name, current or former, lies since 1 July 2025.

    Returns ``(province, name) → new communes`` and ``name → new communes`` (for records
    without a province). A new commune is ``"<new province>|<name key>"``. A former commune
    split between several new ones maps to all of them; a name shared by several communes
    of one province (common before districts were abolished) maps to all of theirs.
    """
    from vietnamadminunits.database import query

    data = resources.files("vietnamadminunits").joinpath("data/converter_2025.json")
    converter = json.loads(data.read_text(encoding="utf-8"))
    province_of = {
        row["provinceKey"]: row["provinceShort"]
        for row in query("SELECT DISTINCT provinceKey, provinceShort FROM admin_units")
    }
    by_place: dict[tuple[str, str], set[str]] = {}

    def add(province: str, name_key: str, new_commune_key: str) -> None:
        name = _commune_name([name_key])
        new = f"{province}|{_commune_name([_strip_key_prefix(new_commune_key)])}"
        by_place.setdefault((province, name), set()).add(new)

    for province_key, communes in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        province = province_of[province_key]
        for new_key, old_keys in communes.items():
            add(province, _strip_key_prefix(new_key), new_key)
            for old_key in old_keys:  # "<old province>_<old district>_<old commune>"
                add(province, _strip_key_prefix(old_key.rsplit("_", 1)[-1]), new_key)
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        province = province_of[province_key]
        for old_key, parts in divided.items():
            for part in parts:
                add(province, _strip_key_prefix(old_key.rsplit("_", 1)[-1]), part["newWardKey"])
                add(province, _strip_key_prefix(part["newWardKey"]), part["newWardKey"])
    by_name: dict[str, set[str]] = {}
    for (_, name), news in by_place.items():
        by_name.setdefault(name, set()).update(news)
    return (
        {place: frozenset(news) for place, news in by_place.items()},
        {name: frozenset(news) for name, news in by_name.items()},
    )


@lru_cache(maxsize=65536)
def commune_key(province: str, commune: str) -> frozenset[str] | None:
    """The new communes a commune name as written may be, or ``None`` if it is empty.

    ``province`` is the record's province as written (old or new, any spelling). "Xã Mỹ
    Khánh", "My Khanh" and "xa mi khanh" in Cần Thơ give the commune Mỹ Khánh became in
    2025. Two records are of the same home commune when their keys share a commune. A name
    the tables do not know still agrees with itself, within its province.
    """
    written = written_commune(province, commune)
    if written is None:
        return None
    place, _, name = written.partition("|")
    # A name that begins like a unit word ("Xá Lượng", "Phương Liên") written without its
    # unit: looked up both as written and with that word taken for the unit.
    names = {name, _compact_name(fold_tokens(commune))}
    by_place, by_name = _commune_table()
    found = frozenset().union(
        *(by_place.get((place, n), ()) if place else by_name.get(n, ()) for n in names)
    )
    return found or frozenset({written})


@lru_cache(maxsize=65536)
def written_commune(province: str, commune: str) -> str | None:
    """``"<province>|<name>"`` of a commune as written, not looked up: the new province
    (or the province as written if unknown, or nothing) and the compact name. For telling
    a mistyped name from another commune."""
    name = _commune_name(fold_tokens(commune))
    if not name:
        return None
    return f"{province_key(province) or '' if province else ''}|{name}"
