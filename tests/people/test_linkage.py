import random
from collections import Counter

from haven.people.linkage import PersonRecord, explain_pair, find_duplicates
from haven.people.linkage.blocking import candidate_pairs
from haven.people.linkage.compare import COMPARISONS, NULL, compare
from haven.people.linkage.model import DEFAULT_MODEL
from haven.people.linkage.pipeline import DEFAULT_THRESHOLD
from haven.people.linkage.records import prepare
from haven.people.linkage.training import estimate_m
from haven.people.names import random_name
from haven.people.text import fold

HOA = PersonRecord(
    rec_id="border-1",
    surname="Nguyễn",
    middle_name="Thị",
    given_name="Hoa",
    sex="F",
    birth_year=1998,
    birth_month=3,
    birth_day=12,
    province="Hà Giang",
    national_id="002198001234",
    phone="0912 345 678",
)


def _level(a: PersonRecord, b: PersonRecord, field: str) -> str:
    index = [c.field for c in COMPARISONS].index(field)
    level = compare(prepare(a), prepare(b))[index]
    return "null" if level == NULL else COMPARISONS[index].levels[level]


def test_two_women_with_the_same_common_name_and_other_birth_dates_are_not_linked():
    other = PersonRecord(
        rec_id="shelter-9",
        surname="Nguyễn",
        middle_name="Thị",
        given_name="Hoa",
        sex="F",
        birth_year=2001,
        birth_month=7,
        birth_day=25,
        province="Hà Giang",
    )
    assert explain_pair(HOA, other).score < 0.01


def test_the_same_woman_typed_by_another_agency_is_linked():
    # No diacritics, day and month swapped, no ID, no phone, her old province's new name.
    again = PersonRecord(
        rec_id="police-4",
        surname="NGUYEN",
        middle_name="THI",
        given_name="HOA",
        sex="F",
        birth_year=1998,
        birth_month=12,
        birth_day=3,
        province="Tinh Tuyen Quang",
    )
    match = explain_pair(HOA, again)
    # DEFAULT_MODEL's prior is that of a million-record register: strong evidence is needed.
    assert match.score >= DEFAULT_THRESHOLD
    evidence = {e.field: e for e in match.evidence}
    assert evidence["birth_date"].level == "day and month swapped"
    assert evidence["home"].level == "same province, commune not known on both"
    assert evidence["birth_date"].weight > 0
    assert "national_id" not in evidence  # unknown on one side: no evidence either way


def test_different_identity_numbers_of_the_same_kind_count_against():
    other = PersonRecord(
        rec_id="x", surname="Nguyễn", middle_name="Thị", given_name="Hoa", sex="F",
        birth_year=1998, birth_month=3, birth_day=12, province="Hà Giang",
        national_id="002198777777",
    )  # fmt: skip
    assert _level(HOA, other, "national_id") == "different"
    weights = {e.field: e.weight for e in explain_pair(HOA, other).evidence}
    assert weights["national_id"] < 0


def test_an_old_card_and_a_citizen_id_are_not_compared():
    other = PersonRecord(rec_id="x", national_id="012345678")
    assert _level(HOA, other, "national_id") == "null"


def test_birth_date_levels():
    def born(y, m, d):
        return PersonRecord(rec_id="x", birth_year=y, birth_month=m, birth_day=d)

    a = born(1998, 3, 12)
    assert _level(a, born(1998, 3, 12), "birth_date") == "same"
    assert _level(a, born(1998, 12, 3), "birth_date") == "day and month swapped"
    assert _level(a, born(1999, 3, 12), "birth_date").startswith("year off by one")
    differs = "month or day differs (may also be swapped)"
    assert _level(a, born(1998, 3, 21), "birth_date") == differs
    assert _level(a, born(1998, 12, 5), "birth_date") == differs  # swapped, then a typo
    assert _level(a, born(1998, 3, None), "birth_date") == "partial, known parts agree"
    assert _level(a, born(2001, 7, 25), "birth_date") == "different"
    assert _level(a, born(None, 3, 12), "birth_date") == "null"


def test_blocking_is_not_driven_by_the_family_name():
    rng = random.Random(5)
    records = [
        prepare(
            PersonRecord(
                rec_id=str(i),
                surname="Nguyễn",
                middle_name="Thị",
                given_name=given,
                sex="F",
                birth_year=rng.randint(1975, 2005),
                birth_month=rng.randint(1, 12),
                birth_day=rng.randint(1, 28),
                province=rng.choice(["Hà Nội", "Nghệ An", "Lào Cai"]),
            )
        )
        for i, given in enumerate(["Hoa", "Lan", "Mai", "Linh"] * 100)
    ]
    pairs = list(candidate_pairs(records))
    # 400 Nguyễn Thị women: all pairs would be 79,800; sharing only the family name is not
    # enough to be compared.
    assert len(pairs) < 1_000
    for i, j in pairs:
        a, b = records[i], records[j]
        assert a.name.given == b.name.given or a.birth == b.birth


