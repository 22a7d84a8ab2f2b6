"""bench.budgets: a figure says what it measured, beside what, and fails when over."""

from __future__ import annotations

import pytest
from bench.harness import Figure

from bench import harness


def test_p99_needs_a_thousand_samples_else_the_maximum_is_held_to_the_budget() -> None:
    few = Figure("x", "x", "ms", [1.0] * 98 + [2.0, 9.0], limit=5)
    assert few.effective_statistic == "max" and few.missed(quick=False)
    many = Figure("x", "x", "ms", [1.0] * 995 + [9.0] * 5, limit=5)
    assert many.effective_statistic == "p99" and not many.missed(quick=False)


def test_quick_checks_ratios_not_absolute_times() -> None:
    slow_machine = Figure("x", "x", "ms", [50.0] * 10, [20.0] * 10, limit=5, ratio_limit=4)
    assert slow_machine.missed(quick=False) and not slow_machine.missed(quick=True)
    worse = Figure("x", "x", "ms", [90.0] * 10, [20.0] * 10, limit=5, ratio_limit=4)
    assert worse.missed(quick=True) == ["ratio 4.50 > 4"]


def test_every_line_carries_n_baseline_and_load_and_the_exit_status_follows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ok = Figure("ok", "fine", "s", [0.1, 0.2], [0.1, 0.1], "bare", ratio_limit=3)
    over = Figure("over", "slow", "s", [2.0], limit=1.0)
    assert harness.report([ok], quick=False) == 0
    assert harness.report([ok, over], quick=False) == 1
    out = capsys.readouterr().out
    assert "(n=2)" in out and "[bare]" in out and "load " in out and "MISSED" in out
