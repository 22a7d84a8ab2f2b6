"""The minutes (*minnesanteckningar*) of one meeting, as Markdown.

:func:`render_minutes` is pure: the same :class:`MinutesData` gives the same
bytes, whenever and wherever it runs. It reads no clock (the meeting's clocks
are replayed up to its close, or its last recorded event) and shows times in
``MinutesData.tz`` — Europe/Stockholm unless the caller says otherwise — not
in the machine's zone, which would make two laptops disagree. Labels come
from ``_()``, so the caller picks the language with
``samverkan.i18n.use_language``. Every text a person typed goes through
:mod:`samverkan.domain.markdown_safe` and stays literal.

One organisation's version (``org=``) keeps what concerns it and the shared
parts (see :class:`Audience`); everything else is the same as the group's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samverkan.domain import markdown_safe as md
from samverkan.domain.clock import ClockState, format_duration, replay
from samverkan.domain.labels import kind_label, owner_label, polarity_heading
from samverkan.domain.minutes_data import (
    DEFAULT_TZ,
    Audience,
    EarlierAction,
    MinutesData,
    find_organisation,
)
from samverkan.domain.model import (
    MeetingStatus,
    MeetingSummary,
    MeetingView,
    MinutesObservation,
    NoteKind,
    NoteView,
    PhaseKind,
    PhaseView,
)
from samverkan.domain.tally import tally
from samverkan.i18n import _, ngettext

__all__ = ["DEFAULT_TZ", "Audience", "EarlierAction", "MinutesData", "render_minutes"]

TOP_CODES = 3  # codes per polarity whose remarks are quoted
TOP_REMARKS = 3  # remarks quoted per code
DASH = "–"


def render_minutes(
    data: MinutesData,
    *,
    org: str | None = None,
    offsets: bool = False,
    observation: MinutesObservation | None = None,
) -> str:
    """The minutes as Markdown text ending in one newline; see the module docstring.

    Notes are marked with their local clock time; ``offsets`` marks them with the
    time since the meeting started instead (pauses excluded), as the screen shows.
    ``observation`` says what they show of the observation (default: the project's
    setting): everything, codes and counts at group level, or nothing.
    """
    meeting = data.meeting
    level = observation or meeting.project.minutes_observation
    audience = Audience(find_organisation(meeting, org) if org else None)
    notes = tuple(n for n in data.notes if audience.sees(n))
    if level is not MinutesObservation.ALL:
        # The observer's own remarks are part of the observation.
        shown = tuple(n for n in notes if n.kind is not NoteKind.OBSERVATION)
    else:
        shown = notes
    zone = _zone(data.tz)
    end = meeting.closed_at or max((e.at for e in data.events), default=None)
    clocks = replay(data.events, end) if end is not None else ClockState()
    items = _Items(meeting, zone, offsets=offsets)
    blocks = [*_header(meeting, audience, zone, data.observers)]
    blocks += _attendance(meeting)
    by_phase: dict[str | None, list[NoteView]] = {p.id: [] for p in meeting.phases}
    loose: list[NoteView] = []
    for note in shown:
        by_phase.get(note.phase_id, loose).append(note)
    observed = level is MinutesObservation.NONE  # nothing to show, so never placed
    for phase in meeting.phases:
        blocks += _phase(items, phase, by_phase[phase.id], clocks, zone)
        if phase.kind is PhaseKind.OBSERVATION and not observed:
            observed = True
            blocks += _observer_summary(items, meeting, notes, "###", level)
    if loose:
        blocks.append("## " + _("Other notes"))
        blocks.append("\n".join(items.note(n) for n in loose))
    if not observed and any(n.tags for n in notes):
        blocks += _observer_summary(items, meeting, notes, "##", level)
    blocks += _decisions(items, shown)
    blocks += _actions(meeting, notes, data.earlier_actions, audience)
    blocks += _done_since(meeting, data.done_since, audience)
    blocks += _next_meeting(data.next_meeting)
    return "\n\n".join(blocks) + "\n"


# ------------------------------------------------------------------ sections


def _header(
    meeting: MeetingView, audience: Audience, zone: tzinfo, observers: tuple[str, ...]
) -> list[str]:
    summary = meeting.summary
    title = _("Minutes of meeting {number}: {title}").format(
        number=summary.number, title=md.heading(summary.title)
    )
    blocks = ["# " + title]
    if summary.status is not MeetingStatus.CLOSED:
        draft, why = _("Draft"), _("the meeting is not closed; these notes may still change.")
        blocks.append(f"**{draft}** {DASH} {why}")
    when = _when(summary)
    if meeting.started_at is not None:
        local = meeting.started_at.astimezone(zone)
        # The day too when the meeting was run on another day than planned.
        at = (
            _clock_time(meeting.started_at, zone)
            if summary.date in (None, local.date())
            else local.strftime("%Y-%m-%d %H:%M")
        )
        started = _("started {time}").format(time=at)
        when = f"{when} ({started})" if when else started
    project = meeting.project
    fields = [
        (_("Lärprojekt"), md.inline(project.name)),
        (_("Date"), md.inline(when) or DASH),
        (_("Place"), md.inline(summary.place) or DASH),
        (_("Host"), md.inline(summary.host_name) or DASH),
        (_("Facilitator"), md.inline(project.facilitator) or DASH),
        (_("Observers"), md.inline(", ".join(observers)) or DASH),
    ]
    if audience.organisation is not None:
        fields.append((_("Version for"), md.inline(audience.organisation.name)))
    blocks.append("\n".join(f"- **{label}:** {value}" for label, value in fields))
    if audience.organisation is not None:
        blocks.append(
            _(
                "This version holds the remarks of {org} and of the whole group, every "
                "decision and the action items {org} is responsible for."
            ).format(org=md.inline(audience.organisation.name))
        )
    return blocks


def _attendance(meeting: MeetingView) -> list[str]:
    blocks = ["## " + _("Attendance")]
    present = [a for a in meeting.attendance if a.present]
    if not present:
        blocks.append(_("No attendance was recorded."))
        return blocks
    names = {p.id: p.name for p in meeting.people}
    items: list[str] = []
    absent: list[str] = []
    for org in meeting.organisations:
        here = [a for a in present if a.organisation_id == org.id]
        if not here:
            absent.append(org.name)
            continue
        people = sorted(
            (names[a.person_id] for a in here if a.person_id in names), key=str.casefold
        )
        items.append(md.list_item(f"{org.name}: {', '.join(people)}" if people else org.name))
    if items:
        blocks.append("\n".join(items))
    if absent:
        blocks.append(_("Not present: {orgs}").format(orgs=md.inline(", ".join(absent))))
    return blocks


def _phase(
    items: _Items,
    phase: PhaseView,
    notes: list[NoteView],
    clocks: ClockState,
    zone: tzinfo,
) -> list[str]:
    planned = (
        _("{minutes} min").format(minutes=phase.planned_minutes)
        if phase.planned_minutes is not None
        else DASH
    )
    if phase.started_at is None:
        actual = _("not held")
    else:
        elapsed = span(clocks.phase_elapsed(phase.id))
        start = _clock_time(phase.started_at, zone)
        if phase.ended_at is None:
            actual = _("{start}– ({elapsed}, still running)").format(start=start, elapsed=elapsed)
        else:
            actual = f"{start}{DASH}{_clock_time(phase.ended_at, zone)} ({elapsed})"
    # A paragraph, not a list: a list here would merge with the notes' list below.
    planned_label, actual_label = _("Planned"), _("Actual")
    times = f"**{planned_label}:** {planned} · **{actual_label}:** {actual}"
    empty = "*" + _("No notes.") + "*"
    body = "\n".join(items.note(n) for n in notes) if notes else empty
    return [f"## {phase.position + 1}. {md.heading(phase.title)}", times, *_covered(phase), body]


def _covered(phase: PhaseView) -> list[str]:
    """The questions the facilitator marked covered, in the agenda's order (a paragraph
    with line breaks, not a list: it would merge with the notes' list below)."""
    done = [phase.prompts[i] for i in sorted(set(phase.covered)) if 0 <= i < len(phase.prompts)]
    if not done:
        return []
    label = ngettext(
        "Question discussed ({done} of {n})",
        "Questions discussed ({done} of {n})",
        len(done),
    ).format(done=len(done), n=len(phase.prompts))
    return [" \\\n".join([f"**{label}:**", *(f"{DASH} {md.inline(p)}" for p in done)])]


