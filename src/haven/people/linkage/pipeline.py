"""Finding duplicate people in a list of records: train, block, compare, decide."""

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from haven.people.linkage.blocking import candidate_codes
from haven.people.linkage.compare import Pattern, compare
from haven.people.linkage.model import (
    DEFAULT_MODEL,
    TF_FIELDS,
    Evidence,
    FellegiSunter,
    TermFrequencies,
    probability,
)
from haven.people.linkage.parallel import Background
from haven.people.linkage.records import (
    LinkRecord,
    PersonRecord,
    cycle_collection_paused,
    prepare,
)
from haven.people.linkage.training import estimate_prior, train

DEFAULT_THRESHOLD = 0.5
# Smaller inputs carry too few random pairs and matches to estimate u, m and the prior;
# they are scored with DEFAULT_MODEL.
MIN_RECORDS_TO_FIT = 1000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ScoredPair:
    """Two records judged to be the same person; ``rec_id_a < rec_id_b`` as strings."""

    rec_id_a: str
    rec_id_b: str
    score: float


@dataclass(frozen=True)
class MatchExplanation:
    """The score of one pair and the evidence of each field behind it."""

    score: float
    evidence: list[Evidence]


def explain_pair(
    a: PersonRecord | LinkRecord,
    b: PersonRecord | LinkRecord,
    model: FellegiSunter = DEFAULT_MODEL,
) -> MatchExplanation:
    """Score two records directly (no blocking, no term frequencies), field by field.

    Either record may be already prepared, to prepare one record once for many pairs."""
    pattern = compare(_prepared(a), _prepared(b))
    return MatchExplanation(probability(model.match_weight(pattern)), model.explain(pattern))


def _prepared(record: PersonRecord | LinkRecord) -> LinkRecord:
    return record if isinstance(record, LinkRecord) else prepare(record)


def _pair_weights(
    model: FellegiSunter,
    frequencies: TermFrequencies | None,
    prepared: Sequence[LinkRecord],
    codes: np.ndarray,
    patterns: list[Pattern],
    pattern_ids: np.ndarray,
) -> np.ndarray:
    """Each candidate pair's match weight (log2-odds), as arrays: the per-pattern part is
    computed once per distinct vector (they number in hundreds), the term-frequency part
    once per record. Without ``frequencies`` (too few records to count names reliably)
    there is no term-frequency adjustment."""
    weights = np.array([model.match_weight(p) for p in patterns])[pattern_ids]
    if frequencies is None:
        return weights
    n = len(prepared)
    first, second = np.divmod(codes, n)
    sexes = np.array([{"F": 1, "M": 2}.get(r.sex, 0) for r in prepared], dtype=np.int8)
    # Names of one sex are counted within that sex when both records have it.
    same_sex = (sexes[first] == sexes[second]) & (sexes[first] != 0)
    cache: dict[tuple[str, str, str | None], float] = {}

    def adjustment(field: str, value: str, sex: str | None) -> float:
        key = (field, value, sex)
        if key not in cache:
            cache[key] = frequencies.adjustment(model, field, value, sex)
        return cache[key]

    for index, field in enumerate(TF_FIELDS):  # family, middle, given come first
        agrees = np.array([p[index] == 0 for p in patterns])[pattern_ids]
        values = [getattr(r.name, field) for r in prepared]
        any_sex = np.array([adjustment(field, v, None) for v in values])
        own_sex = np.array(
            [adjustment(field, v, r.sex) for v, r in zip(values, prepared, strict=True)]
        )
        by_sex = np.where(same_sex, own_sex[first], any_sex[first])
        weights += np.where(agrees, by_sex, 0.0)
    return weights


def _probabilities(weights: np.ndarray) -> np.ndarray:
    """``probability`` over an array of log2-odds."""
    with np.errstate(over="ignore"):
        return np.where(weights < -60, 0.0, 1.0 / (1.0 + np.exp2(-weights)))


def _compare_candidates(
    prepared: Sequence[LinkRecord], codes: np.ndarray, say: Progress
) -> tuple[list[Pattern], np.ndarray]:
    """The distinct comparison vectors of the candidate pairs, and each pair's vector as
    an index into them."""
    n = len(prepared)
    pattern_index: dict[Pattern, int] = {}
    pattern_ids = array("l")
    for count, code in enumerate(codes.tolist(), start=1):
        i, j = divmod(code, n)
        pattern = compare(prepared[i], prepared[j])
        pattern_ids.append(pattern_index.setdefault(pattern, len(pattern_index)))
        if count % 1_000_000 == 0:
            say(f"compared {count:,} candidate pairs")
    return list(pattern_index), np.frombuffer(pattern_ids, dtype=np.int_)


