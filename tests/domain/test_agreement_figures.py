"""The agreement figures against a published example, an independent implementation and
the bootstrap's promises (seeded, reproducible, around α)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.agreement import BinaryData, CodedUnit, agreement, cohen_kappa
from samverkan.domain.agreement_interval import _binomial, alpha_interval

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section A: binary
# data, two observers, ten units, no missing values. The paper gives α = 0.095.
KRIPPENDORFF_2011_A = (
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
)


def _units_from_rows(rows: tuple[list[int], ...], names: tuple[str, ...]) -> list[CodedUnit]:
    coders = frozenset(names)
    return [
        CodedUnit(coders, [("x", name) for name, row in zip(names, rows, strict=True) if row[u]])
        for u in range(len(rows[0]))
    ]


def test_krippendorff_2011_binary_example_through_the_notes_path() -> None:
    # Coincidences: o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20.
    by_hand = 1 - Fraction(19 * 4, 14 * 6)
    assert by_hand == Fraction(2, 21)  # 0.0952…, "α = 0.095" in the paper
    result = agreement(_units_from_rows(KRIPPENDORFF_2011_A, ("A", "B")), ["x"])
    assert result.codes[0].alpha.value == pytest.approx(float(by_hand), abs=1e-9)
    assert result.alpha.value == pytest.approx(float(by_hand), abs=1e-9)
    # κ by hand: agree on 6 of 10; A says 1 twice, B four times: pe = .2·.4 + .8·.6.
    kappa = (Fraction(6, 10) - Fraction(56, 100)) / (1 - Fraction(56, 100))
    assert kappa == Fraction(1, 11)
    assert result.codes[0].kappa.value == pytest.approx(float(kappa), abs=1e-9)
    data = np.array(KRIPPENDORFF_2011_A, dtype=float)
    independent = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert result.codes[0].alpha.value == pytest.approx(independent, abs=1e-9)


OBSERVERS = ("A", "B", "C", "D")
CODES = ("x", "y", "z")


@st.composite
def reliability_data(draw: st.DrawFn) -> list[CodedUnit]:
    units: list[CodedUnit] = []
    for _unit in range(draw(st.integers(1, 25))):
        coders = draw(
            st.frozensets(st.sampled_from(OBSERVERS), min_size=1, max_size=len(OBSERVERS))
        )
        tags = draw(st.sets(st.tuples(st.sampled_from(CODES), st.sampled_from(sorted(coders)))))
        units.append(CodedUnit(coders, sorted(tags)))
    return units


def _matrix(units: list[CodedUnit], codes: list[str], observers: tuple[str, ...]) -> object:
    """observers × (unit, code) of 1, 0 or NaN, the form the krippendorff package reads."""
    return np.array(
        [
            [
                (1.0 if (code, o) in unit.tags else 0.0) if o in unit.coders else math.nan
                for unit in units
                if len(unit.coders) >= 2
                for code in codes
            ]
            for o in observers
        ]
    )


def _independent(matrix: object) -> float | None:
    try:
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError, AssertionError):
        return None
    return None if math.isnan(value) else value


@settings(max_examples=60, deadline=None)
@given(reliability_data())
def test_alpha_equals_the_krippendorff_package_on_random_data(units: list[CodedUnit]) -> None:
    result = agreement(units, list(CODES))
    observers = result.observers
    if not observers:
        assert result.units == 0
        return
    used = [c.code_id for c in result.codes]
    for figures in result.codes:
        expected = _independent(_matrix(units, [figures.code_id], observers))
        if figures.alpha.value is None:
            assert expected is None
        else:
            assert figures.alpha.value == pytest.approx(expected, abs=1e-9)
    pooled = _independent(_matrix(units, used, observers)) if used else None
    if result.alpha.value is None:
        assert pooled is None
    else:
        assert result.alpha.value == pytest.approx(pooled, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(reliability_data())
def test_kappa_equals_the_general_formula_with_two_observers(units: list[CodedUnit]) -> None:
    two = [CodedUnit(frozenset({"A", "B"}), [t for t in u.tags if t[1] in "AB"]) for u in units]
    result = agreement(two, list(CODES))
    for figures in result.codes:
        first = [int((figures.code_id, "A") in u.tags) for u in two]
        second = [int((figures.code_id, "B") in u.tags) for u in two]
        expected = cohen_kappa(first, second)
        assert figures.kappa.value == pytest.approx(expected.value, abs=1e-12)


# ------------------------------------------------------------------ the bootstrap


def _demo_data() -> BinaryData:
    # 200 two-coder units: 30 both present, 10 only one of them, 160 neither.
    return BinaryData({2: 200}, present=70, split={2: 2 * 10})


def test_the_interval_is_seeded_and_reproducible() -> None:
    first = alpha_interval(_demo_data(), key="x", samples=2000)
    again = alpha_interval(_demo_data(), key="x", samples=2000)
    other = alpha_interval(_demo_data(), key="x", seed="another", samples=2000)
    assert first == again
    assert first != other


def test_the_interval_lies_around_alpha_and_narrows_with_more_data() -> None:
    data = _demo_data()
    alpha = data.alpha().value
    assert alpha is not None
    interval = alpha_interval(data, key="x", samples=4000)
    assert interval is not None
    assert interval.low < alpha < interval.high
    bigger = BinaryData({2: 2000}, present=700, split={2: 200})
    assert bigger.alpha().value == pytest.approx(alpha, abs=1e-3)
    wide = alpha_interval(bigger, key="x", samples=4000)
    assert wide is not None
    assert wide.high - wide.low < (interval.high - interval.low) / 2


def test_perfect_agreement_has_a_point_interval_and_no_data_none() -> None:
    perfect = BinaryData({2: 50}, present=20, split={})
    interval = alpha_interval(perfect, key="x", samples=100)
    assert interval is not None
    assert (interval.low, interval.high) == (1.0, 1.0)
    assert alpha_interval(BinaryData({2: 5}, present=0, split={}), key="x") is None


@pytest.mark.parametrize(("n", "p"), [(7, 0.3), (400, 0.01), (5000, 0.2), (60, 0.95)])
def test_binomial_draws_have_the_binomial_mean_and_variance(n: int, p: float) -> None:
    rng = random.Random(7)
    draws = [_binomial(rng, n, p) for _ in range(20_000)]
    mean = sum(draws) / len(draws)
    variance = sum((d - mean) ** 2 for d in draws) / (len(draws) - 1)
    assert all(0 <= d <= n for d in draws)
    assert mean == pytest.approx(n * p, rel=0.03, abs=0.05)
    assert variance == pytest.approx(n * p * (1 - p), rel=0.08)