def _observer_summary(
    items: _Items,
    meeting: MeetingView,
    notes: Iterable[NoteView],
    level: str,
    shows: MinutesObservation = MinutesObservation.ALL,
) -> list[str]:
    blocks = [f"{level} " + _("Observer's summary")]
    dimensions = tally(notes, meeting.codes)
    if not dimensions:
        blocks.append(_("No remarks were coded."))
        return blocks
    quotes = TOP_CODES if shows is MinutesObservation.ALL else 0
    if not quotes:
        blocks.append(
            _(
                "At group level: how many remarks were coded with each success factor and "
                "obstacle, without who made them."
            )
        )
    for dimension in dimensions:
        blocks.append(f"{level}# {md.heading(dimension.dimension)}")
        for part in dimension.polarities:
            blocks.append(f"**{polarity_heading(part.polarity)}** ({part.total})")
            lines: list[str] = []
            for rank, code in enumerate(part.codes):
                lines.append(md.list_item(f"{code.code.label}: {code.count}"))
                if rank < quotes:
                    lines += (items.note(note, level=1) for note in code.notes[:TOP_REMARKS])
            blocks.append("\n".join(lines))
    return blocks


def _decisions(items: _Items, notes: Iterable[NoteView]) -> list[str]:
    decisions = [n for n in notes if n.kind is NoteKind.DECISION]
    body = (
        "\n".join(items.note(n, with_kind=False) for n in decisions)
        if decisions
        else _("No decisions were recorded.")
    )
    return ["## " + _("Decisions"), body]


