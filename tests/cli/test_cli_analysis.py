"""``report``, ``codebook export|import`` and ``export-tags``, run in-process with ``--db``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.analysis_data import C, Recorded, record_series

from samverkan.cli import main
from samverkan.domain.clock import ManualClock
from samverkan.domain.codebook import parse_codebook
from samverkan.domain.tag_export import COLUMNS
from samverkan.services import Services

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


@pytest.fixture
def recorded(imported: Services, clock: ManualClock) -> Recorded:
    return record_series(imported, clock)


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_report_to_stdout_in_the_projects_language(
    recorded: Recorded, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run(db_path, "report", "grupp-1") == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out == (GOLDEN / "report-sv.md").read_text(encoding="utf-8")


def test_report_to_a_file_in_english(
    recorded: Recorded, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rapport för styrgruppen.md"
    assert run(db_path, "report", "grupp-1", "-o", str(target), "--lang", "en") == 0
    assert target.read_text(encoding="utf-8") == (GOLDEN / "report-en.md").read_text(
        encoding="utf-8"
    )
    assert str(target) in capsys.readouterr().out


def test_an_existing_file_is_kept_without_force(
    recorded: Recorded, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me", encoding="utf-8")
    assert run(db_path, "report", "grupp-1", "-o", str(target)) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run(db_path, "report", "grupp-1", "-o", str(target), "--force") == 0
    assert target.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "nope"], "there is no project nope"),
        (["report", "grupp-1", "-o", "{tmp}"], "is a folder"),
        (["report", "grupp-1", "-o", "{tmp}/missing/folder/r.md"], "cannot write"),
        (["export-tags", "nope", "-o", "{tmp}/t.csv"], "there is no project nope"),
        (["codebook", "export", "nope", "-o", "{tmp}/c.qdc"], "there is no project nope"),
        (["codebook", "import", "{tmp}/missing.qdc"], "cannot read"),
    ],
)
def test_user_mistakes_are_one_sentence_and_exit_1(
    recorded: Recorded,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert run(db_path, *(a.format(tmp=tmp_path) for a in args)) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [["report"], ["codebook"], ["codebook", "export", "grupp-1"], ["export-tags", "grupp-1"]],
)
def test_bad_usage_exits_2(db_path: Path, args: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        run(db_path, *args)
    assert raised.value.code == 2


def test_codebook_export_then_import_round_trip(
    recorded: Recorded, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdc = tmp_path / "kodbok.qdc"
    assert run(db_path, "codebook", "export", "grupp-1", "-o", str(qdc)) == 0
    first = qdc.read_bytes()
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in first
    assert b'origin="samverkan ' in first
    assert run(db_path, "codebook", "export", "grupp-1", "-o", str(qdc), "--force") == 0
    assert qdc.read_bytes() == first  # stable across exports
    markdown = tmp_path / "kodbok.md"
    assert run(db_path, "codebook", "import", str(qdc), "-o", str(markdown)) == 0
    assert "39" in capsys.readouterr().out
    sample = Path(__file__).resolve().parents[2] / "src/samverkan/sample_agendas/codebook.md"
    original, _ = parse_codebook(sample, sample.read_text(encoding="utf-8"))
    again, problems = parse_codebook(markdown, markdown.read_text(encoding="utf-8"))
    assert again is not None, problems
    assert original is not None
    assert [(c.slug, c.label, c.description, c.dimension, c.polarity) for c in again.codes] == [
        (c.slug, c.label, c.description, c.dimension, c.polarity) for c in original.codes
    ]


def test_codebook_import_of_a_bad_file_names_the_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><CodeBook/>')
    assert run(db_path, "codebook", "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "DOCTYPE" in err


def test_codebook_import_prints_warnings_to_stderr(
    db_path: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = tmp_path / "plain.qdc"
    source.write_text(
        '<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Tillit" '
        'isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    assert run(db_path, "codebook", "import", str(source)) == 0
    captured = capsysbinary.readouterr()
    assert "- [tillit] Tillit" in captured.out.decode("utf-8")
    assert "warning:" in captured.err.decode("utf-8")


def test_export_tags_writes_one_row_per_tag(
    recorded: Recorded, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "taggar.csv"
    assert run(db_path, "--lang", "en", "export-tags", "grupp-1", "-o", str(target)) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    every = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    body = [row for row in every if row["code"]]
    # Meeting 1: C 4 + A 4 tags; meeting 2: C 4 tags (n13 deleted).
    assert len(body) == 12
    assert len(every) == 12 + 5  # and the five notes nobody tagged
    first = body[0]
    assert first["meeting"] == "1"
    assert first["phase"] == "Värdpresentation"
    assert first["phase_kind"] == "host"
    assert first["organisation"] == "SKE"
    assert first["code"] == "gemensamt-synsatt"
    assert first["polarity"] == "success"
    assert first["dimension"] == "Kultur, person, attityd"
    assert first["time"] == "2018-06-14T09:31:10+02:00"
    pipe = [r for r in body if r["code"] == "samlokalisering"]
    assert {r["text"] for r in pipe} == {"Vi sitter i samma hus sedan 2016 | och det hjälper."}
    assert [r["observer"] for r in body if r["meeting"] == "2"] == [C] * 4
    assert data.count(b"\r\n") == len(rows)


def test_agreement_recomputed_from_the_tag_csv_is_the_apps(
    recorded: Recorded, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's claim: from its rows alone, the pooled α and κ come out as the app's."""
    from fractions import Fraction

    from samverkan.domain.agreement import cohen_kappa, krippendorff_alpha

    target = tmp_path / "taggar.csv"
    assert run(db_path, "--lang", "sv", "export-tags", "grupp-1", "-o", str(target)) == 0
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ";".join(COLUMNS)  # Swedish Excel's separator
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    coded = [r for r in rows if len(r["coders"].split("; ")) >= 2 and r["kind"] != "observation"]
    observers = sorted(coded[0]["coders"].split("; "))
    notes = list(dict.fromkeys(r["note_id"] for r in coded))
    codes = list(dict.fromkeys(r["code"] for r in coded if r["code"]))
    given = {(r["note_id"], r["code"], r["observer"]) for r in coded}
    data = [[int((n, c, o) in given) for n in notes for c in codes] for o in observers]
    assert krippendorff_alpha(data).value == pytest.approx(float(Fraction(179, 248)), abs=1e-12)
    assert cohen_kappa(*data).value == pytest.approx(float(Fraction(89, 124)), abs=1e-12)
