"""Parsing one meeting's agenda: front matter for the meeting, ``##`` headings for phases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

from samverkan.domain.blocks import Block, parse_blocks
from samverkan.domain.frontmatter import FrontMatter, as_text, split_front_matter, unknown_keys
from samverkan.domain.model import AgendaSpec, PhaseKind, PhaseSpec, Problem
from samverkan.i18n import _

AGENDA_KEYS = ("meeting", "title", "date", "start", "place", "host")
MAX_MEETING = 999
MAX_MINUTES = 600

_KINDS: dict[str, PhaseKind] = {
    **dict.fromkeys(("värdpresentation", "värd", "värdens", "host"), PhaseKind.HOST),
    **dict.fromkeys(("samtal", "samtalet", "diskussion", "discussion"), PhaseKind.DISCUSSION),
    **dict.fromkeys(
        ("observation", "observationer", "återkoppling", "feedback", "observatörens"),
        PhaseKind.OBSERVATION,
    ),
}
_HOURS = r"h|hr|hrs|hour|hours|tim|timme|timmar"
_MINUTES = r"m|min|mins|minut|minuter|minute|minutes"
_PARENS = re.compile(r"\(([^()]*)\)\s*$")
# A parenthesis that ends in a time unit is meant as a timebox, even when its number is not one.
_UNIT_AT_END = re.compile(rf"(?<![^\W\d_])(?:{_HOURS}|{_MINUTES})\.?\s*$", re.IGNORECASE)
_TIMEBOX = re.compile(
    rf"(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:{_HOURS})\.?)?\s*(?:(?P<m>\d+)\s*(?:{_MINUTES})\.?)?",
    re.IGNORECASE | re.ASCII,
)
_EXAMPLES = {
    "meeting": "1",
    "title": "Möte 1",
    "date": "2025-03-14",
    "start": '"09:30"',
    "place": "Kramfors",
    "host": "KRA",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})", re.ASCII)
_FIRST_WORD = re.compile(r"[^\W_]+")


@dataclass
class _Phase:
    title: str
    kind: PhaseKind
    minutes: int | None
    line: int
    prompts: list[str] = field(default_factory=list)
    script: list[str] = field(default_factory=list)


def phase_kind(title: str) -> PhaseKind:
    """The kind named by a phase title's first word, in Swedish or English."""
    word = _FIRST_WORD.search(title)
    return _KINDS.get(word.group().casefold(), PhaseKind.OTHER) if word else PhaseKind.OTHER


def split_timebox(path: Path, line: int, heading: str) -> tuple[str, int | None, list[Problem]]:
    """``"Samtal (30 min)"`` -> ``("Samtal", 30, [])``; a malformed timebox is a problem."""
    match = _PARENS.search(heading)
    if match is None or not _UNIT_AT_END.search(match.group(1)):
        return heading.strip(), None, []
    title = heading[: match.start()].strip()
    inner = match.group(1).strip()
    parts = _TIMEBOX.fullmatch(inner)
    if parts is None or not (parts.group("h") or parts.group("m")):
        message = _('the timebox "({inner})" is not a number; write it as "(30 min)"')
        return title, None, [Problem(path, line, message.format(inner=inner))]
    hours = Fraction(parts.group("h").replace(",", ".")) if parts.group("h") else Fraction(0)
    minutes = round(hours * 60 + int(parts.group("m") or 0))
    if not 1 <= minutes <= MAX_MINUTES:
        message = _(
            'the timebox "({inner})" is {minutes} minutes; write a time from 1 to {most} minutes, '
            'e.g. "(30 min)"'
        ).format(inner=inner, minutes=minutes, most=MAX_MINUTES)
        return title, None, [Problem(path, line, message)]
    return title, minutes, []


def parse_agenda(path: Path, text: str) -> tuple[AgendaSpec | None, list[Problem]]:
    """An agenda, or None and every problem found; the spec is only returned without problems."""
    front = split_front_matter(path, text)
    problems = list(front.problems)
    if problems and not front.present:
        return None, problems  # unreadable, or unclosed front matter: the body is unknown too
    if not front.present:
        message = _(
            "the agenda has no front matter; start the file with a line ---, then meeting: 1, "
            "title: ..., host: ... and another line ---"
        )
        problems.append(Problem(path, 1, message))
    body = _parse_body(path, front)
    problems.extend(body.problems)
    usable = front.loaded
    if usable:
        problems.extend(unknown_keys(front, AGENDA_KEYS))
    fields = _Fields(front, problems) if usable else None
    title = ""
    if fields is not None:
        title = fields.title or body.heading
        if not title:
            message = _(
                "the agenda has no title; add title: ... to the front matter "
                "or a # heading above the phases"
            )
            problems.append(Problem(path, max(1, front.yaml_offset), message))
    if problems or fields is None:
        return None, sorted(problems, key=lambda problem: problem.line)
    spec = AgendaSpec(
        path=path,
        number=fields.number,
        title=title,
        date=fields.date,
        start=fields.start,
        place=fields.place,
        host=fields.host,
        intro="\n\n".join(body.intro),
        phases=tuple(
            PhaseSpec(p.kind, p.title, p.minutes, tuple(p.prompts), "\n\n".join(p.script), p.line)
            for p in body.phases
        ),
        host_line=front.value_line("host"),
    )
    return spec, []


