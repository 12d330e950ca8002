"""Fellegi–Sunter scoring: per-field m and u probabilities, and term frequencies.

For a pair of records drawn at random from a register, ``prior`` is the probability that
they are the same person. Given match status, each comparison's level is drawn
independently: with probability ``m[field][level]`` for matches and ``u[field][level]``
for non-matches. A pair's match weight is the prior log2-odds plus log2(m/u) for every
comparable field; its score is the posterior probability of a match. Blocking only chooses
which pairs get scored, so scores mean the same whichever key found the pair.

Agreeing on a common name is weaker evidence than agreeing on a rare one: a term-frequency
adjustment replaces the average u of "same name" by the frequency of the actual name
(Nguyễn: 0.38, Giàng: 0.003), as Splink and the record-linkage literature do.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from haven.people.linkage.compare import COMPARISONS, NULL, Pattern
from haven.people.linkage.records import LinkRecord

# Name parts that get a term-frequency adjustment when they agree exactly.
TF_FIELDS = ("family", "middle", "given")
_TF_INDEX = {field: [c.field for c in COMPARISONS].index(f"{field}_name") for field in TF_FIELDS}


@dataclass(frozen=True)
class Evidence:
    """How one field of a pair moved the score: its level and weight in bits (log2 m/u)."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True)
class FellegiSunter:
    """Model parameters: ``m[i][level]``, ``u[i][level]`` for ``COMPARISONS[i]``."""

    prior: float
    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]

    def weights(self) -> tuple[tuple[float, ...], ...]:
        """log2(m/u) for every comparison level (computed once per model: it is frozen)."""
        weights = self.__dict__.get("_weights")
        if weights is None:
            weights = tuple(
                tuple(math.log2(mi / ui) for mi, ui in zip(ms, us, strict=True))
                for ms, us in zip(self.m, self.u, strict=True)
            )
            object.__setattr__(self, "_weights", weights)
        return weights

    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def match_weight(self, pattern: Pattern) -> float:
        """Posterior log2-odds of a match for one comparison vector, before TF adjustment."""
        weights = self.weights()
        return self.prior_weight() + sum(
            weights[i][level] for i, level in enumerate(pattern) if level != NULL
        )

    def explain(self, pattern: Pattern) -> list[Evidence]:
        """The evidence of every comparable field, in ``COMPARISONS`` order."""
        weights = self.weights()
        return [
            Evidence(c.field, c.levels[level], weights[i][level])
            for i, (c, level) in enumerate(zip(COMPARISONS, pattern, strict=True))
            if level != NULL
        ]


class TermFrequencies:
    """Frequencies of each family, middle and given name among a set of records.

    Middle and given names are counted within each sex too: "Thị" is on most women and
    almost no men, so between two women it is weaker evidence than its overall frequency
    suggests (the sex comparison has already counted their agreeing on sex).
    """

    def __init__(self, records: Iterable[LinkRecord]):
        counters: dict[tuple[str, str | None], Counter[str]] = {}
        for record in records:
            for field in TF_FIELDS:
                value = getattr(record.name, field)
                if value:
                    counters.setdefault((field, None), Counter())[value] += 1
                    if record.sex and field != "family":
                        counters.setdefault((field, record.sex), Counter())[value] += 1
        self._frequency = {
            key: {value: n / total for value, n in counter.items()}
            for key, counter in counters.items()
            if (total := counter.total())
        }

    def adjustment(
        self, model: FellegiSunter, field: str, value: str, sex: str | None = None
    ) -> float:
        """Extra bits for two records agreeing exactly on ``value`` of name part ``field``;
        ``sex`` when both records have that sex."""
        table = self._frequency.get((field, sex)) or self._frequency.get((field, None), {})
        frequency = table.get(value)
        if frequency is None:
            return 0.0
        return math.log2(model.u[_TF_INDEX[field]][0] / frequency)


def probability(weight: float) -> float:
    """The probability for log2-odds ``weight``."""
    if weight < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-weight))


# Used for levels no data could inform, as EM's starting point, and to score single pairs
# without a register to learn from. u: the chance that two different people agree that way
# (a birth date shared by chance ≈ 1 in 35 years × 365 days; "Nguyễn" on both ≈ 0.38² + …);
# m: how often agencies' records of one person do. The prior is that of a register of about
# a million records with 5% of them duplicates (50,000 matches among 5·10¹¹ pairs).
DEFAULT_MODEL = FellegiSunter(
    prior=1e-7,
    m=(
        (0.95, 0.04, 0.01),  # family name: same, typo, different
        (0.93, 0.04, 0.03),  # middle name
        (0.95, 0.04, 0.01),  # given name
        (0.78, 0.08, 0.04, 0.03, 0.05, 0.02),  # birth date
        (0.99, 0.01),  # sex
        (0.72, 0.03, 0.15, 0.05, 0.05),  # home: commune, typo, province only, other
        (0.94, 0.05, 0.01),  # national id
        (0.90, 0.01, 0.09),  # phone
    ),
    u=(
        (0.17, 0.01, 0.82),
        (0.37, 0.02, 0.61),
        (0.035, 0.02, 0.945),
        (8e-5, 4e-5, 1.6e-4, 0.0034, 0.0007, 0.99562),
        (0.55, 0.45),
        (0.0004, 0.0002, 0.01, 0.035, 0.9544),
        (1e-6, 1e-5, 0.999989),
        (1e-6, 1e-5, 0.999989),
    ),
)
