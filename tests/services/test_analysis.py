"""Every matrix and figure of the analysis on the hand-built series of tests/analysis_data.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from tests.analysis_data import (
    FB,
    FS,
    GS,
    OA,
    PF,
    PROJECT,
    SL,
    A,
    C,
    Recorded,
    code,
    meeting,
    org,
    record_series,
)

from samverkan.domain.analysis import (
    Analysis,
    View,
    analyse,
    filter_codes,
    participation,
    sort_codes,
)
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind, Polarity
from samverkan.services import Services
from samverkan.services.analysis import AnalysisService


@pytest.fixture
def recorded(imported: Services, clock: ManualClock) -> Recorded:
    return record_series(imported, clock)


@pytest.fixture
def analysis(imported: Services, recorded: Recorded) -> Analysis:
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    return analyse(series)


def test_the_series_is_read_whole(analysis: Analysis, recorded: Recorded) -> None:
    series = analysis.series
    assert series.short == PROJECT
    assert series.lang == "sv"
    assert [m.number for m in series.meetings] == [1, 2, 3, 4, 5]
    assert [o.short for o in series.organisations] == ["FAL", "SKE", "SOD", "STR", "UME", "AF"]
    assert len(series.codes) == 39
    # Tagged notes, decisions and action items; never the deleted n13 or the plain n7.
    kept = {
        name for name, nid in recorded.notes.items() if any(r.id == nid for r in series.remarks)
    }
    assert kept == {f"n{i}" for i in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)}
    assert series.coders == {meeting(1): frozenset({A, C}), meeting(2): frozenset({C})}
    assert series.observers == (A, C)


def test_code_by_meeting_matrix(analysis: Analysis) -> None:
    matrix = analysis.by_meeting
    assert matrix.columns == tuple(meeting(n) for n in range(1, 6))
    expected = {
        GS: (1, 2, 0, 0, 0),
        PF: (1, 0, 0, 0, 0),
        FB: (1, 0, 0, 0, 0),
        OA: (1, 1, 0, 0, 0),
        SL: (1, 0, 0, 0, 0),
        FS: (0, 1, 0, 0, 0),
    }
    for c in analysis.series.codes:
        assert matrix.row(c.id) == expected.get(c.slug, (0,) * 5), c.slug
    assert matrix.row_totals[code(GS)] == 3
    assert matrix.column_total(meeting(1)) == 5
    assert matrix.column_total(meeting(2)) == 4
    assert matrix.total == 9


def test_code_by_organisation_matrix(analysis: Analysis) -> None:
    matrix = analysis.by_organisation
    # No tagged remark lacks an organisation, so there is no "whole group" column.
    assert matrix.columns == tuple(org(s) for s in ("FAL", "SKE", "SOD", "STR", "UME", "AF"))
    assert matrix.row(code(GS)) == (0, 1, 1, 0, 0, 1)
    assert matrix.row(code(PF)) == (1, 0, 0, 0, 0, 0)
    assert matrix.row(code(FB)) == (0, 1, 0, 0, 0, 0)
    assert matrix.row(code(OA)) == (0, 1, 1, 0, 0, 0)
    assert matrix.row(code(SL)) == (0, 0, 0, 0, 0, 1)
    assert matrix.row(code(FS)) == (0, 0, 1, 0, 0, 0)
    assert matrix.column_total(org("SKE")) == 3


def test_totals_per_dimension_and_polarity(analysis: Analysis) -> None:
    totals = [(t.dimension, t.polarity, t.count, t.codes) for t in analysis.totals]
    assert totals == [
        ("Kultur, person, attityd", Polarity.SUCCESS, 4, 2),
        ("Kultur, person, attityd", Polarity.OBSTACLE, 1, 1),
        ("Organisation och arbetsformer", Polarity.SUCCESS, 1, 1),
        ("Organisation och arbetsformer", Polarity.OBSTACLE, 2, 1),
        ("Organisation och arbetsformer", Polarity.AMBIVALENT, 1, 1),
        ("Generella framgångsfaktorer (Dua)", Polarity.SUCCESS, 0, 0),
    ]


def test_trend_of_a_code(analysis: Analysis) -> None:
    assert analysis.trend(code(GS)) == (1, 2, 0, 0, 0)
    assert analysis.trend(code(OA)) == (1, 1, 0, 0, 0)


def test_remarks_behind_a_cell(analysis: Analysis, recorded: Recorded) -> None:
    behind = analysis.remarks_behind(code(GS), View.MEETINGS, meeting(2))
    assert [r.id for r in behind] == [recorded.notes["n9"], recorded.notes["n10"]]
    first = analysis.remarks_behind(code(OA), View.ORGANISATIONS, org("SKE"))
    assert len(first) == 1
    remark = first[0]
    assert remark.text == "Det tar tre veckor att få ett beslut."
    assert remark.observers_of(code(OA)) == (A,)
    assert remark.observers_of(code(FB)) == (A, C)
    phase = analysis.series.phases[remark.phase_id or ""]
    assert phase.title == "Värdpresentation"
    assert analysis.series.number(remark.meeting_id) == 1
    whole_row = analysis.remarks_behind(code(GS))
    assert [r.id for r in whole_row] == [recorded.notes[n] for n in ("n1", "n9", "n10")]
    talk = analysis.remarks_behind(code(PF), View.MEETINGS, meeting(1))[0]
    assert analysis.series.phases[talk.phase_id or ""].title == "Samtal"


def test_participation_per_organisation_and_meeting(analysis: Analysis) -> None:
    short = {o.id: o.short for o in analysis.series.organisations}
    figures = {
        (analysis.series.number(p.meeting_id), short[p.organisation_id]): (p.remarks, p.seconds)
        for p in participation(analysis.series)
    }
    assert len(figures) == 5 * 6
    assert figures[(1, "SKE")] == (2, 300.0)
    assert figures[(1, "AF")] == (2, 200.0)
    assert figures[(1, "FAL")] == (2, 240.0)
    assert figures[(1, "SOD")] == (0, 0.0)
    assert figures[(2, "SOD")] == (2, 120.0)  # n13 was deleted
    assert figures[(2, "AF")] == (3, 180.0)
    assert figures[(3, "AF")] == (0, 0.0)


def test_decisions_and_actions(analysis: Analysis) -> None:
    decisions = [r.text for r in analysis.series.remarks if r.kind is NoteKind.DECISION]
    assert decisions == ["Vi inför ett gemensamt kartläggningsdokument.", "Nästa möte i Umeå."]
    actions = [(r.text, r.done) for r in analysis.series.remarks if r.kind is NoteKind.ACTION]
    assert actions == [("Skicka mallen till alla", True), ("Boka lokal", False)]


def test_agreement_over_the_meeting_both_observers_coded(analysis: Analysis) -> None:
    result = analysis.agreement
    assert result.observers == (A, C)
    assert result.units == 7  # the notes of meeting 1
    per_code = {analysis.series.code(c.code_id).slug: c for c in result.codes}  # type: ignore[union-attr]
    assert list(per_code) == [GS, PF, FB, OA, SL]  # codebook order, codes used only
    for slug in (GS, FB, SL):
        assert per_code[slug].kappa.value == 1.0
        assert per_code[slug].alpha.value == 1.0
    for slug in (PF, OA):
        assert per_code[slug].kappa.value == 0.0
        assert per_code[slug].alpha.value == 0.0
    assert result.kappa.value == pytest.approx(float(Fraction(89, 124)), abs=1e-9)
    assert result.alpha.value == pytest.approx(float(Fraction(179, 248)), abs=1e-9)


def test_an_observer_who_untagged_everything_still_coded_the_meeting(
    imported: Services, recorded: Recorded
) -> None:
    imported.tags.set(recorded.notes["n10"], code(GS), A, True)
    imported.tags.set(recorded.notes["n10"], code(GS), A, False)
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    assert series.coders[meeting(2)] == frozenset({A, C})
    result = analyse(series).agreement
    assert result.units == 7 + 5  # meeting 2's five notes (n13 was deleted) join


def test_filter_and_sort_codes(analysis: Analysis) -> None:
    codes = analysis.series.codes
    obstacles = filter_codes(codes, polarity=Polarity.OBSTACLE)
    assert {c.polarity for c in obstacles} == {Polarity.OBSTACLE}
    assert [c.slug for c in filter_codes(codes, text="SAMLOK")] == [SL]
    dua = filter_codes(codes, dimension="Generella framgångsfaktorer (Dua)")
    assert len(dua) == 6
    ranked = sort_codes(codes, analysis.by_meeting.row_totals, by_total=True)
    assert [c.slug for c in ranked[:6]] == [GS, OA, PF, FB, FS, SL]
    assert sort_codes(codes, analysis.by_meeting.row_totals, by_total=False) == codes


def test_unknown_project_is_a_user_error(imported: Services) -> None:
    from samverkan.domain.errors import UserError

    with pytest.raises(UserError):
        AnalysisService(imported.database).series("nope")


def test_codebook_for_export_leaves_retired_codes_out(imported: Services) -> None:
    book = AnalysisService(imported.database).codebook(imported.projects.project_id(PROJECT))
    assert book.short == PROJECT
    assert len(book.codes) == 39
    assert [c.position for c in book.codes] == sorted(c.position for c in book.codes)


def test_a_tagged_remark_without_organisation_gets_a_group_column(
    imported: Services, recorded: Recorded
) -> None:
    imported.tags.set(recorded.notes["n7"], code(SL), C, True)
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    matrix = analyse(series).by_organisation
    assert matrix.columns[-1] is None
    assert matrix.count(code(SL), None) == 1
    assert matrix.row_totals[code(SL)] == 2


def test_a_retired_code_stays_while_remarks_carry_it(
    imported: Services, recorded: Recorded, tmp_path: Path
) -> None:
    import shutil

    from tests.conftest import GRUPP_1

    folder = tmp_path / "grupp-1"
    shutil.copytree(GRUPP_1, folder)
    codebook = GRUPP_1.parent / "codebook.md"
    text = codebook.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if "[samlokalisering]" not in line)
    (tmp_path / "codebook.md").write_text(kept + "\n", encoding="utf-8")
    imported.importer.import_paths([folder])
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    assert code(SL) in series.retired
    assert series.codes[-1].id == code(SL)  # after the codes in use
    assert analyse(series).by_meeting.row_totals[code(SL)] == 1
    book = AnalysisService(imported.database).codebook(imported.projects.project_id(PROJECT))
    assert code(SL) not in {c.id for c in book.codes}


def test_tag_export_keeps_text_literal(imported: Services, recorded: Recorded) -> None:
    import csv
    import io

    from samverkan.domain.tag_export import BOM, COLUMNS, render_tags_csv

    imported.meetings.reopen(meeting(1))
    imported.notes.edit(recorded.notes["n1"], text='Två rader,\n"citat" och ; semikolon')
    imported.notes.edit(recorded.notes["n7"], text="=1+1 och -fel")
    service = AnalysisService(imported.database)
    series = service.series(imported.projects.project_id(PROJECT), every_note=True)
    text = render_tags_csv(series)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:], newline=""), fieldnames=COLUMNS))[1:]
    assert rows[0]["text"] == 'Två rader,\n"citat" och ; semikolon'
    assert [r["observer"] for r in rows[:2]] == [A, C]  # one row per observer
    untagged = {r["note_id"]: r for r in rows if not r["code"]}
    # Untagged notes are rows too: n4 (decision), n6 (action), n7 (note), n11, n12.
    assert set(untagged) == {recorded.notes[n] for n in ("n4", "n6", "n7", "n11", "n12")}
    assert untagged[recorded.notes["n7"]]["text"] == "'=1+1 och -fel"  # no formula
    assert untagged[recorded.notes["n7"]]["observer"] == ""
    assert {r["coders"] for r in rows if r["meeting"] == "1"} == {f"{A}; {C}"}
    assert {r["coders"] for r in rows if r["meeting"] == "2"} == {C}
    with_semicolons = render_tags_csv(series, separator=";")
    assert with_semicolons[1:].split("\r\n")[0] == ";".join(COLUMNS)