def _compare_in_two(
    prepared: Sequence[LinkRecord], codes: np.ndarray, say: Progress
) -> tuple[list[Pattern], np.ndarray]:
    """``_compare_candidates``, the second half of the pairs in a second process."""
    half = len(codes) // 2
    other = Background(lambda: _compare_candidates(prepared, codes[half:], lambda m: None))
    patterns, first_ids = _compare_candidates(prepared, codes[:half], say)
    other_patterns, other_ids = other.result()
    index = {pattern: k for k, pattern in enumerate(patterns)}
    for pattern in other_patterns:
        if pattern not in index:
            index[pattern] = len(patterns)
            patterns.append(pattern)
    remap = np.array([index[p] for p in other_patterns], dtype=np.int_)
    return patterns, np.concatenate((first_ids, remap[other_ids]))


def _trained(
    prepared: Sequence[LinkRecord], max_block_size: int, say: Progress | None
) -> tuple[FellegiSunter, TermFrequencies, list[str]]:
    """``train`` and the name frequencies; without ``say``, the progress messages are
    returned, for whoever waits for the result to tell."""
    messages: list[str] = []
    model = train(prepared, max_block_size=max_block_size, progress=say or messages.append)
    return model, TermFrequencies(prepared), messages


def find_duplicates(
    records: Sequence[PersonRecord] | Sequence[LinkRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_block_size: int = 100,
    progress: Progress | None = None,
    processes: int = 1,
) -> tuple[list[ScoredPair], FellegiSunter]:
    """Pairs of records judged to be the same person, and the model that judged them.

    The model is fitted to ``records`` themselves (``training``) when there are at least
    ``MIN_RECORDS_TO_FIT``, else it is ``DEFAULT_MODEL``. A candidate pair is kept when its
    posterior match probability is at least ``threshold``. Pairs are sorted by
    ``(rec_id_a, rec_id_b)``.

    With ``processes`` 2 or more, training and half the comparisons run in a forked second
    process (see ``parallel``); the pairs found are the same. Use it only from a process
    with no other threads (``haven dedupe`` is one), as forking a threaded process is not
    safe.
    """
    with cycle_collection_paused():
        say = progress or (lambda message: None)
        prepared = [r if isinstance(r, LinkRecord) else prepare(r) for r in records]
        n = len(prepared)
        fit = n >= MIN_RECORDS_TO_FIT
        parallel = processes > 1
        if fit:
            # Training and blocking only read the records: with two processes they overlap.
            # In one process it runs when its result is needed, telling its progress live.
            training = Background(
                lambda: _trained(prepared, max_block_size, None if parallel else say),
                fork=parallel,
            )
        else:
            say(f"fewer than {MIN_RECORDS_TO_FIT:,} records: scoring with the default model")

        # Compare once, keep each pair's vector as a small id: the prior needs every vector
        # before any pair can be scored.
        codes = candidate_codes(prepared, max_block_size=max_block_size, progress=say)
        patterns, pattern_ids = (_compare_in_two if parallel else _compare_candidates)(
            prepared, codes, say
        )
        model, frequencies = DEFAULT_MODEL, None
        if fit:
            model, frequencies, messages = training.result()
            for message in messages:
                say(message)
            per_pattern = np.bincount(pattern_ids, minlength=len(patterns)).tolist()
            counts = Counter(dict(zip(patterns, per_pattern, strict=True)))
            model = replace(model, prior=estimate_prior(model, counts, n))
        say(f"compared {len(codes):,} candidate pairs; prior {model.prior:.3g}")

        weights = _pair_weights(model, frequencies, prepared, codes, patterns, pattern_ids)
        scores = _probabilities(weights)
        kept = np.flatnonzero(scores >= threshold)
        pairs = []
        for code, score in zip(codes[kept].tolist(), scores[kept].tolist(), strict=True):
            i, j = divmod(code, n)
            a, b = sorted((prepared[i].rec_id, prepared[j].rec_id))
            pairs.append(ScoredPair(a, b, score))
        pairs.sort(key=lambda p: (p.rec_id_a, p.rec_id_b))
        say(f"{len(pairs):,} pairs at or above {threshold}")
        return pairs, model
