"""A bootstrap confidence interval for Krippendorff's α of present/absent data.

Hayes & Krippendorff (2007) and Krippendorff's note on bootstrapping α resample
*pairs of values*, not units: every unit with m values holds m(m−1)/2 pairs, and
each bootstrap sample draws that many pairs again from the distribution of pairs
observed in the whole data, recomputes the observed disagreement from them and
keeps the expected disagreement of the data. For two categories a drawn pair
either disagrees (with the observed share of disagreeing pairs) or not, so the
disagreeing pairs among the units with m values are one binomial draw; a sample
costs one draw per distinct m, whatever the number of units.

The generator is seeded from a text (the code's slug and a seed the user may
change), so a rerun gives the same interval to the last digit.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from samverkan.domain.agreement import BinaryData

SAMPLES = 10_000
SEED = "hayes-krippendorff-2007"
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    samples: int
    level: float = LEVEL


def alpha_interval(
    data: BinaryData, *, key: str, seed: str = SEED, samples: int = SAMPLES, level: float = LEVEL
) -> Interval | None:
    """The percentile interval of ``samples`` bootstrapped α; None where α is undefined."""
    n = data.values
    absent = n - data.present
    expected = n * n - data.present * data.present - absent * absent
    if data.unit_count == 0 or expected == 0 or samples < 1:
        return None
    pairs = {m: count * m * (m - 1) // 2 for m, count in data.units.items() if m >= 2}
    ordered_pairs = sum(2 * p for p in pairs.values())
    disagreeing = sum(data.split.values())  # ordered pairs
    share = disagreeing / ordered_pairs
    rng = random.Random(f"{seed}:{key}")
    scale = (n - 1) / expected
    estimates = sorted(
        1 - scale * sum(2 * _binomial(rng, p, share) / (m - 1) for m, p in pairs.items())
        for _sample in range(samples)
    )
    tail = (1 - level) / 2
    low = estimates[math.floor(tail * samples)]
    high = estimates[min(samples - 1, math.ceil((1 - tail) * samples) - 1)]
    return Interval(low, high, samples, level)


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """A Binomial(n, p) draw (Python 3.11 has no ``random.binomialvariate``).

    Devroye's geometric method for small n·p, Hörmann's (1993) BTRS transformed
    rejection otherwise: the two methods CPython 3.12 uses, exact in distribution.
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - _binomial(rng, n, 1.0 - p)
    if n * p < 10.0:
        count = position = 0
        step = math.log(1.0 - p)
        if not step:
            return 0
        while True:
            position += math.floor(math.log(1.0 - rng.random()) / step) + 1
            if position > n:
                return count
            count += 1
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    vr = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / (1.0 - p))
    mode = math.floor((n + 1) * p)
    h = math.lgamma(mode + 1) + math.lgamma(n - mode + 1)
    while True:
        u = rng.random() - 0.5
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c) if us > 0 else -1
        if k < 0 or k > n:
            continue
        v = rng.random()
        if us >= 0.07 and v <= vr:
            return k
        v *= alpha / (a / (us * us) + b)
        if (
            v == 0.0
            or math.log(v) <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - mode) * lpq
        ):
            return k
