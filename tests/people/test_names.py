import random
import unicodedata
from collections import Counter

import pytest

from haven.people import names
from haven.people.names import random_name


def test_random_name_is_reproducible_for_a_seed():
    draws = [random_name(random.Random(3), "F") for _ in range(2)]
    assert draws[0] == draws[1]


@pytest.mark.parametrize("sex", ["F", "M"])
def test_random_name_draws_from_the_lists_for_that_sex(sex):
    rng = random.Random(1)
    middles = {n for n, _ in (names.FEMALE_MIDDLE_NAMES if sex == "F" else names.MALE_MIDDLE_NAMES)}
    givens = {n for n, _ in (names.FEMALE_GIVEN_NAMES if sex == "F" else names.MALE_GIVEN_NAMES)}
    for _ in range(500):
        family, middle, given = random_name(rng, sex)
        assert family in {n for n, _ in names.FAMILY_NAMES}
        assert middle in middles
        assert given in givens


def test_family_names_follow_their_weights():
    rng = random.Random(7)
    counts = Counter(random_name(rng, "F")[0] for _ in range(20_000))
    assert 0.36 < counts["Nguyễn"] / 20_000 < 0.40
    assert 0.09 < counts["Trần"] / 20_000 < 0.13
    assert counts["Giàng"] > 0  # the ethnic-minority tail is drawn too


def test_thi_and_van_dominate_middle_names():
    rng = random.Random(2)
    female = Counter(random_name(rng, "F")[1] for _ in range(5_000))
    male = Counter(random_name(rng, "M")[1] for _ in range(5_000))
    assert female.most_common(1)[0][0] == "Thị"
    assert male.most_common(1)[0][0] == "Văn"


def test_all_names_are_nfc():
    lists = (
        names.FAMILY_NAMES,
        names.FEMALE_MIDDLE_NAMES,
        names.MALE_MIDDLE_NAMES,
        names.FEMALE_GIVEN_NAMES,
        names.MALE_GIVEN_NAMES,
    )
    for pairs in lists:
        for name, weight in pairs:
            assert unicodedata.normalize("NFC", name) == name
            assert weight > 0


def test_unknown_sex_is_refused():
    with pytest.raises(ValueError, match="sex"):
        random_name(random.Random(0), "X")
