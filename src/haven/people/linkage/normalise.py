"""Match keys for Vietnamese person records: names, dates, identity numbers and phones.

Every function here is pure and returns ``None`` (or an empty key) for an unknown value, so
comparisons can tell "missing" from "different". Province names live in ``places``.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from haven.people.identifiers import normalise_document_number, normalise_phone
from haven.people.names import FAMILY_NAMES
from haven.people.text import fold, nfc

_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=65536)
def spelling_key(token: str) -> str:
    """Fold spelling variants of one folded syllable: a final y after a consonant is i.

    The 1980s spelling reform let "Lý/Lí", "Mỹ/Mĩ", "Kỳ/Kì", "Vy/Vi" be written either way;
    after a vowel ("Huy", "Thuỳ", "Quy") y is a different sound and is kept.
    """
    if len(token) >= 2 and token.endswith("y") and token[-2] not in _VOWELS:
        return token[:-1] + "i"
    return token


# How common each folded family name is, to decide name order. Beyond the weighted list:
# rarer Kinh, Khmer and Hoa family names that appear in registers.
_FAMILY_WEIGHT: dict[str, float] = {
    **dict.fromkeys(("khuc", "thach", "danh", "son", "la", "ong", "lai", "khong", "tang"), 0.05),
    **{spelling_key(fold(name)): weight for name, weight in reversed(FAMILY_NAMES)},
}
# Middle names that are never a family name and almost never a given name: seen first, the
# name is in passport order; seen last before the family name, in Western order. Unaccented
# "van" is not one: it may be the given name Vân.
_MIDDLE_MARKERS = frozenset({"thị", "văn", "thi"})
# Last word wins the family slot only if it is this many times as common as the first word:
# "Lý Thị Hà" stays as written, "Quàng Long Phạm" does not.
_REORDER_RATIO = 10
_WORD_BREAKS = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class NameKey:
    """A folded name in Vietnamese order: family, middle (may be several words), given."""

    family: str
    middle: str
    given: str


@lru_cache(maxsize=262144)
def name_key(full_name: str) -> NameKey:
    """Parse a full name written in any case, with or without diacritics, in either order.

    "Nguyễn Thị Hoà", "Nguyen Thi Hoa", "NGUYEN THI HOA", "Thị Hoà Nguyễn" and
    "Hoa Thi Nguyen" all give ``NameKey("nguyen", "thi", "hoa")``. The first word is the
    family name unless it is a middle name such as Thị, or the last word is a much more
    common family name (passport order, family name last).
    """
    words = [w for w in _WORD_BREAKS.split(nfc(full_name).lower()) if w]
    folded = [spelling_key(fold(w)) for w in words]
    if len(folded) < 2:
        return NameKey("", "", folded[0] if folded else "")
    first_weight = _FAMILY_WEIGHT.get(folded[0], 0.0)
    last_weight = _FAMILY_WEIGHT.get(folded[-1], 0.0)
    family_last = last_weight > 0 and (
        words[0] in _MIDDLE_MARKERS or last_weight >= _REORDER_RATIO * first_weight
    )
    if family_last:
        rest, rest_words = folded[:-1], words[:-1]
        if rest_words[-1] in _MIDDLE_MARKERS and rest_words[0] not in _MIDDLE_MARKERS:
            rest.reverse()  # given-middle-family: "Hoa Thi Nguyen"
        return NameKey(folded[-1], " ".join(rest[:-1]), rest[-1])
    if words[0] in _MIDDLE_MARKERS:  # no family name given: "Thị Hoà"
        return NameKey("", " ".join(folded[:-1]), folded[-1])
    return NameKey(folded[0], " ".join(folded[1:-1]), folded[-1])


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A possibly partial birth date; any part may be ``None``."""

    year: int | None
    month: int | None
    day: int | None


@lru_cache(maxsize=65536)  # a register holds some tens of thousands of distinct dates
def birth_date(year: int | None, month: int | None, day: int | None) -> BirthDate:
    """A plausible birth date from its parts: impossible parts become unknown.

    A month above 12 with a day of 12 or less is read as day and month typed the wrong way
    round and swapped back.
    """
    if year is not None and not 1900 <= year <= 2100:
        year = None
    if month is not None and day is not None and month > 12 and 1 <= day <= 12 and month <= 31:
        month, day = day, month
    if month is not None and not 1 <= month <= 12:
        month = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return BirthDate(year, month, day)


_PASSPORT = re.compile(r"^[A-Z]{1,2}\d{6,8}$")


def identity_number(value: str) -> tuple[str, str] | None:
    """``(kind, number)`` for an identity document number, or ``None`` if unusable.

    kind is "cmnd" (old 9-digit card), "cccd" (12-digit citizen ID), "passport" (letters
    then digits, e.g. C1234567) or "other". The number is in the stored canonical form
    (``normalise_document_number``); one of all the same digit ("000000000") is a
    placeholder, not an identity.
    """
    if not value:
        return None
    number = normalise_document_number(value)
    if len(number) < 6 or len(set(number)) == 1:
        return None
    if number.isdigit():
        kind = {9: "cmnd", 12: "cccd"}.get(len(number), "other")
    elif _PASSPORT.match(number):
        kind = "passport"
    else:
        kind = "other"
    return kind, number


# Mobile prefixes renumbered from 11 to 10 digits in 2018 (old 01xx → new 0xx).
_OLD_MOBILE_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


def phone_number(value: str) -> str | None:
    """A phone number in the stored canonical form (``normalise_phone``), or ``None``.

    Beyond that form: a Vietnamese number written without its leading 0 gets it, old
    11-digit mobile numbers become their 10-digit form, and numbers too short to be real
    or of one repeated digit are unusable (``None``).
    """
    if not value:
        return None
    number = normalise_phone(value)
    if len(set(number.lstrip("+0"))) <= 1:
        return None  # empty, or a placeholder such as 0999999999
    if number.startswith("+"):  # foreign
        return number if len(number) >= 9 else None
    if not number.startswith("0"):
        number = "0" + number
    if len(number) == 11 and number[:4] in _OLD_MOBILE_PREFIXES:
        number = _OLD_MOBILE_PREFIXES[number[:4]] + number[4:]
    return number if len(number) >= 10 else None