def _actions(
    meeting: MeetingView,
    notes: Iterable[NoteView],
    earlier: Iterable[EarlierAction],
    audience: Audience,
) -> list[str]:
    rows = [(e.meeting_number, e.note) for e in earlier if audience.sees(e.note)]
    number = meeting.summary.number
    rows += [(number, n) for n in notes if n.kind is NoteKind.ACTION]
    if not rows:
        return ["## " + _("Action items"), _("No action items are open or were recorded.")]
    first_due = {e.note.id: e.first_due for e in earlier if e.first_due}
    header = (_("What"), _("Owner"), _("Due"), _("Status"), _("Meeting"))
    lines = [_row(header), "| --- | --- | --- | --- | ---: |"]
    for meeting_number, note in rows:
        status = _("done") if note.done else _("open")
        due = note.due.isoformat() if note.due else DASH
        if note.id in first_due:
            due = _("{due} (carried on; first due {first})").format(
                due=due, first=first_due[note.id].isoformat()
            )
        lines.append(_row((note.text, _owner(meeting, note), due, status, str(meeting_number))))
    return ["## " + _("Action items"), "\n".join(lines)]


def _done_since(
    meeting: MeetingView, done: Iterable[EarlierAction], audience: Audience
) -> list[str]:
    """Earlier meetings' action items ticked done since the last meeting."""
    rows = [e for e in done if audience.sees(e.note)]
    if meeting.summary.number <= 1:
        return []
    blocks = ["## " + _("Done since the last meeting")]
    if not rows:
        blocks.append(_("No action item of an earlier meeting was ticked done since then."))
        return blocks
    header = (_("What"), _("Owner"), _("Due"), _("Meeting"))
    lines = [_row(header), "| --- | --- | --- | ---: |"]
    for earlier in rows:
        note = earlier.note
        due = note.due.isoformat() if note.due else DASH
        lines.append(_row((note.text, _owner(meeting, note), due, str(earlier.meeting_number))))
    blocks.append("\n".join(lines))
    return blocks


def _next_meeting(summary: MeetingSummary | None) -> list[str]:
    blocks = ["## " + _("Next meeting")]
    if summary is None:
        blocks.append(_("This was the last meeting on the project's agenda."))
        return blocks
    when = _when(summary)
    fields = [
        (_("Meeting"), f"{summary.number}: {md.inline(summary.title)}"),
        (_("Date"), md.inline(when) or DASH),
        (_("Place"), md.inline(summary.place) or DASH),
        (_("Host"), md.inline(summary.host_name) or DASH),
    ]
    blocks.append("\n".join(f"- **{label}:** {value}" for label, value in fields))
    return blocks


# ------------------------------------------------------------------ pieces


class _Items:
    """Notes as list items: ``- 12:34 · Falu kommun · beslut: text``, the text literal.

    Labels are looked up once per rendering rather than once per note: a
    meeting may hold ten thousand notes.
    """

    def __init__(self, meeting: MeetingView, zone: tzinfo, *, offsets: bool = False) -> None:
        self.organisations = {o.id: md.inline(o.name) for o in meeting.organisations}
        self.kinds = {kind: kind_label(kind) for kind in NoteKind}
        self.zone = zone
        self.offsets = offsets

    def when(self, note: NoteView) -> str:
        """Local clock time; with ``offsets``, ``+h:mm:ss`` since the start (a duration)."""
        if self.offsets:
            return "+" + format_duration(note.offset_seconds)
        return _clock_time(note.created_at, self.zone)

    def note(self, note: NoteView, *, level: int = 0, with_kind: bool = True) -> str:
        parts = [self.when(note)]
        org = self.organisations.get(note.organisation_id or "")
        if org is not None:
            parts.append(org)
        if with_kind and note.kind is not NoteKind.NOTE:
            parts.append(self.kinds[note.kind])
        outer = "  " * level
        prefix = f"{outer}- {' · '.join(parts)}: "
        return prefix + md.inline(note.text, indent=len(outer) + 2)


def _owner(meeting: MeetingView, note: NoteView) -> str:
    """The owner as named, written as everywhere else (not the speaker's organisation)."""
    person = next((p.name for p in meeting.people if p.id == note.owner_person_id), None)
    org = meeting.organisation(note.owner_organisation_id)
    return owner_label(person, org.name if org else None)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(md.table_cell(c) for c in cells) + " |"


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # No tz database (a bare Windows Python without tzdata): UTC is honest.
        return UTC


def span(seconds: float) -> str:
    """A duration that cannot be read as a clock time: ``17 min``, ``1 h 5 min``, ``40 s``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _clock_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def _when(summary: MeetingSummary) -> str:
    """The agenda's date and start time, as written there."""
    day = summary.date.isoformat() if summary.date else ""
    return ", ".join(part for part in (day, summary.start or "") if part)
