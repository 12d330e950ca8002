"""Finding duplicate people in a list of records: train, block, compare, decide."""

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from haven.people.linkage.blocking import candidate_pairs
from haven.people.linkage.compare import Pattern, compare
from haven.people.linkage.model import (
    DEFAULT_MODEL,
    TF_FIELDS,
    Evidence,
    FellegiSunter,
    TermFrequencies,
    probability,
)
from haven.people.linkage.records import LinkRecord, PersonRecord, prepare
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


class _Scorer:
    """Pair weights with the per-pattern part cached: distinct vectors number in hundreds.

    Without ``frequencies`` (too few records to count names reliably) there is no
    term-frequency adjustment.
    """

    def __init__(self, model: FellegiSunter, frequencies: TermFrequencies | None):
        self.model = model
        self.frequencies = frequencies
        self._pattern_weight: dict[Pattern, float] = {}
        self._tf: dict[tuple[str, str, str | None], float] = {}

    def score(self, a: LinkRecord, b: LinkRecord, pattern: Pattern) -> float:
        weight = self._pattern_weight.get(pattern)
        if weight is None:
            weight = self._pattern_weight[pattern] = self.model.match_weight(pattern)
        if self.frequencies is None:
            return probability(weight)
        sex = a.sex if a.sex == b.sex else None
        for index, field in enumerate(TF_FIELDS):  # family, middle, given come first
            if pattern[index] == 0:
                weight += self._adjustment(field, getattr(a.name, field), sex)
        return probability(weight)

    def _adjustment(self, field: str, value: str, sex: str | None) -> float:
        key = (field, value, sex)
        if key not in self._tf:
            self._tf[key] = self.frequencies.adjustment(self.model, field, value, sex)
        return self._tf[key]


def find_duplicates(
    records: Sequence[PersonRecord] | Sequence[LinkRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_block_size: int = 100,
    progress: Progress | None = None,
) -> tuple[list[ScoredPair], FellegiSunter]:
    """Pairs of records judged to be the same person, and the model that judged them.

    The model is fitted to ``records`` themselves (``training``) when there are at least
    ``MIN_RECORDS_TO_FIT``, else it is ``DEFAULT_MODEL``. A candidate pair is kept when its
    posterior match probability is at least ``threshold``. Pairs are sorted by
    ``(rec_id_a, rec_id_b)``.
    """
    say = progress or (lambda message: None)
    prepared = [r if isinstance(r, LinkRecord) else prepare(r) for r in records]
    n = len(prepared)
    fit = n >= MIN_RECORDS_TO_FIT
    if fit:
        model = train(prepared, max_block_size=max_block_size, progress=say)
    else:
        model = DEFAULT_MODEL
        say(f"fewer than {MIN_RECORDS_TO_FIT:,} records: scoring with the default model")

    # Compare once, keep each pair's vector as a small id: the prior needs every vector
    # before any pair can be scored.
    pair_codes, pattern_ids = array("q"), array("l")
    pattern_index: dict[Pattern, int] = {}
    for i, j in candidate_pairs(prepared, max_block_size=max_block_size, progress=say):
        pattern = compare(prepared[i], prepared[j])
        pair_codes.append(i * n + j)
        pattern_ids.append(pattern_index.setdefault(pattern, len(pattern_index)))
        if len(pair_codes) % 1_000_000 == 0:
            say(f"compared {len(pair_codes):,} candidate pairs")
    patterns = list(pattern_index)
    counts = Counter({patterns[k]: count for k, count in Counter(pattern_ids).items()})
    if fit:
        model = replace(model, prior=estimate_prior(model, counts, n))
    say(f"compared {len(pair_codes):,} candidate pairs; prior {model.prior:.3g}")

    scorer = _Scorer(model, TermFrequencies(prepared) if fit else None)
    pairs = []
    for code, pattern_id in zip(pair_codes, pattern_ids, strict=True):
        i, j = divmod(code, n)
        score = scorer.score(prepared[i], prepared[j], patterns[pattern_id])
        if score >= threshold:
            a, b = sorted((prepared[i].rec_id, prepared[j].rec_id))
            pairs.append(ScoredPair(a, b, score))
    pairs.sort(key=lambda p: (p.rec_id_a, p.rec_id_b))
    say(f"{len(pairs):,} pairs at or above {threshold}")
    return pairs, model
