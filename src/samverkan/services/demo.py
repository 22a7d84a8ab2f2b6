"""The demo database: both sample projects, with two meetings of grupp-1 already run.

:func:`build_demo` imports the bundled sample folders and then replays
``demo_recording.yaml`` through the services, exactly as a facilitator and two
observers would have entered it live: attendance, start, phases, the floor, a
pause, notes of every kind, an edit, a delete, an action ticked done at the
next meeting, and both observers' tags. A :class:`ManualClock` supplies the
times, so the demo looks the same every time it is built. The file appears
atomically: it is built beside its target under a temporary name and renamed
over it only when complete.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

try:  # the same safe loading as yaml.safe_load, ten times faster where libyaml is built in
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

import samverkan
from samverkan.domain.check import ProjectBundle, load_project_folder
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import AgendaSpec, NoteKind

from . import NoteDraft, Services, open_services

SAMPLES = Path(samverkan.__file__).parent / "sample_agendas"
DEMO_FOLDERS = (SAMPLES / "kommun-af-grupp-1", SAMPLES / "foretag")
RECORDING = Path(__file__).with_name("demo_recording.yaml")
LOCAL_TIME = ZoneInfo("Europe/Stockholm")

# When the projects are imported: a week before the first meeting, after lunch.
IMPORT_DAYS_BEFORE = 7
IMPORT_AT = time(14, 0)
# People arrive and are ticked present this long before the agenda's start.
ARRIVAL = timedelta(minutes=15)
SECONDS_BETWEEN_ARRIVALS = 20

_NOTE_KEYS = frozenset({"text", "kind", "org", "owner", "due", "id", "codes", "after"})
_DEFAULT_AFTER = {"text": 90}
_OTHER_AFTER = 15
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


class RecordingError(ValueError):
    """The recording file does not fit the sample projects; the message says where."""


# ---------------------------------------------------------------- the recording


@dataclass(frozen=True)
class NoteEntry:
    after: int
    text: str
    kind: NoteKind = NoteKind.NOTE
    org: str | None = None
    owner: str | None = None
    due: date | None = None
    name: str | None = None
    codes_a: tuple[str, ...] = ()
    codes_b: tuple[str, ...] = ()


@dataclass(frozen=True)
class FloorEntry:
    after: int
    org: str | None


@dataclass(frozen=True)
class PauseEntry:
    after: int
    seconds: int


@dataclass(frozen=True)
class EditEntry:
    after: int
    name: str
    text: str


@dataclass(frozen=True)
class DeleteEntry:
    after: int
    name: str


@dataclass(frozen=True)
class DoneEntry:
    after: int
    name: str


Entry = NoteEntry | FloorEntry | PauseEntry | EditEntry | DeleteEntry | DoneEntry


@dataclass(frozen=True)
class PhaseRecording:
    title: str
    minutes: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class MeetingRecording:
    number: int
    late: int
    # organisation short -> names of the people present; empty: the organisation is absent
    attendance: Mapping[str, tuple[str, ...]]
    phases: tuple[PhaseRecording, ...]


@dataclass(frozen=True)
class Recording:
    bundle: ProjectBundle
    meetings: tuple[MeetingRecording, ...] = field(default=())

    @property
    def observers(self) -> tuple[str, str]:
        first, second = self.bundle.project.observers[:2]
        return first, second


class _Reader:
    """Validates the raw YAML against one project bundle; every error names its place."""

    def __init__(self, path: Path, bundle: ProjectBundle) -> None:
        self.path = path
        self.bundle = bundle
        self.orgs = {org.short: org for org in bundle.project.organisations}
        self.slugs = {code.slug for code in bundle.codebook.codes}
        self.names: set[str] = set()
        self.where = ""

    def fail(self, message: str) -> RecordingError:
        where = f" ({self.where})" if self.where else ""
        return RecordingError(f"{self.path}{where}: {message}")

    def mapping(self, value: Any, what: str, keys: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping, not {value!r}")
        allowed = set(keys)
        unknown = sorted(str(key) for key in value if allowed and key not in allowed)
        if unknown:
            raise self.fail(f"{what} has unknown key(s) {unknown}; use {sorted(allowed)}")
        return value

    def whole(self, value: Any, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{what} must be a whole number ≥ 0, not {value!r}")
        return value

    def text(self, value: Any, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what} must be non-empty text, not {value!r}")
        return " ".join(value.split())

    def org(self, value: Any, what: str) -> str:
        if value not in self.orgs:
            raise self.fail(
                f"{what} {value!r} is not an organisation of {self.bundle.project.short}; "
                f"write one of {', '.join(self.orgs)}"
            )
        return str(value)

    def codes(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(f"codes must be a list of slugs, not {value!r}")
        for slug in value:
            if slug not in self.slugs:
                raise self.fail(f"{slug!r} is not a code slug of {self.bundle.codebook.path}")
        return [str(slug) for slug in value]

    def reference(self, value: Any, action: str) -> str:
        if value not in self.names:
            raise self.fail(f"{action}: no earlier note has id {value!r}")
        return str(value)

    # ------------------------------------------------------------ levels

    def recording(self, raw: Any) -> Recording:
        data = self.mapping(raw, "the file", ("project", "meetings"))
        if len(self.bundle.project.observers) < 2:
            raise self.fail(f"{self.bundle.project.path} must name two observers")
        meetings = data.get("meetings")
        if not isinstance(meetings, list) or not meetings:
            raise self.fail("meetings must be a non-empty list")
        return Recording(self.bundle, tuple(self.meeting(m) for m in meetings))

    def meeting(self, raw: Any) -> MeetingRecording:
        self.where = ""
        data = self.mapping(raw, "a meeting", ("number", "late", "attendance", "phases"))
        number = data.get("number")
        agenda = next((a for a in self.bundle.agendas if a.number == number), None)
        if agenda is None:
            raise self.fail(f"{self.bundle.project.short} has no meeting number {number!r}")
        self.where = f"meeting {number}"
        if agenda.date is None or agenda.start is None or not _TIME.fullmatch(agenda.start):
            raise self.fail(f"{agenda.path} needs a date and a start time to be recorded")
        late = self.whole(data.get("late", 0), "late")
        attendance = self.attendance(data.get("attendance"))
        phases = data.get("phases")
        if not isinstance(phases, list) or len(phases) != len(agenda.phases):
            raise self.fail(f"phases must list all {len(agenda.phases)} phases of {agenda.path}")
        return MeetingRecording(
            number=agenda.number,
            late=late,
            attendance=attendance,
            phases=tuple(self.phase(agenda, i, p) for i, p in enumerate(phases)),
        )

    def attendance(self, raw: Any) -> dict[str, tuple[str, ...]]:
        data = self.mapping(raw, "attendance", self.orgs)
        missing = [short for short in self.orgs if short not in data]
        if missing:
            raise self.fail(f"attendance lacks {missing}; write SHORT: [] for an absent one")
        result: dict[str, tuple[str, ...]] = {}
        for short, names in data.items():
            people = self.orgs[short].people
            if not isinstance(names, list):
                raise self.fail(f"attendance of {short} must be a list of names")
            for name in names:
                if name not in people:
                    raise self.fail(f"{name!r} is not one of {short}'s people {list(people)}")
            result[short] = tuple(names)
        return result

    def phase(self, agenda: AgendaSpec, index: int, raw: Any) -> PhaseRecording:
        spec = agenda.phases[index]
        self.where = f"meeting {agenda.number}, phase {index + 1}"
        data = self.mapping(raw, "a phase", ("title", "minutes", "entries"))
        if data.get("title") != spec.title:
            raise self.fail(f"title {data.get('title')!r} should be the agenda's {spec.title!r}")
        minutes = self.whole(data.get("minutes"), "minutes")
        entries = data.get("entries")
        if not isinstance(entries, list) or not entries:
            raise self.fail("entries must be a non-empty list")
        where = f"meeting {agenda.number}, phase {index + 1} ({spec.title})"
        parsed: list[Entry] = []
        for number, entry in enumerate(entries, start=1):
            self.where = f"{where}, entry {number}"
            parsed.append(self.entry(entry))
        self.where = where
        ticking = sum(entry.after for entry in parsed)
        if ticking > minutes * 60:
            raise self.fail(f"the entries take {ticking} s, more than its {minutes} minutes")
        return PhaseRecording(spec.title, minutes, tuple(parsed))

    def entry(self, raw: Any) -> Entry:
        data = self.mapping(raw, "an entry")
        keys = ("edit",) if "edit" in data else ("text", "floor", "pause", "delete", "done")
        actions = [key for key in keys if key in data]
        if len(actions) != 1:
            raise self.fail("an entry needs exactly one of text, floor, pause, edit, delete, done")
        action = actions[0]
        after = self.whole(data.get("after", _DEFAULT_AFTER.get(action, _OTHER_AFTER)), "after")
        match action:
            case "text":
                return self.note(self.mapping(data, "a note", _NOTE_KEYS), after)
            case "floor":
                self.mapping(data, "a floor change", ("floor", "after"))
                floor = data["floor"]
                return FloorEntry(after, None if floor is None else self.org(floor, "floor"))
            case "pause":
                self.mapping(data, "a pause", ("pause", "after"))
                return PauseEntry(after, self.whole(data["pause"], "pause"))
            case "edit":
                self.mapping(data, "an edit", ("edit", "text", "after"))
                name = self.reference(data["edit"], "edit")
                return EditEntry(after, name, self.text(data.get("text"), "text"))
            case "delete":
                self.mapping(data, "a delete", ("delete", "after"))
                return DeleteEntry(after, self.reference(data["delete"], "delete"))
            case _:
                self.mapping(data, "a done", ("done", "after"))
                return DoneEntry(after, self.reference(data["done"], "done"))

    def note(self, data: dict[str, Any], after: int) -> NoteEntry:
        try:
            kind = NoteKind(data.get("kind", "note"))
        except ValueError:
            kinds = ", ".join(k.value for k in NoteKind)
            raise self.fail(f"kind {data.get('kind')!r} is not one of {kinds}") from None
        org = None if data.get("org") is None else self.org(data["org"], "org")
        owner = due = None
        if kind == NoteKind.ACTION:
            owner = self.org(data.get("owner"), "owner")
            due = data.get("due")
            if not isinstance(due, date):
                raise self.fail(f"an action needs due: YYYY-MM-DD, not {due!r}")
        elif "owner" in data or "due" in data:
            raise self.fail("only actions (kind: action) have an owner and a due date")
        codes = data.get("codes", [])
        if isinstance(codes, dict):
            codes = self.mapping(codes, "codes", ("a", "b"))
            codes_a, codes_b = self.codes(codes.get("a", [])), self.codes(codes.get("b", []))
            if codes_a == codes_b:
                raise self.fail("a and b agree; write codes: [...] instead")
        else:
            codes_a = codes_b = self.codes(codes)
        name = data.get("id")
        if name is not None:
            if not isinstance(name, str) or name in self.names:
                raise self.fail(f"id {name!r} must be text and unique in the file")
            self.names.add(name)
        return NoteEntry(
            after=after,
            text=self.text(data.get("text"), "text"),
            kind=kind,
            org=org,
            owner=owner,
            due=due,
            name=name,
            codes_a=tuple(codes_a),
            codes_b=tuple(codes_b),
        )


def load_recording(bundles: Iterable[ProjectBundle], path: Path = RECORDING) -> Recording:
    """Read and check the recording against the project it names; RecordingError if unfit."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise RecordingError(f"{path}: cannot be read: {exc}") from exc
    short = raw.get("project") if isinstance(raw, dict) else None
    bundle = next((b for b in bundles if b.project.short == short), None)
    if bundle is None:
        raise RecordingError(f"{path}: project {short!r} is not one of the sample projects")
    return _Reader(path, bundle).recording(raw)


