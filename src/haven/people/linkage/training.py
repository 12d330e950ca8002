"""Estimating the model from an unlabelled register, the way Splink recommends.

1. u from random pairs: two records drawn at random are almost never the same person, so
   their comparison levels are the non-match distribution.
2. m by EM, in sessions, with u fixed. Each session takes the pairs found by one blocking
   rule and leaves out the fields that rule forces to agree or makes depend on each other
   (they would look like evidence while being an artefact of the rule). Pairs sharing an
   identity number or phone (nearly all matches) train names, birth date, sex and
   province; pairs sharing full name and birth date train province, documents and phones.
   A field's m is the mean over the sessions that trained it.
3. The prior (``estimate_prior``) once the candidate pairs are known: the expected number
   of matches among them, under the model, divided by the number of all pairs, solved as a
   fixed point. Pairs outside the candidates are taken as non-matches.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from haven.people.linkage.blocking import (
    BlockingKey,
    full_name_birth_key,
    identity_key,
    key_pair_codes,
    phone_key,
    sorted_unique,
)
from haven.people.linkage.compare import COMPARISONS, NULL, Pattern, compare
from haven.people.linkage.model import DEFAULT_MODEL, FellegiSunter
from haven.people.linkage.records import LinkRecord

_FLOOR = 1e-7  # keeps every u above zero so weights stay finite
# No level is impossible for the same person: clerks mistype sex or a document number too.
_M_FLOOR = 1e-4
_FIELD = {c.field: i for i, c in enumerate(COMPARISONS)}
_NAMES = (_FIELD["family_name"], _FIELD["middle_name"], _FIELD["given_name"])
_BIRTH, _SEX = _FIELD["birth_date"], _FIELD["sex"]
_IDENTITY, _PHONE = _FIELD["national_id"], _FIELD["phone"]
_MIN_PRIOR = 1e-15  # keeps the prior's log-odds finite when no candidate looks like a match
# Below this many pairs a session is skipped and its fields keep DEFAULT_MODEL's m.
MIN_SESSION_PAIRS = 200


def estimate_u(
    records: Sequence[LinkRecord], rng: random.Random, sample_size: int
) -> tuple[tuple[float, ...], ...]:
    """u for every comparison level, from ``sample_size`` random pairs of distinct records."""
    counts = [[0] * len(c.levels) for c in COMPARISONS]
    n = len(records)
    for _ in range(sample_size):
        i, j = rng.randrange(n), rng.randrange(n - 1)
        j += j >= i  # j uniform over the other records
        for k, level in enumerate(compare(records[i], records[j])):
            if level != NULL:
                counts[k][level] += 1
    # Levels never seen get half a count: a probability below what the sample can show.
    return tuple(_normalised([c or 0.5 for c in row], _FLOOR) for row in counts)


def estimate_m(
    pattern_counts: Counter[Pattern],
    u: tuple[tuple[float, ...], ...],
    trained: Sequence[int],
    *,
    start: FellegiSunter = DEFAULT_MODEL,
    iterations: int = 30,
) -> tuple[dict[int, tuple[float, ...]], float]:
    """EM for the m of the comparisons ``trained`` (indexes), u fixed.

    Only the trained comparisons enter either step. Returns their m and the share of the
    session's pairs that match.
    """
    m = {i: start.m[i] for i in trained}
    share = 0.5
    for _ in range(iterations):
        m_counts = {i: [0.0] * len(COMPARISONS[i].levels) for i in trained}
        matched = total = 0.0
        for pattern, count in pattern_counts.items():
            odds = share / (1 - share)
            for i in trained:
                level = pattern[i]
                if level != NULL:
                    odds *= m[i][level] / u[i][level]
            g = odds / (1 + odds)
            matched += count * g
            total += count
            for i in trained:
                if pattern[i] != NULL:
                    m_counts[i][pattern[i]] += count * g
        share = min(max(matched / total, _FLOOR), 1 - _FLOOR)
        m = {i: _normalised(row, _M_FLOOR) if sum(row) > 0 else m[i] for i, row in m_counts.items()}
    return m, share


def train(
    records: Sequence[LinkRecord],
    *,
    seed: int = 0,
    u_sample_size: int = 1_000_000,
    max_session_pairs: int = 1_000_000,
    max_block_size: int = 100,
    progress: Callable[[str], None] | None = None,
) -> FellegiSunter:
    """m and u fitted to ``records`` (``DEFAULT_MODEL`` where the data are too few); the
    prior is still the default: set it with ``estimate_prior``."""
    say = progress or (lambda message: None)
    n = len(records)
    if n < 2:
        return DEFAULT_MODEL
    rng = random.Random(seed)
    # A hundred random pairs per record pins u down well; more only costs time.
    u = estimate_u(records, rng, min(u_sample_size, 100 * n, n * (n - 1) // 2))
    say("estimated u from random pairs")

    sessions = (
        ("national id or phone", (identity_key, phone_key), (_IDENTITY, _PHONE)),
        # Name and birth date fix sex too: Thị, Văn and most given names say it.
        ("full name + birth date", (full_name_birth_key,), (*_NAMES, _BIRTH, _SEX)),
    )
    estimates: dict[int, list[tuple[float, ...]]] = {}
    for name, keys, fixed in sessions:
        counts = Counter(_session_patterns(records, keys, max_block_size, max_session_pairs))
        pairs = counts.total()
        if pairs < MIN_SESSION_PAIRS:
            say(f"EM on {name}: {pairs} pairs, too few; kept default m")
            continue
        trained = [i for i in range(len(COMPARISONS)) if i not in fixed]
        m, share = estimate_m(counts, u, trained)
        for i, row in m.items():
            estimates.setdefault(i, []).append(row)
        say(f"EM on {name}: {pairs:,} pairs, {share:.1%} matching")

    m = tuple(
        _normalised([sum(col) / len(rows) for col in zip(*rows, strict=True)], _M_FLOOR)
        if (rows := estimates.get(i))
        else DEFAULT_MODEL.m[i]
        for i in range(len(COMPARISONS))
    )
    return FellegiSunter(prior=DEFAULT_MODEL.prior, m=m, u=u)


def estimate_prior(
    model: FellegiSunter,
    candidate_counts: Counter[Pattern],
    record_count: int,
    *,
    iterations: int = 100,
) -> float:
    """The probability that two random records match, given the candidates' vectors.

    Solves prior = E[matches among candidates | prior] / all pairs by iteration; starts
    from ``model.prior`` and returns it unchanged if there are no candidates.
    """
    all_pairs = record_count * (record_count - 1) / 2
    if not candidate_counts or all_pairs <= 0:
        return model.prior
    bayes_factors = [
        (2.0 ** (model.match_weight(pattern) - model.prior_weight()), count)
        for pattern, count in candidate_counts.items()
    ]
    prior = model.prior
    for _ in range(iterations):
        odds = prior / (1 - prior)
        expected = sum(count * f * odds / (1 + f * odds) for f, count in bayes_factors)
        updated = min(max(expected / all_pairs, _MIN_PRIOR), 0.5)
        if abs(updated - prior) <= 1e-6 * prior:
            return updated
        prior = updated
    return prior


def _session_patterns(
    records: Sequence[LinkRecord],
    keys: tuple[BlockingKey, ...],
    max_block_size: int,
    max_pairs: int,
) -> Iterator[Pattern]:
    """Comparison vectors of up to ``max_pairs`` pairs sharing any of ``keys``."""
    n = len(records)
    found = [key_pair_codes(records, key, max_block_size)[0] for key in keys]
    codes = sorted_unique(np.concatenate(found))
    for code in codes[:max_pairs].tolist():
        i, j = divmod(code, n)
        yield compare(records[i], records[j])


def _normalised(row: Sequence[float], floor: float) -> tuple[float, ...]:
    """``row`` scaled to sum to 1, no value below about ``floor``."""
    total = sum(row)
    floored = [max(value / total, floor) for value in row]
    total = sum(floored)
    return tuple(value / total for value in floored)
