"""Text people typed stays literal: rendered, parsed back, it is exactly the same text.

The property tests render random notes full of Markdown syntax (headings,
bullets, ordered markers, quotes, pipes, emphasis, backticks, HTML, links,
entities, several lines, odd whitespace) as list items, table cells,
headings and whole minutes, parse the result with markdown-it-py, and demand
every note back as exactly one item or cell with exactly its text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from samverkan.domain import markdown_safe as md
from samverkan.domain.minutes import MinutesData, render_minutes
from samverkan.domain.model import NoteKind, NoteView
from tests.domain.minutes_fixture import MEETING, ORGS, PHASES

NASTY = [
    "#", "# ", "-", "- ", "+ ", "* ", "1. ", "1) ", "12.", ">", "> ", "|", "*", "**", "_", "__",
    "`", "```", "~~~", "~", "<script>", "</div>", "<!--", "[link](x)", "![i](x)", "[x]: y",
    "[ ] ", "[!NOTE]", "&amp;", "&#32;", "&", "\\", "\\*", "!", "+", "=", "===", "---", "***",
    "    ", "\t", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u2028", "\x0c", "\x85",
    ":", "$", "{", "}", "(", ")", "\"", "'", "å", "Ö", "é",
]  # fmt: skip
# No linkify: it shows a URL's percent-escapes decoded (documented in markdown_safe).
PARSERS = {
    "commonmark+gfm-tables": lambda: MarkdownIt("commonmark").enable(["table", "strikethrough"]),
    "textual-gfm-like2": lambda: MarkdownIt("gfm-like2").disable("linkify"),
}
ALLOWED_INLINE = {"text", "text_special", "hardbreak"}
# The minutes' own labels are bold or italic; a note whose asterisks leaked
# into emphasis would lose them from its text, so ignoring these still catches it.
OWN_MARKUP = {"strong_open", "strong_close", "em_open", "em_close"}

texts = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=4)), min_size=1, max_size=10
).map("".join)
notes_texts = st.lists(texts, min_size=1, max_size=6)


def expected(text: str) -> str:
    """What a parser gives back, by the contract in markdown_safe's docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    for control in "\x0b\x0c\x1c\x1d\x1e\x1f\x85":
        text = text.replace(control, " ")
    return text.strip("\n")


def inline_text(token: Token, ignore: frozenset[str] | set[str] = frozenset()) -> str:
    assert token.type == "inline"
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ignore:
            continue
        assert child.type in ALLOWED_INLINE, f"markup leaked: {child.type} in {token.content!r}"
        parts.append("\n" if child.type == "hardbreak" else child.content)
    return "".join(parts)


def list_items(
    tokens: list[Token], level: int = 1, ignore: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """The text of each list item ``level`` deep, in order; an empty item gives ''."""
    items: list[str] = []
    depth = 0
    current: list[str] | None = None
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open" and depth == level:
            current = []
        elif token.type == "list_item_close" and depth == level:
            assert current is not None
            assert len(current) <= 1, f"one item became several paragraphs: {current}"
            items.append(current[0] if current else "")
            current = None
        elif token.type == "inline" and depth == level and current is not None:
            current.append(inline_text(token, ignore))
    return items


def table_cells(
    tokens: list[Token], ignore: frozenset[str] | set[str] = frozenset()
) -> list[list[str]]:
    rows: list[list[str]] = []
    in_body = False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body:
            rows.append([])
        elif token.type == "inline" and in_body:
            rows[-1].append(inline_text(token, ignore))
    return rows


@pytest.mark.parametrize("parser", PARSERS)
@given(notes=notes_texts)
def test_every_note_is_one_list_item_with_exactly_its_text(parser: str, notes: list[str]) -> None:
    notes = [n for n in notes if expected(n)]
    document = "\n".join(md.list_item(n) for n in notes) + "\n"
    assert list_items(PARSERS[parser]().parse(document)) == [expected(n) for n in notes]


@pytest.mark.parametrize("parser", PARSERS)
@given(parent=texts, notes=notes_texts)
def test_nested_items_stay_inside_their_parent(parser: str, parent: str, notes: list[str]) -> None:
    notes = [n for n in notes if expected(n)]
    lines = [md.list_item(parent), *(md.list_item(n, level=1) for n in notes)]
    tokens = PARSERS[parser]().parse("\n".join(lines) + "\n")
    assert list_items(tokens, level=1) == [expected(parent)]
    assert list_items(tokens, level=2) == [expected(n) for n in notes]


@pytest.mark.parametrize("parser", PARSERS)
@given(notes=notes_texts)
def test_every_note_is_one_table_cell_with_exactly_its_text(parser: str, notes: list[str]) -> None:
    rows = [f"| {md.table_cell(n)} | {md.table_cell(n[::-1])} |" for n in notes]
    document = "| a | b |\n| --- | --- |\n" + "\n".join(rows) + "\n"
    got = table_cells(PARSERS[parser]().parse(document))
    assert got == [[expected(n), expected(n[::-1])] for n in notes]


@pytest.mark.parametrize("parser", PARSERS)
@given(text=texts)
def test_a_heading_is_one_heading_with_exactly_its_text(parser: str, text: str) -> None:
    tokens = PARSERS[parser]().parse("## " + md.heading(text) + "\n\nafter\n")
    assert [t.type for t in tokens[:3]] == ["heading_open", "inline", "heading_close"]
    assert inline_text(tokens[1]) == expected(text)


@given(text=texts)
def test_a_paragraph_is_one_paragraph(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(md.inline(text) + "\n")
    if not expected(text):
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == expected(text)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("# x", "\\# x"),
        ("- x", "\\- x"),
        ("1. x", "1\\. x"),
        ("> x", "\\> x"),
        ("a | b", "a \\| b"),
        ("<script>", "\\<script\\>"),
        ("[link](x)", "\\[link\\](x)"),
        ("&amp;", "\\&amp;"),
        ("e-post, kl. 10.30!", "e-post, kl. 10.30!"),  # prose stays readable
        ("två\nrader", "två\\\nrader"),
        ("  indrag", "&#32;&#32;indrag"),
    ],
)
def test_escapes_are_the_documented_ones(text: str, markdown: str) -> None:
    assert md.inline(text) == markdown


