"""Blocking: which pairs of records are compared at all.

Comparing every pair is quadratic. Instead each record gets several blocking keys and only
records sharing a key are compared; the candidate pairs are the union over keys. No key
rests on the family name alone (about 38% of Vietnamese are Nguyễn) or on a common given
name alone: each combines name parts with birth-date parts (most also with the province),
or is a document or phone number. Day and month enter as an unordered pair so swapped
dates share keys. Blocks larger than ``max_block_size`` (a shelter's phone on hundreds of
records, a placeholder ID) are skipped: they would cost quadratic time and carry little
evidence.
"""

from array import array
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence

from haven.people.linkage.records import LinkRecord

BlockingKey = Callable[[LinkRecord], Hashable | None]


def _day_month(r: LinkRecord) -> tuple[int, int] | None:
    month, day = r.birth.month, r.birth.day
    if month is None or day is None:
        return None
    return (month, day) if month <= day else (day, month)


def identity_key(r: LinkRecord) -> Hashable | None:
    return r.identity


def phone_key(r: LinkRecord) -> Hashable | None:
    return r.phone


def _given_birth(r: LinkRecord) -> Hashable | None:
    day_month = _day_month(r)
    if not r.name.given or r.birth.year is None or day_month is None:
        return None
    return r.name.given, r.birth.year, day_month


def full_name_birth_key(r: LinkRecord) -> Hashable | None:
    birth = r.birth
    if not r.name.given or birth.year is None or birth.month is None or birth.day is None:
        return None
    return r.name.family, r.name.middle, r.name.given, birth.year, birth.month, birth.day


def _full_name_year_province(r: LinkRecord) -> Hashable | None:
    if not r.name.given or r.birth.year is None or r.province is None:
        return None
    return r.name.family, r.name.middle, r.name.given, r.birth.year, r.province


def _family_given_day_month_province(r: LinkRecord) -> Hashable | None:
    # No year: catches a year off by one, or a middle name dropped or misspelt.
    day_month = _day_month(r)
    if not r.name.given or day_month is None or r.province is None:
        return None
    return r.name.family, r.name.given, day_month, r.province


def _family_birth_province(r: LinkRecord) -> Hashable | None:
    # No given or middle name: catches typos in them.
    day_month = _day_month(r)
    if not r.name.family or r.birth.year is None or day_month is None or r.province is None:
        return None
    return r.name.family, r.birth.year, day_month, r.province


BLOCKING_KEYS: tuple[tuple[str, BlockingKey], ...] = (
    ("national_id", identity_key),
    ("phone", phone_key),
    ("given name + birth date", _given_birth),
    ("full name + birth year + province", _full_name_year_province),
    ("family + given name + day/month + province", _family_given_day_month_province),
    ("family name + birth date + province", _family_birth_province),
)


def key_blocks(
    records: Sequence[LinkRecord], key: BlockingKey, max_block_size: int
) -> tuple[list[list[int]], int]:
    """The blocks (record indexes, ascending) of 2 to ``max_block_size`` records sharing a
    value of ``key``, and the number of larger blocks left out."""
    blocks: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        value = key(record)
        if value is not None:
            blocks[value].append(index)
    kept = [members for members in blocks.values() if 2 <= len(members) <= max_block_size]
    skipped = sum(1 for members in blocks.values() if len(members) > max_block_size)
    return kept, skipped


def pairs_in(blocks: list[list[int]]) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, within each block (a pair may repeat across blocks)."""
    for members in blocks:
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                yield i, j


def candidate_pairs(
    records: Sequence[LinkRecord],
    *,
    max_block_size: int = 100,
    progress: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of records sharing at least one key, in order."""
    n = len(records)
    seen: set[int] = set()  # i * n + j: one int per pair keeps memory low
    for name, key in BLOCKING_KEYS:
        blocks, skipped = key_blocks(records, key, max_block_size)
        before = len(seen)
        seen.update(i * n + j for i, j in pairs_in(blocks))
        if progress:
            progress(
                f"blocking on {name}: {len(seen) - before:,} new pairs"
                + (f", {skipped:,} blocks over {max_block_size} skipped" if skipped else "")
            )
    codes = array("q", sorted(seen))
    del seen
    for code in codes:
        yield divmod(code, n)
