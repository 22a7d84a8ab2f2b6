"""The steering group's report: golden files in Swedish and English, literal text, determinism.

Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 pytest tests/services/test_report.py`` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from tests.analysis_data import GS, PROJECT, code, record_series

from samverkan.domain.analysis import Analysis, analyse
from samverkan.domain.clock import ManualClock
from samverkan.domain.report import number_ranges, render_report, representative
from samverkan.i18n import current_language
from samverkan.services import Services
from samverkan.services.analysis import AnalysisService

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


@pytest.fixture
def analysis(imported: Services, clock: ManualClock) -> Analysis:
    record_series(imported, clock)
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    return analyse(series)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_matches_the_golden_file(analysis: Analysis, lang: str) -> None:
    text = render_report(analysis, lang=lang)
    golden = GOLDEN / f"report-{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8")


def test_report_is_in_the_projects_language_by_default(analysis: Analysis) -> None:
    assert render_report(analysis) == render_report(analysis, lang="sv")
    assert current_language() == "en"  # the interface's language is back


def test_report_is_deterministic(analysis: Analysis) -> None:
    assert render_report(analysis, lang="en") == render_report(analysis, lang="en")


def _texts(markdown: str) -> list[str]:
    """The text of every paragraph, list item and cell, as a reader sees it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [
        "".join(
            "\n" if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or ()
        )
        for token in tokens
        if token.type == "inline"
    ]


def test_typed_text_stays_literal(analysis: Analysis) -> None:
    texts = _texts(render_report(analysis, lang="en"))
    # A remark beginning with '#' is not a heading, a '|' does not split a table cell.
    assert "meeting 1, FAL: # Inte en rubrik – personerna bär samverkan" in texts
    assert "meeting 1, AF: Vi sitter i samma hus sedan 2016 | och det hjälper." in texts
    assert "Skicka mallen till alla" in texts  # a table cell
    html = MarkdownIt("commonmark").enable("table").render(render_report(analysis, lang="en"))
    assert "<h1>Inte en rubrik" not in html
    assert "Vi sitter i samma hus sedan 2016 | och det hjälper." in html


def test_sections_in_order(analysis: Analysis) -> None:
    text = render_report(analysis, lang="en")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Recurring success factors and obstacles",
        "## Differences between organisations",
        "## Participation",
        "## Decisions",
        "## Action items",
        "## Agreement between observers",
    ]
    assert "| 1 | Skicka mallen till alla | Falu kommun | 2018-04-01 | done |" in text
    assert "| 2 | Boka lokal | Arbetsförmedlingen | – | open |" in text
    assert "| 1 | 2 · 04:00 | 2 · 05:00 | 0 · 00:00 | 0 · 00:00 | 0 · 00:00 | 2 · 03:20 |" in text
    assert (
        "| All codes, pooled present/absent | 0.72 | substantial agreement | 0.72 "
        "| tentative conclusions only |" in text
    )


def test_representative_remarks_prefer_agreement_and_spread(analysis: Analysis) -> None:
    chosen = representative(analysis, code(GS))
    # n1 (both observers) first, then the earliest of meeting 2 rather than a second of 1.
    assert [r.text for r in chosen] == [
        "Vi har en gemensam bild av målgruppen.",
        "Vi har fasta möten varje vecka.",
    ]


def test_report_without_agreement_data(imported: Services) -> None:
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    text = render_report(analyse(series), lang="en")
    assert "cannot be computed" in text
    assert "No decisions were recorded." in text
    assert "No action items were recorded." in text


@pytest.mark.parametrize(
    ("numbers", "text"),
    [([], ""), ([3], "3"), ([1, 2, 3, 5], "1–3, 5"), ([5, 1, 2, 2], "1, 2, 5"), ([1, 3], "1, 3")],
)
def test_number_ranges(numbers: list[int], text: str) -> None:
    assert number_ranges(numbers) == text


def test_a_meeting_never_started_but_with_notes_adds_up(
    imported: Services, clock: ManualClock
) -> None:
    from tests.analysis_data import meeting, org

    from samverkan.domain.model import NoteKind
    from samverkan.services import NoteDraft

    record_series(imported, clock)
    m3 = meeting(3)  # planned: nobody pressed start
    for text in ("Vi har samma bild.", "Och samma mål."):
        note = imported.notes.add(m3, NoteDraft(text, NoteKind.NOTE, org("UME")))
        imported.tags.set(note.id, code(GS), "Cecilia Norberg", True)
    series = AnalysisService(imported.database).series(imported.projects.project_id(PROJECT))
    text = render_report(analyse(series), lang="en")
    assert "3 of 5 meetings held" in text
    assert "in 3 of 3 meetings (1–3)" in text  # GS: meetings 1, 2 and 3
    # Meeting 3's row counts UME's two remarks, and the total adds them up.
    rows = [line for line in text.splitlines() if line.startswith("| 3 |")]
    assert rows and "2 · 00:00" in rows[0]
    total = next(line for line in text.splitlines() if line.startswith("| Total |"))
    assert total.split("|")[6].strip() == "2 · 00:00"  # UME's column