def test_a_table_cell_holds_line_breaks_as_references() -> None:
    assert md.table_cell("a\nb|c") == "a&#10;b\\|c"


# ---------------------------------------------------------------- whole minutes


def _item(note: NoteView, *, with_kind: bool = True) -> str:
    """A note's list item in the minutes, as the parser gives it back."""
    # Local clock time, as the minutes show it (Stockholm: UTC+2 in May).
    parts = [note.created_at.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%H:%M")]
    org = next((o for o in ORGS if o.id == note.organisation_id), None)
    if org is not None:
        parts.append(org.name)
    if with_kind and note.kind is not NoteKind.NOTE:
        parts.append(str(note.kind).replace("action", "action item"))
    return " · ".join(parts) + ": " + expected(note.text)


note_specs = st.lists(
    st.tuples(
        texts.filter(lambda t: bool(expected(t))),
        st.sampled_from([NoteKind.NOTE, NoteKind.DECISION, NoteKind.ACTION, NoteKind.QUOTE]),
        st.sampled_from([None, *(o.id for o in ORGS)]),
        st.sampled_from([p.id for p in PHASES]),
    ),
    min_size=1,
    max_size=8,
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(specs=note_specs, org=st.sampled_from([None, *(o.short for o in ORGS)]))
def test_minutes_give_every_note_back_once(
    specs: list[tuple[str, NoteKind, str | None, str]], org: str | None
) -> None:
    base = datetime(2018, 5, 17, 8, 0, tzinfo=UTC)
    notes = tuple(
        NoteView(
            id=f"n{i}",
            meeting_id=MEETING.id,
            phase_id=phase,
            organisation_id=who,
            person_id=None,
            author="",
            kind=kind,
            text=text,
            created_at=base + timedelta(minutes=i),  # the minutes show clock times
            offset_seconds=60.0 * i,
            owner_organisation_id=who if kind is NoteKind.ACTION else None,
        )
        for i, (text, kind, who, phase) in enumerate(specs)
    )
    data = MinutesData(meeting=replace(MEETING, attendance=()), notes=notes)
    tokens = PARSERS["textual-gfm-like2"]().parse(render_minutes(data, org=org))
    items = list_items(tokens, ignore=OWN_MARKUP)
    cells = table_cells(tokens, ignore=OWN_MARKUP)
    own = next((o.id for o in ORGS if o.short == org), None)

    def visible(note: NoteView) -> bool:
        return org is None or note.kind is NoteKind.DECISION or note.organisation_id in (None, own)

    for note in notes:
        assert items.count(_item(note)) == (1 if visible(note) else 0), note
        if note.kind is NoteKind.DECISION:
            assert items.count(_item(note, with_kind=False)) == 1
    actions = [expected(n.text) for n in notes if n.kind is NoteKind.ACTION and visible(n)]
    assert sorted(row[0] for row in cells) == sorted(actions)
