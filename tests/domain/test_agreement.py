"""Cohen's κ and Krippendorff's α against published worked examples, computed by hand."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from samverkan.domain.agreement import (
    CodedUnit,
    Figure,
    Undefined,
    agreement,
    alpha_from_units,
    alpha_reading,
    cohen_kappa,
    format_figure,
    kappa_from_table,
    kappa_reading,
    krippendorff_alpha,
    reading,
)
from samverkan.i18n import use_language

N = None
# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C:
# four observers, twelve units, values 1-5, with missing data.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # observer B
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # observer D
]


def _nominal_alpha_by_hand() -> Fraction:
    """α = 1 - (n-1) Σ_c≠k o_ck / Σ_c≠k n_c n_k, from the paper's coincidence matrix.

    Unit 12 has one value and is not pairable: n = 40 values in 11 units.
    Value totals n_c: 1→9, 2→13, 3→10, 4→5, 5→3. The off-diagonal coincidences
    come from units 2, 6 and 8 only (all others agree):
      unit 2 (2,3,2, m=3):      2·(2·1)/(3-1) = 2
      unit 6 (1,2,3,4, m=4):    (16-4)/(4-1)  = 4
      unit 8 (1,1,2,1, m=4):    2·(3·1)/(4-1) = 2
    Σ o_ck (c≠k) = 8;  Σ n_c n_k (c≠k) = 40² - (81+169+100+25+9) = 1216.
    """
    disagreement = Fraction(2) + Fraction(4) + Fraction(2)
    expected = 40 * 40 - (9 * 9 + 13 * 13 + 10 * 10 + 5 * 5 + 3 * 3)
    return 1 - (40 - 1) * disagreement / expected


def test_krippendorff_2011_nominal_example() -> None:
    by_hand = _nominal_alpha_by_hand()
    assert by_hand == Fraction(113, 152)  # 0.743, as the paper reports
    figure = krippendorff_alpha(KRIPPENDORFF_2011)
    assert figure.value == pytest.approx(float(by_hand), abs=1e-9)
    assert figure.value is not None and round(figure.value, 3) == 0.743
    assert figure.units == 11


def test_alpha_from_unit_counts_equals_the_matrix_form() -> None:
    units = [Counter(row[u] for row in KRIPPENDORFF_2011 if row[u] is not None) for u in range(12)]
    assert alpha_from_units(units) == krippendorff_alpha(KRIPPENDORFF_2011)


def test_wikipedia_cohen_kappa_example() -> None:
    """50 proposals, yes/no: both yes 20, A yes B no 5, A no B yes 10, both no 15 → κ = 0.4."""
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    observed = Fraction(20 + 15, 50)
    expected = Fraction(25, 50) * Fraction(30, 50) + Fraction(25, 50) * Fraction(20, 50)
    by_hand = (observed - expected) / (1 - expected)
    assert by_hand == Fraction(2, 5)
    figure = cohen_kappa(first, second)
    assert figure.value == pytest.approx(float(by_hand), abs=1e-9)
    assert figure.units == 50


def test_kappa_skips_units_one_observer_left_out() -> None:
    figure = cohen_kappa(["a", None, "b", "a"], ["a", "b", "b", None])
    assert figure == Figure(1.0, 2)


@pytest.mark.parametrize(
    ("figure", "reason"),
    [
        (kappa_from_table({}), Undefined.NO_UNITS),
        (kappa_from_table({("x", "x"): 4}), Undefined.ONE_CATEGORY),
        (krippendorff_alpha([]), Undefined.NO_UNITS),
        (krippendorff_alpha([[1, N], [N, 2]]), Undefined.NO_UNITS),
        (krippendorff_alpha([[1, 1, 1], [1, 1, N]]), Undefined.ONE_CATEGORY),
    ],
)
def test_degenerate_data_gives_no_value_and_a_reason(figure: Figure, reason: Undefined) -> None:
    assert figure.value is None
    assert figure.undefined is reason


def test_perfect_disagreement_is_below_chance() -> None:
    assert cohen_kappa([1, 0], [0, 1]).value == pytest.approx(-1.0)
    assert krippendorff_alpha([[1, 0], [0, 1]]).value == pytest.approx(-0.5)


def test_rows_of_unequal_length_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError):
        cohen_kappa([1, 2], [1])


# ------------------------------------------------------------------ notes as units


def _units() -> list[CodedUnit]:
    both = frozenset({"A", "C"})
    return [
        CodedUnit(both, [("gs", "A"), ("gs", "C")]),
        CodedUnit(both, [("fb", "A"), ("fb", "C"), ("oa", "A")]),
        CodedUnit(both, [("sl", "A"), ("sl", "C")]),
        CodedUnit(both, [("pf", "C")]),
    ]


def _marked(unit: CodedUnit, code: str, observer: str) -> int:
    return int((code, observer) in unit.tags)


def test_binary_figures_per_code_match_the_general_formulas() -> None:
    """The fast per-code path equals κ and α over the explicit 0/1 reliability data."""
    codes = ["gs", "pf", "fb", "oa", "sl"]
    units = _units()
    result = agreement(units, codes, untagged=[(frozenset({"A", "C"}), 3)])
    assert result.units == 7
    assert result.observers == ("A", "C")
    for figures in result.codes:
        a = [_marked(u, figures.code_id, "A") for u in units] + [0, 0, 0]
        c = [_marked(u, figures.code_id, "C") for u in units] + [0, 0, 0]
        assert figures.kappa.value == pytest.approx(cohen_kappa(a, c).value, abs=1e-12)
        assert figures.alpha.value == pytest.approx(krippendorff_alpha([a, c]).value, abs=1e-12)
    # Pooled over 7 notes x 5 codes = 35 decisions: both 3, only C 1, only A 1, neither 30.
    kappa = (Fraction(33, 35) - Fraction(16 + 961, 1225)) / (1 - Fraction(977, 1225))
    assert result.kappa.value == pytest.approx(float(kappa), abs=1e-9)
    assert kappa == Fraction(89, 124)
    # 70 values, 8 ones; two disagreeing units, each 2·1·1/1.
    alpha = 1 - Fraction(69 * 4, 70 * 70 - (8 * 8 + 62 * 62))
    assert result.alpha.value == pytest.approx(float(alpha), abs=1e-9)
    assert result.alpha.units == 35


def test_three_observers_have_alpha_but_no_kappa() -> None:
    three = frozenset({"A", "B", "C"})
    units = [
        CodedUnit(three, [("x", "A"), ("x", "B")]),
        CodedUnit(three, [("x", "C")]),
    ]
    result = agreement(units, ["x"], untagged=[(three, 2)])
    code = result.codes[0]
    assert code.kappa.value is None
    assert code.kappa.undefined is Undefined.NOT_TWO_OBSERVERS
    data = [[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert code.alpha.value == pytest.approx(krippendorff_alpha(data).value, abs=1e-12)


def test_one_observer_alone_gives_no_units() -> None:
    result = agreement([CodedUnit(frozenset({"A"}), [("x", "A")])], ["x"])
    assert result.units == 0
    assert result.alpha.undefined is Undefined.NO_UNITS
    assert result.kappa.undefined is Undefined.NO_UNITS


def test_against_the_krippendorff_package_when_installed() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    data = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(KRIPPENDORFF_2011).value == pytest.approx(expected, abs=1e-9)


def test_cohen_kappa_of_a_worked_example() -> None:
    # Worked by hand (scikit-learn's cohen_kappa_score gives the same): the two agree on
    # 7 of 10 units, p_o = 0.7; both use the codes 0, 1, 2 four, three and three times,
    # p_e = (4*4 + 3*3 + 3*3) / 100 = 0.34; kappa = (0.7 - 0.34) / (1 - 0.34) = 6/11.
    first = [1, 1, 0, 2, 2, 0, 1, 2, 0, 0]
    second = [1, 0, 0, 2, 1, 0, 1, 2, 2, 0]
    assert cohen_kappa(first, second).value == pytest.approx(6 / 11, abs=1e-12)


# ------------------------------------------------------------------ readings


@pytest.mark.parametrize(
    ("value", "english", "swedish"),
    [
        (-0.1, "poor agreement (below chance)", "sämre än slumpen"),
        (0.0, "slight agreement", "obetydlig överensstämmelse"),
        (0.2, "slight agreement", "obetydlig överensstämmelse"),
        (0.21, "fair agreement", "viss överensstämmelse"),
        (0.5, "moderate agreement", "måttlig överensstämmelse"),
        (0.7, "substantial agreement", "god överensstämmelse"),
        (0.81, "almost perfect agreement", "mycket god överensstämmelse"),
    ],
)
def test_landis_koch_bands(value: float, english: str, swedish: str) -> None:
    assert kappa_reading(value) == english
    with use_language("sv"):
        translated = kappa_reading(value)
    if translated != english:  # the Swedish catalogue carries these strings
        assert translated == swedish


@pytest.mark.parametrize(
    ("value", "english"),
    [
        (0.9, "reliable"),
        (0.8, "reliable"),
        (0.7, "tentative conclusions only"),
        (0.5, "not reliable"),
    ],
)
def test_krippendorff_thresholds(value: float, english: str) -> None:
    assert alpha_reading(value) == english


def test_reading_of_an_undefined_figure_says_why() -> None:
    assert "same" in reading(Figure(None, 3, Undefined.ONE_CATEGORY), kappa=True)


def test_figures_use_a_decimal_comma_in_swedish() -> None:
    assert format_figure(0.7434) == "0.74"
    assert format_figure(None) == "–"
    with use_language("sv"):
        assert format_figure(0.7434) == "0,74"