def sample_bundles() -> list[ProjectBundle]:
    bundles: list[ProjectBundle] = []
    for folder in DEMO_FOLDERS:
        bundle, checks = load_project_folder(folder)
        if bundle is None:
            problems = "; ".join(str(p) for c in checks for p in c.problems)
            raise RecordingError(f"the sample project {folder} has problems: {problems}")
        bundles.append(bundle)
    return bundles


# ---------------------------------------------------------------- building


def build_demo(path: Path) -> None:
    """Build the demo database at ``path``, replacing any file there only once it is complete."""
    bundles = sample_bundles()
    recording = load_recording(bundles)
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        _build(tmp, bundles, recording)
        _checkpoint(tmp)
        _remove_sidecars(tmp, ".lock")
        # A stale -wal beside the old file would be replayed into the new one.
        _remove_sidecars(path)
        os.replace(tmp, path)
    except BaseException:
        _remove_sidecars(tmp, ".lock")
        tmp.unlink(missing_ok=True)
        raise


def _build(tmp: Path, bundles: list[ProjectBundle], recording: Recording) -> None:
    first = min(a.date for b in bundles for a in b.agendas if a.date is not None)
    clock = ManualClock(_utc(first - timedelta(days=IMPORT_DAYS_BEFORE), IMPORT_AT))
    services = open_services(tmp, clock=clock, author=recording.bundle.project.facilitator)
    try:
        services.importer.import_paths(list(DEMO_FOLDERS))
        names: dict[str, str] = {}
        for meeting in recording.meetings:
            _Recorder(services, clock, recording, meeting, names).run()
    finally:
        services.close()