def test_oversized_blocks_are_skipped():
    # A shelter's phone on 300 unrelated records must not make 44,850 pairs.
    records = [
        prepare(PersonRecord(rec_id=str(i), given_name=f"Person{i}", phone="0243 826 1111"))
        for i in range(300)
    ]
    assert list(candidate_pairs(records, max_block_size=100)) == []


def test_em_recovers_m_probabilities_from_unlabelled_counts():
    rng = random.Random(11)
    true_m = {0: (0.9, 0.07, 0.03), 6: (0.95, 0.03, 0.02)}
    u = DEFAULT_MODEL.u
    counts = Counter()
    for _ in range(20_000):
        match = rng.random() < 0.3
        pattern = [NULL] * len(COMPARISONS)
        for i in (0, 3, 6):
            probabilities = (true_m.get(i) or DEFAULT_MODEL.m[i]) if match else u[i]
            pattern[i] = rng.choices(range(len(probabilities)), probabilities)[0]
        counts[tuple(pattern)] += 1
    m, share = estimate_m(counts, u, [0, 3, 6])
    assert abs(share - 0.3) < 0.02
    for i, expected in true_m.items():
        assert abs(m[i][0] - expected[0]) < 0.02


def _register(rng: random.Random, people: int, duplicates: int):
    """People with distinct random dates, then re-registrations typed with errors."""
    records, truth = [], set()
    for i in range(people):
        sex = rng.choice("FM")
        family, middle, given = random_name(rng, sex)
        records.append(PersonRecord(
            rec_id=f"P{i:05d}", surname=family, middle_name=middle, given_name=given, sex=sex,
            birth_year=rng.randint(1980, 2008), birth_month=rng.randint(1, 12),
            birth_day=rng.randint(1, 28), province=rng.choice(["Hà Giang", "Lào Cai", "Nghệ An"]),
            national_id=f"{rng.randrange(10**12):012d}" if rng.random() < 0.5 else "",
        ))  # fmt: skip
    for k in range(duplicates):
        original = records[rng.randrange(people)]
        day, month = original.birth_day, original.birth_month
        if day <= 12 and rng.random() < 0.5:
            day, month = month, day
        records.append(PersonRecord(
            rec_id=f"D{k:05d}", surname=fold(original.surname).upper(),
            middle_name=fold(original.middle_name), given_name=fold(original.given_name),
            sex=original.sex, birth_year=original.birth_year, birth_month=month, birth_day=day,
            province={"Hà Giang": "Tuyên Quang", "Lào Cai": "Lao Cai"}.get(
                original.province, original.province),
        ))  # fmt: skip
        truth.add(tuple(sorted((original.rec_id, f"D{k:05d}"))))
    return records, truth


def test_find_duplicates_on_a_register_with_typing_errors():
    records, truth = _register(random.Random(4), people=3_000, duplicates=150)
    pairs, model = find_duplicates(records)
    found = {(p.rec_id_a, p.rec_id_b) for p in pairs}
    true_positives = len(found & truth)
    assert true_positives / len(found) > 0.95  # precision
    assert true_positives / len(truth) > 0.95  # recall
    assert all(p.rec_id_a < p.rec_id_b and 0.5 <= p.score <= 1 for p in pairs)
    assert 0 < model.prior < 1e-3


def test_find_duplicates_without_duplicates_finds_none_among_namesakes():
    rng = random.Random(9)
    # 60 women called Nguyễn Thị Hoa, all born on different dates.
    dates = rng.sample([(y, m, d) for y in range(1985, 2005) for m in range(1, 13)
                        for d in range(1, 29)], 60)  # fmt: skip
    records = [
        PersonRecord(rec_id=f"H{i}", surname="Nguyễn", middle_name="Thị", given_name="Hoa",
                     sex="F", birth_year=y, birth_month=m, birth_day=d, province="Hà Giang")
        for i, (y, m, d) in enumerate(dates)
    ]  # fmt: skip
    pairs, _ = find_duplicates(records)
    for pair in pairs:  # only a coincidence of swapped or off-by-one dates may link
        a = next(r for r in records if r.rec_id == pair.rec_id_a)
        b = next(r for r in records if r.rec_id == pair.rec_id_b)
        assert _level(a, b, "birth_date") != "different"
