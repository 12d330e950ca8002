"""Canonical forms of phone and document numbers, so the same number always hashes alike."""

import re

_NON_DIGITS = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Z]")


def normalise_phone(value: str) -> str:
    """Vietnamese numbers in national form: "+84 912 345 678" and "0912.345.678" → "0912345678".

    Foreign numbers keep their country code with a leading "+".
    """
    raw = (value or "").strip()
    digits = _NON_DIGITS.sub("", raw)
    if not digits:
        return ""
    if raw.startswith("+") or raw.startswith("00"):
        digits = digits[2:] if raw.startswith("00") else digits
        if digits.startswith("84"):
            return "0" + digits[2:]
        return "+" + digits
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits


def normalise_document_number(value: str) -> str:
    """Upper case, letters and digits only: "c 1234-567" → "C1234567"."""
    return _NON_ALNUM.sub("", (value or "").upper())
