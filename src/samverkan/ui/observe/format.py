"""How the observer's screen draws a note, its details and its filter.

Plain functions of the meeting and the observer's name, so the note stream's
formatter, the detail pane and the tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text

from samverkan.domain.clock import format_duration
from samverkan.domain.labels import kind_label
from samverkan.domain.model import MeetingView, NoteKind, NoteView, TagView
from samverkan.domain.observing import CodeKeys
from samverkan.i18n import _
from samverkan.ui.theme_colours import style

WHOLE_GROUP = ""  # the organisation filter's value for notes made for the whole group


def same_observer(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def initials(name: str) -> str:
    parts = name.split()
    return "".join(p[0] for p in parts[:3]).upper() or "?"


def has_own_tag(note: NoteView, observer: str) -> bool:
    return any(same_observer(tag.observer, observer) for tag in note.tags)


def with_tag(note: NoteView, tag: TagView, active: bool) -> NoteView:
    """The note as it will be once ``tag`` is switched on or off (drawn before the write)."""
    others = tuple(
        t
        for t in note.tags
        if not (t.code_id == tag.code_id and same_observer(t.observer, tag.observer))
    )
    return replace(note, tags=(*others, tag) if active else others)


@dataclass(frozen=True)
class NoteFilter:
    organisation: str | None = None  # an organisation id, WHOLE_GROUP, or None: any
    phase_id: str | None = None
    code_id: str | None = None
    untagged: bool = False  # only notes without this observer's tag

    @property
    def active(self) -> bool:
        return self != NoteFilter()

    def matches(self, note: NoteView, observer: str) -> bool:
        if self.organisation is not None and (note.organisation_id or "") != self.organisation:
            return False
        if self.phase_id is not None and note.phase_id != self.phase_id:
            return False
        if self.code_id is not None and all(t.code_id != self.code_id for t in note.tags):
            return False
        return not (self.untagged and has_own_tag(note, observer))

    def describe(self, meeting: MeetingView) -> str:
        parts: list[str] = []
        if self.organisation is not None:
            org = meeting.organisation(self.organisation)
            parts.append(org.short if org else _("whole group"))
        if self.phase_id is not None:
            phase = meeting.phase(self.phase_id)
            parts.append(phase.title if phase else "?")
        if self.code_id is not None:
            code = next((c for c in meeting.codes if c.id == self.code_id), None)
            parts.append("#" + (code.slug if code else "?"))
        if self.untagged:
            parts.append(_("untagged by you"))
        return ", ".join(parts)


class NoteFormatter:
    """One line a note: meeting time, organisation, its codes by key, kind, text.

    Codes show as their two-key sequences (as in the codebook pane), this
    observer's in green, other observers' in magenta; the detail pane spells
    them out with whose they are.
    """

    TAG_WIDTH = 9  # three keys; more become "+n"

    def __init__(self, meeting: MeetingView, observer: str, keys: CodeKeys) -> None:
        self.observer = observer
        self.keys = keys
        self.shorts = {o.id: o.short for o in meeting.organisations}

    def __call__(self, note: NoteView) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{format_duration(note.offset_seconds):>7} ", style="dim")
        line.append(f"{self.shorts.get(note.organisation_id or '', '·'):<4} ", style=style("tags"))
        tags = self.tags(note)
        tags.pad_right(max(0, self.TAG_WIDTH - tags.cell_len))
        line.append_text(tags)
        line.append(" ")
        if note.kind == NoteKind.OBSERVATION:
            mark = "◆" if same_observer(note.author, self.observer) else "◇"
            line.append(f"{mark}{initials(note.author)} ", style=style("others"))
        elif note.kind != NoteKind.NOTE:
            line.append(f"[{kind_label(note.kind)}] ", style="bold")
        line.append(note.text)
        return line

    def tags(self, note: NoteView) -> Text:
        # Each code once: green with ✓ when this observer has it, magenta when only others do.
        mine = {t.code_id for t in note.tags if same_observer(t.observer, self.observer)}
        codes = sorted({t.code_id for t in note.tags}, key=lambda c: (c not in mine, c))
        text = Text()
        for index, code_id in enumerate(codes):
            if index == 3 and len(codes) > 3:
                text.append(f"+{len(codes) - 3}", style="dim")
                break
            if text:
                text.append(" ")
            # ✓ marks this observer's own tags, so the difference is not only a colour.
            own = code_id in mine
            label = ("✓" if own else "") + self.keys.labels.get(code_id, "··")
            text.append(label, style=style("mine") if own else style("others"))
        return text


def note_details(note: NoteView | None, meeting: MeetingView, observer: str) -> Text:
    """The highlighted note in full, with every tag and whose it is."""
    if note is None:
        return Text(_("No note selected."), style="dim")
    org = meeting.organisation(note.organisation_id)
    phase = meeting.phase(note.phase_id)
    head = [
        kind_label(note.kind),
        org.name if org else _("whole group"),
        phase.title if phase else _("no phase"),
    ]
    if note.author:
        head.append(note.author)
    text = Text(" · ".join(head) + "\n", style="dim")
    labels = {code.id: code.label for code in meeting.codes}
    mine = [labels.get(t.code_id, t.slug) for t in note.tags if same_observer(t.observer, observer)]
    others = [
        f"{labels.get(t.code_id, t.slug)} ({t.observer})"
        for t in note.tags
        if not same_observer(t.observer, observer)
    ]
    text.append(_("Your tags: "), style="bold")
    text.append(", ".join(mine) or "–", style=style("mine"))
    if others:
        text.append("  " + _("Others: "), style="bold")
        text.append(", ".join(others), style=style("others"))
    text.append("\n" + note.text)
    return text
