"""Field comparisons: each maps a pair of prepared records to a discrete agreement level.

Levels are ordered from strongest agreement to plain disagreement. ``NULL`` means the field
cannot be compared (unknown on either side, or two different kinds of identity document)
and carries no evidence either way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from haven.people.linkage.normalise import BirthDate
from haven.people.linkage.records import LinkRecord

NULL = -1


@dataclass(frozen=True)
class Comparison:
    """A named field comparison and the labels of its levels, best first."""

    field: str
    levels: tuple[str, ...]
    level: Callable[[LinkRecord, LinkRecord], int]


# Bounded: random pairs sampled for u bring many name pairs that never come back.
@lru_cache(maxsize=1 << 17)
def _different_name_level(a: str, b: str) -> int:
    """1 a typo apart, 2 different, for two unequal non-empty folded name parts."""
    # One edit in a short syllable ("Hoa"/"Hoan") or a close multi-word string.
    if DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1:
        return 1
    if JaroWinkler.similarity(a, b) >= 0.92:
        return 1
    return 2


def _name_level(x: str, y: str) -> int:
    if not x or not y:
        return NULL
    if x == y:
        return 0
    return _different_name_level(x, y) if x < y else _different_name_level(y, x)


def _name_part(attr: str) -> Callable[[LinkRecord, LinkRecord], int]:
    def level(a: LinkRecord, b: LinkRecord) -> int:
        return _name_level(getattr(a.name, attr), getattr(b.name, attr))

    return level


def _birth_level(a: LinkRecord, b: LinkRecord) -> int:
    x, y = a.birth, b.birth
    if x.year is None or y.year is None:
        return NULL
    complete = _complete(x) and _complete(y)
    if complete and x == y:
        return 0
    if complete and x.year == y.year and (x.month, x.day) == (y.day, y.month):
        return 1  # day and month swapped
    if complete and abs(x.year - y.year) == 1 and _same_or_swapped(x, y):
        return 2
    if complete and x.year == y.year and _one_part_agrees(x, y):
        return 3  # one typo in month or day, which may also be swapped
    if x.year == y.year and _known_parts_agree(x, y):
        return 4  # one side has only the year, or year and month
    return 5


def _same_or_swapped(x: BirthDate, y: BirthDate) -> bool:
    return (x.month, x.day) in ((y.month, y.day), (y.day, y.month))


def _one_part_agrees(x: BirthDate, y: BirthDate) -> bool:
    return x.month in (y.month, y.day) or x.day in (y.month, y.day)


def _complete(d: BirthDate) -> bool:
    return d.month is not None and d.day is not None


def _known_parts_agree(x: BirthDate, y: BirthDate) -> bool:
    return all(p is None or q is None or p == q for p, q in ((x.month, y.month), (x.day, y.day)))


def _exact(attr: str) -> Callable[[LinkRecord, LinkRecord], int]:
    def level(a: LinkRecord, b: LinkRecord) -> int:
        x, y = getattr(a, attr), getattr(b, attr)
        if x is None or y is None:
            return NULL
        return 0 if x == y else 1

    return level


def _home_level(a: LinkRecord, b: LinkRecord) -> int:
    """Home province and commune as one comparison: agreeing on the commune implies
    agreeing on the province, so two separate fields would count that evidence twice."""
    if a.province is not None and b.province is not None and a.province != b.province:
        return 4
    if a.commune is not None and b.commune is not None:
        if not a.commune.isdisjoint(b.commune):
            return 0
        return 1 if _communes_one_edit_apart(a, b) else 3
    if a.province is not None and b.province is not None:
        return 2
    return NULL


def _communes_one_edit_apart(a: LinkRecord, b: LinkRecord) -> bool:
    """A commune name mistyped on one side: in one province, the name as written or as
    looked up on one side is one edit from the other's."""
    for x in (a.commune_written, *a.commune):
        province, _, name = x.partition("|")
        for y in (b.commune_written, *b.commune):
            other_province, _, other_name = y.partition("|")
            if province == other_province and _one_edit_level(name, other_name) == 1:
                return True
    return False


def _one_edit_level(x: str, y: str) -> int:
    if x == y:
        return 0
    return 1 if DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1 else 2


def _identity_level(a: LinkRecord, b: LinkRecord) -> int:
    x, y = a.identity, b.identity
    # An old 9-digit card and a 12-digit citizen ID of one person are different numbers.
    if x is None or y is None or x[0] != y[0]:
        return NULL
    return _one_edit_level(x[1], y[1])


def _phone_level(a: LinkRecord, b: LinkRecord) -> int:
    if a.phone is None or b.phone is None:
        return NULL
    return _one_edit_level(a.phone, b.phone)


NAME_LEVELS = ("same", "typo", "different")
EDIT_LEVELS = ("same", "one edit", "different")

COMPARISONS: tuple[Comparison, ...] = (
    Comparison("family_name", NAME_LEVELS, _name_part("family")),
    Comparison("middle_name", NAME_LEVELS, _name_part("middle")),
    Comparison("given_name", NAME_LEVELS, _name_part("given")),
    Comparison(
        "birth_date",
        (
            "same",
            "day and month swapped",
            "year off by one (day and month may be swapped)",
            "month or day differs (may also be swapped)",
            "partial, known parts agree",
            "different",
        ),
        _birth_level,
    ),
    Comparison("sex", ("same", "different"), _exact("sex")),
    Comparison(
        "home",
        (
            "same commune",
            "commune name one edit apart",
            "same province, commune not known on both",
            "different commune",
            "different province",
        ),
        _home_level,
    ),
    Comparison("national_id", EDIT_LEVELS, _identity_level),
    Comparison("phone", EDIT_LEVELS, _phone_level),
)

Pattern = tuple[int, ...]


def compare(a: LinkRecord, b: LinkRecord) -> Pattern:
    """The comparison vector of a pair: one level index (or ``NULL``) per comparison.

    The same as ``tuple(c.level(a, b) for c in COMPARISONS)``, written out: it runs for
    every candidate pair, millions of times, and looping over the comparisons made it
    1.4 times slower.
    """
    x, y = a.name, b.name
    return (
        _name_level(x.family, y.family),
        _name_level(x.middle, y.middle),
        _name_level(x.given, y.given),
        _birth_level(a, b),
        NULL if a.sex is None or b.sex is None else 0 if a.sex == b.sex else 1,
        _home_level(a, b),
        _identity_level(a, b),
        _phone_level(a, b),
    )
