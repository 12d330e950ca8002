"""The de-identified HTCDS export: k-anonymity over its quasi-identifiers, nothing direct."""

import datetime
import random
from collections import Counter

import pytest

from haven.reports import htcds

pytestmark = pytest.mark.django_db


def synthetic(n: int, seed: int = 1) -> list[dict]:
    generator = random.Random(seed)
    return [
        {
            "prs_Gender": generator.choice(["Feminine", "Feminine", "Masculine"]),
            "vic_AgeWhenTrafficked": generator.randint(12, 60),
            "prs_Citizenship": generator.choice(["VN"] * 9 + ["KH", "LA"]),
            "prs_MailingState": generator.choice(
                [("Lào Cai", "15"), ("Hà Nội", "01"), ("An Giang", "91"), ("Nghệ An", "40")]
            ),
            "hte_Country": generator.choice(["CN", "CN", "KH", "MY", "VN", ""]),
            "hte_Date": generator.choice([2019, 2021, 2023, 2025]),
        }
        for _ in range(n)
    ]


@pytest.mark.parametrize(("n", "k"), [(40, 11), (300, 11), (1000, 5), (2000, 11)])
def test_every_published_combination_occurs_at_least_k_times(n, k):
    published, levels, left_out = htcds.anonymise(synthetic(n, seed=n), k)
    classes = Counter(tuple(r[q] for q in htcds.QUASI_IDENTIFIERS) for r in published)
    assert all(size >= k for size in classes.values())
    assert left_out <= max(int(n * htcds.MAX_SUPPRESSED), n if n < k else 0) or not published
    assert len(published) + left_out == n


def test_fewer_records_than_k_publish_nothing():
    published, _levels, left_out = htcds.anonymise(synthetic(5), 11)
    assert published == [] and left_out == 5


def test_export_of_the_registry_has_no_direct_identifiers(registry, settings):
    settings.HAVEN_K_ANONYMITY = 2
    published, _levels, _left_out = htcds.export(registry.period)
    text = repr(published)
    for secret in ("Hoà", "Minh", "Lan", registry.hoa.reference, "2000-05-17"):
        assert secret not in text
    assert all(set(r) <= set(htcds.FIELDS) for r in published)
    classes = Counter(tuple(r[q] for q in htcds.QUASI_IDENTIFIERS) for r in published)
    assert all(size >= 2 for size in classes.values())


def test_raw_records_count_each_person_once(registry):
    records = htcds.raw_records(registry.period)
    # Hoà's two cases (two linked Person rows), Minh, Lan: three persons.
    assert len(records) == 3
    assert {r["hte_Date"] for r in records} <= {
        datetime.date.today().year,
        datetime.date.today().year - 1,
    }
