"""Vietnamese-aware text keys.

Names are stored exactly as given (NFC). Everything used for search or matching is a
*derived* key: decomposed, diacritics stripped, đ→d, lower case, single spaces.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD keeps them.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """The stored form of a name: NFC, trimmed, inner spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """A search key: no diacritics, đ→d, lower case, single spaces.

    "Nguyễn Thị Hoà", "Nguyen Thi Hoa" and "NGUYỄN THỊ HÒA" all fold to "nguyen thi hoa".
    """
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_tokens(value: str) -> list[str]:
    """The folded words of a value, punctuation removed."""
    return [t for t in re.split(r"[^0-9a-z]+", fold(value)) if t]
