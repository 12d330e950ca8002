"""Blocking as arrays, and linkage split across two processes, give the plain answers."""

import os
import random
from itertools import combinations

from haven.people.linkage import PersonRecord, find_duplicates
from haven.people.linkage.blocking import BLOCKING_KEYS, Alternatives, key_pair_codes
from haven.people.linkage.parallel import Background
from haven.people.linkage.records import prepare
from tests.people.test_linkage import _register


def _records(rng: random.Random, size: int) -> list:
    """Few values per field, so keys collide often and blocks of every size occur."""
    return [
        prepare(PersonRecord(
            rec_id=str(i), surname=rng.choice(["Nguyễn", "Trần", "Lê"]),
            middle_name=rng.choice(["Thị", "Văn", ""]), given_name=rng.choice(["Hoa", "Linh"]),
            sex=rng.choice("FM"), birth_year=rng.choice([1990, 1991, None]),
            birth_month=rng.randint(1, 3), birth_day=rng.choice([1, 2, 3, None]),
            province=rng.choice(["Hà Giang", "Tuyên Quang", "Huế", ""]),
            commune=rng.choice(["Hồng Hà", "Phường Hồng Hà", "Ô Diên", ""]),
            national_id=rng.choice(["", "", "002190000001"]),
        ))
        for i in range(size)
    ]  # fmt: skip


def _plain_pairs(records, key, max_block_size):
    """The pairs of a key by brute force: same value (or a shared alternative), in a block
    no larger than allowed."""
    blocks = {}
    for index, record in enumerate(records):
        value = key(record)
        if value is None:
            continue
        for alternative in value if isinstance(value, Alternatives) else (value,):
            blocks.setdefault(alternative, []).append(index)
    n = len(records)
    return sorted({
        i * n + j
        for members in blocks.values() if len(members) <= max_block_size
        for i, j in combinations(members, 2)
    })  # fmt: skip


def test_array_blocking_finds_exactly_the_pairs_of_each_key():
    records = _records(random.Random(2), 400)
    for name, key in BLOCKING_KEYS:
        for max_block_size in (3, 100):
            codes, skipped = key_pair_codes(records, key, max_block_size)
            assert codes.tolist() == _plain_pairs(records, key, max_block_size), name
    codes, skipped = key_pair_codes(records, BLOCKING_KEYS[0][1], 3)
    assert skipped >= 1  # the shared document number makes one big block, left out


def test_two_processes_find_the_same_pairs_as_one():
    records, truth = _register(random.Random(8), people=1500, duplicates=80)
    one, model_one = find_duplicates(records, processes=1)
    two, model_two = find_duplicates(records, processes=2)
    assert one == two
    assert model_one == model_two
    assert len({(p.rec_id_a, p.rec_id_b) for p in one} & truth) > 70


def test_a_background_step_that_dies_is_run_here_instead():
    parent = os.getpid()

    def dies_in_the_child():
        if os.getpid() != parent:
            os._exit(9)  # as if killed for memory
        return "computed here"

    assert Background(dies_in_the_child).result() == "computed here"
    assert Background(lambda: os.getpid()).result() != parent


def test_the_written_out_comparison_is_the_list_of_comparisons():
    from haven.people.linkage.compare import COMPARISONS, compare

    records, _ = _register(random.Random(5), people=300, duplicates=60)
    records = [prepare(r) for r in records] + _records(random.Random(6), 200)
    rng = random.Random(7)
    for _ in range(3000):
        a, b = rng.choice(records), rng.choice(records)
        assert compare(a, b) == tuple(c.level(a, b) for c in COMPARISONS)
