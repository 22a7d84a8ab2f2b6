"""What every budget benchmark shares: samples, their baseline, the load, a verdict.

A :class:`Figure` is one budget of DESIGN.md measured as the user feels it,
with its baseline measured in the same run (interleaved sample by sample, or
block by block where one sample is a whole process or screen), the number of
samples behind each percentile, and the load average of the machine when it
was taken. A p99 is only printed when at least 1,000 samples stand behind it;
below that the figure gives the median and the maximum and says so.

A figure's budget may be absolute (``limit``, in the figure's unit) and/or a
ratio to its baseline (``ratio_limit``). ``--quick`` (CI) checks only the
ratios: an absolute time on a shared CI machine says more about the machine.
"""

from __future__ import annotations

import json
import math
import os
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

P99_SAMPLES = 1000


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest value with ``p`` % of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def load_average() -> tuple[float, float, float]:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on every platform
        return (math.nan, math.nan, math.nan)
    return (round(one, 2), round(five, 2), round(fifteen, 2))


@dataclass
class Figure:
    """One budget: its samples, its baseline's samples from the same run, and the limits."""

    name: str
    what: str
    unit: str  # "ms" or "s" or "MB"
    samples: list[float]
    baseline: list[float] = field(default_factory=list)
    baseline_what: str = ""
    limit: float | None = None  # the most the figure's statistic may be
    ratio_limit: float | None = None  # the most figure / baseline may be
    statistic: str = "p99"  # what the limit applies to: "p99", "median" or "max"
    ratio_statistic: str | None = None  # what the ratio compares (default: ``statistic``)
    load: tuple[float, float, float] = field(default_factory=load_average)
    note: str = ""

    def stat(self, values: Sequence[float], which: str | None = None) -> float:
        which = which or self.effective_statistic
        if not values:
            return math.nan
        if which == "p99":
            return percentile(values, 99)
        if which == "p50":
            return percentile(values, 50)
        if which == "median":
            return statistics.median(values)
        if which == "max":
            return max(values)
        raise ValueError(which)

    @property
    def effective_statistic(self) -> str:
        """A p99 needs 1,000 samples; with fewer the budget applies to the maximum."""
        if self.statistic == "p99" and len(self.samples) < P99_SAMPLES:
            return "max"
        return self.statistic

    @property
    def value(self) -> float:
        return self.stat(self.samples)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        which = self.ratio_statistic or self.effective_statistic
        base = self.stat(self.baseline, which)
        return self.stat(self.samples, which) / base if base > 0 else math.inf

    def missed(self, *, quick: bool) -> list[str]:
        """The budgets this figure misses (absolute ones are not checked when quick)."""
        misses = []
        if self.limit is not None and not quick and self.value > self.limit:
            which = self.effective_statistic
            misses.append(f"{which} {self.value:.3g} > {self.limit:g} {self.unit}")
        ratio = self.ratio
        if self.ratio_limit is not None and ratio is not None and ratio > self.ratio_limit:
            misses.append(f"ratio {ratio:.2f} > {self.ratio_limit:g}")
        return misses

    def lines(self, *, quick: bool) -> list[str]:
        def summary(values: Sequence[float]) -> str:
            parts = [f"p50 {self.stat(values, 'p50'):.3g}"]
            if len(values) >= P99_SAMPLES:
                parts.append(f"p99 {self.stat(values, 'p99'):.3g}")
            parts.append(f"max {self.stat(values, 'max'):.3g} {self.unit}")
            return " / ".join(parts) + f" (n={len(values)})"

        misses = self.missed(quick=quick)
        budget = []
        if self.limit is not None:
            budget.append(f"{self.effective_statistic} ≤ {self.limit:g} {self.unit}")
        if self.ratio_limit is not None:
            budget.append(f"≤ {self.ratio_limit:g}× baseline")
        verdict = "MISSED " + "; ".join(misses) if misses else "ok"
        lines = [f"{self.name}: {self.what}", f"    measured  {summary(self.samples)}"]
        if self.baseline:
            lines.append(f"    baseline  {summary(self.baseline)}  [{self.baseline_what}]")
            which = self.ratio_statistic or self.effective_statistic
            lines.append(f"    ratio     {self.ratio:.2f}× ({which})")
        lines.append(
            f"    budget    {', '.join(budget) or '-'} → {verdict}"
            f"    load {self.load[0]} {self.load[1]} {self.load[2]}"
        )
        if self.note:
            lines.append(f"    note      {self.note}")
        return lines

    def record(self, *, quick: bool) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            value=self.value,
            ratio=self.ratio,
            statistic_used=self.effective_statistic,
            missed=self.missed(quick=quick),
            n=len(self.samples),
            baseline_n=len(self.baseline),
        )
        return data


def report(figures: Sequence[Figure], *, quick: bool, json_path: str | None = None) -> int:
    """Print every figure; 1 if any budget is missed, else 0."""
    missed = 0
    for figure in figures:
        print("\n".join(figure.lines(quick=quick)), flush=True)
        missed += bool(figure.missed(quick=quick))
    if json_path:
        with open(json_path, "w", encoding="utf-8") as out:
            json.dump([f.record(quick=quick) for f in figures], out, ensure_ascii=False, indent=1)
    print(f"\n{len(figures) - missed} of {len(figures)} figures within budget", flush=True)
    return 1 if missed else 0
