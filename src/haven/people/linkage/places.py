"""Province names, old (63 before 1 July 2025) or new (34), to the new province.

The table comes from the ``vietnamadminunits`` package, built on first use and cached for
the life of the process; the package is imported only then, so importing this module is
cheap.
"""

import json
from functools import cache, lru_cache

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
    """Build the province table now (about 2 s), so a server worker does it as it starts
    rather than on the first reception it is asked to match."""
    _province_table()


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