def _checkpoint(db: Path) -> None:
    """Fold any WAL left behind into the file itself, so removing it loses nothing."""
    if not _sidecar(db, "-wal").exists():
        return
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _sidecar(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def _remove_sidecars(db: Path, *more: str) -> None:
    # The writers' lock file (store.turns) only for the temporary file: another
    # process may still be taking turns on the one at ``path``.
    for suffix in ("-wal", "-shm", "-journal", *more):
        _sidecar(db, suffix).unlink(missing_ok=True)


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TIME).astimezone(UTC)


def _agenda_start(agenda: AgendaSpec) -> datetime:
    match = _TIME.fullmatch(agenda.start or "")
    assert agenda.date is not None and match is not None  # checked by the loader
    return _utc(agenda.date, time(int(match.group(1)), int(match.group(2))))


class _Recorder:
    """Runs one meeting of the recording through the services."""

    def __init__(
        self,
        services: Services,
        clock: ManualClock,
        recording: Recording,
        meeting: MeetingRecording,
        names: dict[str, str],
    ) -> None:
        self.services = services
        self.clock = clock
        self.recording = recording
        self.meeting = meeting
        self.names = names  # note names of the recording -> note ids, across meetings
        short = recording.bundle.project.short
        self.mid = services.projects.resolve_ref(f"{short}/{meeting.number}")
        view = services.projects.meeting(self.mid)
        self.phase_ids = [phase.id for phase in view.phases]
        self.orgs = {org.short: org.id for org in view.organisations}
        self.people = {(p.organisation_id, p.name): p.id for p in view.people}
        self.codes = {code.slug: code.id for code in view.codes}
        self.agenda = next(a for a in recording.bundle.agendas if a.number == meeting.number)

    def jump_to(self, when: datetime) -> None:
        if when < self.clock.now:
            raise RecordingError(
                f"meeting {self.meeting.number} would start at {when}, before the previous "
                f"meeting ended at {self.clock.now}"
            )
        self.clock.now = when

    def run(self) -> None:
        meetings = self.services.meetings
        start = _agenda_start(self.agenda)
        self.jump_to(start - ARRIVAL)
        for short, present in self.meeting.attendance.items():
            oid = self.orgs[short]
            meetings.set_attendance(self.mid, oid, None, bool(present))
            for name in present:
                self.clock.advance(SECONDS_BETWEEN_ARRIVALS)
                meetings.set_attendance(self.mid, oid, self.people[(oid, name)], True)
        self.jump_to(start + timedelta(minutes=self.meeting.late))
        state = meetings.start(self.mid)
        for index, phase in enumerate(self.meeting.phases):
            if index:
                meetings.give_floor(self.mid, None)
                state = meetings.go_to_phase(self.mid, +1)
            if state.phase_id != self.phase_ids[index]:
                raise RecordingError(
                    f"meeting {self.meeting.number}: expected to be in phase {index + 1} "
                    f"({phase.title})"
                )
            ticking = 0
            for entry in phase.entries:
                self.clock.advance(entry.after)
                ticking += entry.after
                self.play(entry, self.phase_ids[index])
            self.clock.advance(phase.minutes * 60 - ticking)
        meetings.close(self.mid)

    def play(self, entry: Entry, phase_id: str) -> None:
        services = self.services
        match entry:
            case NoteEntry():
                self.note(entry, phase_id)
            case FloorEntry(org=org):
                services.meetings.give_floor(self.mid, None if org is None else self.orgs[org])
            case PauseEntry(seconds=seconds):
                services.meetings.give_floor(self.mid, None)
                services.meetings.pause(self.mid)
                self.clock.advance(seconds)
                services.meetings.resume(self.mid)
            case EditEntry(name=name, text=text):
                services.notes.edit(self.names[name], text=text)
            case DeleteEntry(name=name):
                services.notes.delete(self.names[name])
            case DoneEntry(name=name):
                services.notes.set_done(self.names[name], True)

    def note(self, entry: NoteEntry, phase_id: str) -> None:
        observer_a, observer_b = self.recording.observers
        draft = NoteDraft(
            text=entry.text,
            kind=entry.kind,
            organisation_id=None if entry.org is None else self.orgs[entry.org],
            phase_id=phase_id,
            owner_organisation_id=None if entry.owner is None else self.orgs[entry.owner],
            due=entry.due,
        )
        author = observer_a if entry.kind == NoteKind.OBSERVATION else None
        note = self.services.notes.add(self.mid, draft, author=author)
        if entry.name is not None:
            self.names[entry.name] = note.id
        for observer, slugs in ((observer_a, entry.codes_a), (observer_b, entry.codes_b)):
            for slug in slugs:
                self.services.tags.set(note.id, self.codes[slug], observer, True)