class _Fields:
    """The front matter's values, each checked as it is read."""

    def __init__(self, front: FrontMatter, problems: list[Problem]) -> None:
        self.front = front
        self.problems = problems
        self.title = self.text("title") or ""
        self.place = self.text("place") or ""
        self.number = self._number()
        self.date = self._date()
        self.start = self._start()
        self.host = self.text("host") or ""
        if not self.host:
            message = _(
                "the agenda has no host organisation; add host: with the short code "
                "of the organisation that hosts the meeting, e.g. host: KRA"
            )
            self._add(self._missing_line("host"), message)

    def _add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.front.path, line, message))

    def _missing_line(self, key: str) -> int:
        node = self.front.value_node(key)
        return self.front.line(node) if node is not None else max(1, self.front.yaml_offset)

    def text(self, key: str) -> str | None:
        value = self.front.data.get(key)
        if isinstance(value, list | dict):
            message = _("the {key} must be a single text, not a list; write e.g. {key}: {example}")
            example = _EXAMPLES.get(key, "...")
            self._add(self.front.value_line(key), message.format(key=key, example=example))
            return None
        return as_text(value, self.front.value_node(key))

    def _number(self) -> int:
        value = self.front.data.get("meeting")
        if value is None:
            message = _(
                "the agenda has no meeting number; add a line meeting: 1 to the front matter"
            )
            self._add(self._missing_line("meeting"), message)
            return 0
        raw = self.text("meeting")
        if raw is None:
            return 0  # a list: text() has said so
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_MEETING:
            return value
        if raw.isdecimal() and len(raw) <= 3 and 1 <= int(raw) <= MAX_MEETING:
            return int(raw)
        message = _(
            "the meeting number {value!r} is not a whole number from 1 to {most}; "
            "write e.g. meeting: 1"
        ).format(value=raw, most=MAX_MEETING)
        self._add(self.front.value_line("meeting"), message)
        return 0

    def _date(self) -> date | None:
        value = self.front.data.get("date")
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raw = self.text("date")
        if raw is None:
            return None
        if _DATE.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        message = _("the date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-14")
        self._add(self.front.value_line("date"), message.format(value=raw))
        return None

    def _start(self) -> str | None:
        value = self.front.data.get("start")
        if value is None:
            return None
        # YAML 1.1 reads an unquoted 9:30 as the number 570; the node keeps the written "9:30".
        node = self.front.value_node("start")
        raw = self.text("start")
        if raw is None:
            return None
        if node is None and isinstance(value, int) and 0 <= value < 24 * 60:
            raw = f"{value // 60}:{value % 60:02d}"
        match = _TIME.fullmatch(raw)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return f"{int(match.group(1)):02d}:{match.group(2)}"
        message = _(
            "the start time {value!r} is not a time of day; write it as HH:MM in quotes, "
            'e.g. start: "09:30"'
        ).format(value=raw)
        self._add(self.front.value_line("start"), message)
        return None


@dataclass
class _Body:
    heading: str = ""
    intro: list[str] = field(default_factory=list)
    phases: list[_Phase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _parse_body(path: Path, front: FrontMatter) -> _Body:
    result = _Body()
    seen_heading = False
    for block in parse_blocks(front.body):
        line = front.body_offset + block.line + 1
        if block.kind == "heading" and block.level == 2:
            title, minutes, problems = split_timebox(path, line, block.text)
            result.problems.extend(problems)
            if not title:
                message = _("the phase heading has no title; write e.g. ## Samtal (30 min)")
                result.problems.append(Problem(path, line, message))
            result.phases.append(_Phase(title, phase_kind(title), minutes, line))
        elif (
            block.kind == "heading" and block.level == 1 and not seen_heading and not result.phases
        ):
            seen_heading = True
            result.heading = block.text
        elif result.phases:
            _add_to_phase(result.phases[-1], block)
        elif block.kind == "list":
            message = _("a list before the first phase heading; put it under a ## ... heading")
            result.problems.append(Problem(path, line, message))
        else:
            result.intro.append(_as_script(block))
    if not result.phases:
        message = _(
            "the agenda has no phase; add a level-2 heading for each phase, e.g. ## Samtal (60 min)"
        )
        result.problems.append(Problem(path, front.body_offset + 1, message))
    return result


def _add_to_phase(phase: _Phase, block: Block) -> None:
    if block.kind == "list":
        phase.prompts.extend(item.text for item in block.items)
    else:
        phase.script.append(_as_script(block))


def _as_script(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * block.level} {block.text}"
    return block.text


def match_phases(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> dict[int, int]:
    """Which recorded phase each phase of a changed agenda is: ``{new index: old index}``.

    Phases are ``(kind, title)`` pairs. A phase is the same phase when it has the same kind and
    title wherever it moved; else when it has the same kind at the same place; else when it is
    the only one left of its kind (a retitled Samtal). A phase of kind ``other`` that lost its
    title is new: guessing there would move notes under a heading they were not written under.
    """

    def title(text: str) -> str:
        return " ".join(text.casefold().split())

    matches: dict[int, int] = {}
    taken: set[int] = set()

    def pair(j: int, i: int) -> None:
        matches[j] = i
        taken.add(i)

    for j, (kind, name) in enumerate(new):
        for i, (old_kind, old_name) in enumerate(old):
            if i not in taken and old_kind == kind and title(old_name) == title(name):
                pair(j, i)
                break
    for j, (kind, _name) in enumerate(new):
        if j not in matches and j < len(old) and j not in taken and old[j][0] == kind:
            pair(j, j)
    for kind in sorted({kind for kind, _name in new if kind != str(PhaseKind.OTHER)}):
        left_new = [j for j, (k, _n) in enumerate(new) if k == kind and j not in matches]
        left_old = [i for i, (k, _n) in enumerate(old) if k == kind and i not in taken]
        if len(left_new) == 1 and len(left_old) == 1:
            pair(left_new[0], left_old[0])
    return matches
