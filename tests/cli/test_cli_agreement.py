"""``samverkan agreement``: figures at full precision in three formats, and the data behind them."""

from __future__ import annotations

import csv
import io
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
from tests.analysis_data import Recorded, record_series

from samverkan.cli import main
from samverkan.domain.clock import ManualClock
from samverkan.services import Services

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

# Meeting 1 of tests/analysis_data.py, counted by hand: 7 notes x 5 codes, pooled.
KAPPA = Fraction(89, 124)
ALPHA = Fraction(179, 248)


@pytest.fixture
def recorded(imported: Services, clock: ManualClock) -> Recorded:
    return record_series(imported, clock)


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_json_has_every_figure_at_full_precision(
    recorded: Recorded, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db_path, "agreement", "grupp-1", "--format", "json", "--samples", "500") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["meetings"] == [1]
    assert doc["observers"] == ["Anders Lundmark", "Cecilia Norberg"]
    assert doc["remarks"] == 7
    pooled = doc["rows"][0]
    assert pooled["scope"] == "pooled"
    assert pooled["units"] == 35
    assert pooled["kappa"]["value"] == float(KAPPA)  # exactly, not to two decimals
    assert pooled["alpha"]["value"] == float(ALPHA)
    low, high = pooled["alpha_ci"]
    assert low <= float(ALPHA) <= high
    assert [r["code"] for r in doc["rows"][1:]] == [
        "gemensamt-synsatt",
        "personfaktorer",
        "fastna-i-byrakratin",
        "oklar-ansvarsfordelning",
        "samlokalisering",
    ]
    assert len(doc["method"]) == 4
    # Reruns agree to the last digit: the bootstrap is seeded.
    assert run(db_path, "agreement", "grupp-1", "--format", "json", "--samples", "500") == 0
    assert json.loads(capsys.readouterr().out) == doc


def test_csv_uses_the_separator_asked_for(
    recorded: Recorded, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db_path, "--lang", "sv", "agreement", "grupp-1", "--format", "csv",
               "--samples", "50") == 0  # fmt: skip
    swedish = capsys.readouterr().out
    assert swedish.splitlines()[0].startswith("scope;code;label;units")
    assert run(db_path, "--lang", "en", "agreement", "grupp-1", "--format", "csv",
               "--samples", "50") == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["scope"] == "pooled"
    assert float(rows[0]["alpha"]) == float(ALPHA)
    assert run(db_path, "agreement", "grupp-1", "--format", "csv", "--sep", ";",
               "--samples", "50") == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines()[0].count(";") == 9


def test_table_states_the_method(
    recorded: Recorded, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db_path, "--lang", "en", "agreement", "grupp-1", "--samples", "200") == 0
    out = capsys.readouterr().out
    assert repr(float(ALPHA)) in out and repr(float(KAPPA)) in out
    assert "observations are not units" in out
    assert "not a multi-category" in out


def test_the_matrix_reads_back_to_the_same_alpha(
    recorded: Recorded, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "matrix.csv"
    assert run(db_path, "agreement", "grupp-1", "--matrix", str(target), "--samples", "20") == 0
    text = target.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["meeting", "note_id", "code", "Anders Lundmark", "Cecilia Norberg"]
    assert len(rows) == 1 + 7 * 5  # every note of meeting 1, untagged ones too, per code
    values = np.array(
        [[math.nan if v == "NA" else float(v) for v in row[3:]] for row in rows[1:]]
    ).T
    alpha = krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
    assert alpha == pytest.approx(float(ALPHA), abs=1e-12)


def test_one_meeting_and_mistakes(
    recorded: Recorded, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db_path, "agreement", "grupp-1", "--meeting", "2", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["meetings"] == []  # only one observer coded meeting 2
    assert doc["rows"][0]["alpha"]["value"] is None
    assert run(db_path, "agreement", "grupp-1", "--meeting", "9") == 1
    assert "no meeting 9" in capsys.readouterr().err
    assert run(db_path, "agreement", "grupp-1", "--samples", "0") == 1
