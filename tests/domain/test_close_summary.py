"""The close dialog's summary: every note reads back literally, owners as everywhere else."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt

from samverkan.domain.model import NoteKind
from samverkan.i18n import use_language
from samverkan.ui.meeting.summary import close_summary
from tests.domain.minutes_fixture import MEETING, NOTES
from tests.domain.test_markdown_safe import expected, list_items, notes_texts

PARSER = MarkdownIt("gfm-like2").disable("linkify")  # as Textual's Markdown widget
DECISION = next(n for n in NOTES if n.kind is NoteKind.DECISION)
ACTION = next(n for n in NOTES if n.kind is NoteKind.ACTION)


def _items(markdown: str) -> list[str]:
    return list_items(PARSER.parse(markdown), ignore={"strong_open", "strong_close"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decisions=notes_texts, actions=notes_texts)
def test_every_note_reads_back_literally(decisions: list[str], actions: list[str]) -> None:
    made = [replace(DECISION, id=f"d{i}", text=t) for i, t in enumerate(decisions)]
    todo = [
        replace(ACTION, id=f"a{i}", text=t, owner_person_id=None, due=None)
        for i, t in enumerate(actions)
    ]
    with use_language("en"):
        items = _items(close_summary(MEETING, made, todo))
    owner = " (Falu kommun)"
    assert items == [expected(t) for t in decisions] + [expected(t + owner) for t in actions]


def test_the_examples_of_the_issue() -> None:
    made = [replace(DECISION, text="1) Ring AF"), replace(DECISION, id="x", text="&amp; Co")]
    with use_language("en"):
        items = _items(close_summary(MEETING, made, []))
    assert items[:2] == ["1) Ring AF", "&amp; Co"]


def test_owners_are_written_as_in_the_minutes() -> None:
    named = replace(ACTION, owner_person_id="p-anna", due=date(2018, 6, 15))
    nobody = replace(ACTION, id="n", owner_organisation_id=None, owner_person_id=None, due=None)
    with use_language("en"):
        items = _items(close_summary(MEETING, [], [named, nobody]))
    assert items[1:] == [  # after "none" for the decisions
        f"{ACTION.text} (Anna Lindqvist (Falu kommun), due 2018-06-15)",
        f"{ACTION.text} (no owner named)",
    ]
