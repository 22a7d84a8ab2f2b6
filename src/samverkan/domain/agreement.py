"""Observer agreement: Cohen's κ and Krippendorff's α (nominal), notes as units.

Where two or more observers tagged the same meeting, every note of that meeting is
a unit, and for each code every observer who coded the meeting gives it a value:
present (1) or absent (0). Per code that is binary reliability data; the overall
figure pools all (note, code) decisions. κ needs the same two observers on every
unit; α takes any number of observers and missing values (an observer who did not
code a meeting is missing there, not "absent").

Figures are exact (``fractions.Fraction``) until the last step, so a published
worked example is reproduced to the last digit. A figure that cannot be computed
(no units, one category only, not exactly two observers) is ``None`` with a reason
instead of a division by zero. Readings are translated when asked for, so the same
figures render in any language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple, TypeVar

from samverkan.i18n import _, current_language

V = TypeVar("V", bound=Hashable)  # a value observers give: a category, or 0/1


class Undefined(StrEnum):
    """Why a figure has no value."""

    NO_UNITS = "no-units"
    ONE_CATEGORY = "one-category"
    NOT_TWO_OBSERVERS = "not-two-observers"


@dataclass(frozen=True)
class Figure:
    """One agreement coefficient: its value, or None and why; and how many units it rests on."""

    value: float | None
    units: int
    undefined: Undefined | None = None


# ------------------------------------------------------------------ the coefficients


def cohen_kappa(first: Sequence[Hashable | None], second: Sequence[Hashable | None]) -> Figure:
    """Cohen's κ of two observers' values on the same units; units missing a value are skipped."""
    if len(first) != len(second):
        raise ValueError("both observers need a value (or None) for every unit")
    table = Counter(
        (a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None
    )
    return kappa_from_table(table)


def kappa_from_table(table: Mapping[tuple[V, V], int]) -> Figure:
    """κ from a contingency table {(first's value, second's value): units}."""
    units = sum(table.values())
    if units == 0:
        return Figure(None, 0, Undefined.NO_UNITS)
    agreed = sum(count for (a, b), count in table.items() if a == b)
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
    observed = Fraction(agreed, units)
    expected = Fraction(sum(first[c] * second[c] for c in first), units * units)
    if expected == 1:
        return Figure(None, units, Undefined.ONE_CATEGORY)
    return Figure(float((observed - expected) / (1 - expected)), units)


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> Figure:
    """Nominal α of reliability data: one row per observer, one column per unit, None = missing."""
    if not data:
        return Figure(None, 0, Undefined.NO_UNITS)
    width = len(data[0])
    if any(len(row) != width for row in data):
        raise ValueError("every observer's row needs one entry (or None) per unit")
    return alpha_from_units(
        Counter(row[u] for row in data if row[u] is not None) for u in range(width)
    )


def alpha_from_units(units: Iterable[Mapping[V, int]]) -> Figure:
    """Nominal α from each unit's value counts {value: observers who gave it}.

    Units with fewer than two values are not pairable and are left out, as in
    Krippendorff's definition.
    """
    totals: Counter[Hashable] = Counter()
    disagreement = Fraction(0)
    pairable = 0
    for counts in units:
        m = sum(counts.values())
        if m < 2:
            continue
        pairable += 1
        totals.update(counts)
        disagreement += Fraction(m * m - sum(v * v for v in counts.values()), m - 1)
    return _alpha(pairable, totals, disagreement)


def _alpha(pairable: int, totals: Mapping[Hashable, int], disagreement: Fraction) -> Figure:
    if pairable == 0:
        return Figure(None, 0, Undefined.NO_UNITS)
    n = sum(totals.values())
    expected = n * n - sum(v * v for v in totals.values())
    if expected == 0:
        return Figure(None, pairable, Undefined.ONE_CATEGORY)
    return Figure(float(1 - (n - 1) * disagreement / expected), pairable)


# ------------------------------------------------------------------ notes as units


class CodedUnit(NamedTuple):
    """One note of a meeting that two or more observers coded.

    ``coders`` are the observers who coded that meeting; ``tags`` the (code, observer)
    pairs put on this note, each at most once. A coder without a tag for a code said
    "absent"; an observer who did not code the meeting says nothing (missing).
    """

    coders: frozenset[str]
    tags: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class BinaryData:
    """Everything α of present/absent reliability data depends on, summed over the units.

    ``units`` maps m (how many coders a unit has) to the units with m coders;
    ``present`` counts the "present" values; ``split`` maps m to Σ 2k(m−k) over
    the units with m coders where k of them said "present" (their disagreeing
    ordered pairs). The bootstrap interval resamples from these sums.
    """

    units: Mapping[int, int]
    present: int
    split: Mapping[int, int]

    @property
    def unit_count(self) -> int:
        return sum(self.units.values())

    @property
    def values(self) -> int:
        return sum(m * count for m, count in self.units.items())

    def alpha(self) -> Figure:
        return _binary_alpha(self.unit_count, self.values, self.present, self.split)


@dataclass(frozen=True)
class CodeAgreement:
    code_id: str
    kappa: Figure
    alpha: Figure
    data: BinaryData | None = None


@dataclass(frozen=True)
class Agreement:
    """κ and α per code and over all codes, for one series of meetings."""

    observers: tuple[str, ...]
    units: int  # notes coded by two or more observers
    kappa: Figure  # pooled over every (note, code) decision
    alpha: Figure
    codes: tuple[CodeAgreement, ...]
    data: BinaryData | None = None  # the pooled decisions


def agreement(
    units: Iterable[CodedUnit] | Mapping[CodedUnit, int],
    code_ids: Sequence[str],
    *,
    untagged: Iterable[tuple[frozenset[str], int]] = (),
) -> Agreement:
    """κ and α for ``code_ids`` (in that order) over the notes that two or more observers coded.

    A code nobody gave in these units is left out: its figures are undefined, and
    pooling its all-"absent" decisions into the overall figure would flatter it.

    ``untagged`` counts the notes nobody tagged, per set of coders: they add only
    "absent" values, which are summed, not enumerated, so the work stays
    proportional to the number of tags.
    """
    # Units alike (the same coders, the same tags) count alike: each kind is
    # weighed once, with how many there are (or a mapping says so already).
    weights = (
        units
        if isinstance(units, Mapping)
        else Counter(CodedUnit(u.coders, tuple(u.tags)) for u in units)
    )
    pairable = [(u, n) for u, n in weights.items() if len(u.coders) >= 2]
    blank = [(coders, count) for coders, count in untagged if len(coders) >= 2 and count > 0]
    coder_sets = {u.coders for u, _n in pairable} | {c for c, _n in blank}
    observers = tuple(sorted({o for coders in coder_sets for o in coders}))
    pair = observers if len(observers) == 2 else None
    n_units = sum(n for _u, n in pairable) + sum(count for _coders, count in blank)
    by_size: dict[int, int] = {}
    for unit, n in pairable:
        by_size[len(unit.coders)] = by_size.get(len(unit.coders), 0) + n
    for coders, count in blank:
        by_size[len(coders)] = by_size.get(len(coders), 0) + count
    wanted = set(code_ids)
    # α: per code, Σk over the units (k of m coders said "present"), and per m the
    # sums of 2k(m-k) over the units where they disagreed.
    ones: dict[str, int] = dict.fromkeys(code_ids, 0)
    split: dict[str, dict[int, int]] = {c: {} for c in code_ids}
    # κ: per code, the units the first of the two marked, the second, and both.
    first: dict[str, int] = dict.fromkeys(code_ids, 0)
    second: dict[str, int] = dict.fromkeys(code_ids, 0)
    both: dict[str, int] = dict.fromkeys(code_ids, 0)
    for (coders, tags), n in pairable:
        m = len(coders)
        per_code: dict[str, int] = {}
        for code, observer in tags:
            if observer in coders and code in wanted:
                per_code[code] = per_code.get(code, 0) + 1
                if pair is not None:
                    if observer == pair[0]:
                        first[code] += n
                    else:
                        second[code] += n
        for code, k in per_code.items():
            ones[code] += k * n
            if k < m:
                split[code][m] = split[code].get(m, 0) + 2 * k * (m - k) * n
            elif pair is not None:
                both[code] += n
    code_ids = [code for code in code_ids if ones[code]]
    per_code_figures: list[CodeAgreement] = []
    pooled_split: dict[int, int] = {}
    pooled_present = 0
    for code in code_ids:
        pooled_present += ones[code]
        for m, s in split[code].items():
            pooled_split[m] = pooled_split.get(m, 0) + s
        data = BinaryData(by_size, ones[code], split[code])
        kappa = _binary_kappa(pair, n_units, first[code], second[code], both[code])
        per_code_figures.append(CodeAgreement(code, kappa, data.alpha(), data))
    n_codes = len(code_ids)
    pooled = BinaryData(
        {m: count * n_codes for m, count in by_size.items()}, pooled_present, pooled_split
    )
    overall_alpha = pooled.alpha()
    overall_kappa = _binary_kappa(
        pair,
        n_units * n_codes,
        sum(first[c] for c in code_ids),
        sum(second[c] for c in code_ids),
        sum(both[c] for c in code_ids),
    )
    return Agreement(
        observers, n_units, overall_kappa, overall_alpha, tuple(per_code_figures), pooled
    )


def _binary_alpha(units: int, values: int, ones: int, split: Mapping[int, int]) -> Figure:
    disagreement = sum((Fraction(s, m - 1) for m, s in split.items()), Fraction(0))
    return _alpha(units, {1: ones, 0: values - ones}, disagreement)


def _binary_kappa(
    pair: tuple[str, ...] | None, units: int, first: int, second: int, both: int
) -> Figure:
    if pair is None:
        return Figure(None, units, Undefined.NOT_TWO_OBSERVERS if units else Undefined.NO_UNITS)
    only_first, only_second = first - both, second - both
    return kappa_from_table(
        {
            (1, 1): both,
            (1, 0): only_first,
            (0, 1): only_second,
            (0, 0): units - both - only_first - only_second,
        }
    )


# ------------------------------------------------------------------ readings


def kappa_reading(value: float) -> str:
    """Landis & Koch's (1977) bands for κ, in the current language."""
    if value < 0:
        return _("poor agreement (below chance)")
    if value <= 0.20:
        return _("slight agreement")
    if value <= 0.40:
        return _("fair agreement")
    if value <= 0.60:
        return _("moderate agreement")
    if value <= 0.80:
        return _("substantial agreement")
    return _("almost perfect agreement")


def alpha_reading(value: float) -> str:
    """Krippendorff's (2004) thresholds: 0.800 reliable, 0.667 for tentative conclusions."""
    if value >= 0.800:
        return _("reliable")
    if value >= 0.667:
        return _("tentative conclusions only")
    return _("not reliable")


def undefined_reason(reason: Undefined) -> str:
    return {
        Undefined.NO_UNITS: _("no remark was coded by two or more observers"),
        Undefined.ONE_CATEGORY: _("every value is the same, so agreement is not defined"),
        Undefined.NOT_TWO_OBSERVERS: _("κ needs the same two observers on every remark; see α"),
    }[reason]


def reading(figure: Figure, *, kappa: bool) -> str:
    """The plain-language reading of a figure, or why it has none."""
    if figure.value is None:
        return undefined_reason(figure.undefined or Undefined.NO_UNITS)
    return kappa_reading(figure.value) if kappa else alpha_reading(figure.value)


def format_figure(value: float | None) -> str:
    """Two decimals, with a decimal comma in Swedish; a dash for no value."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return text.replace(".", ",") if current_language() == "sv" else text
