"""``samverkan sync``: exchange projects and meetings between two databases.

Each project's own rows (project, organisations, people, codes) go first, in
one transaction per side; then each meeting, in one transaction per side.
Every merge is a join (see :mod:`samverkan.services.sync_merge`), so a run
cut short anywhere leaves each database consistent, with some meetings merged
and others not yet, and the next run finishes the rest. Nothing is deleted.

A meeting started independently on both sides is not merged at all: the two
runs are reported as a conflict, so that no note lands in the wrong meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from samverkan.domain.errors import UserError
from samverkan.i18n import _, ngettext
from samverkan.services import sync_apply as io
from samverkan.services import sync_merge as rules
from samverkan.services import sync_tombstones as tombs
from samverkan.store import sync_state
from samverkan.store.engine import Database
from samverkan.store.sync_rows import Row, fetch, table


@dataclass
class Traffic:
    """Rows that travelled (or would travel) one way for one meeting."""

    notes_new: int = 0
    notes_changed: int = 0
    revisions: int = 0
    tags: int = 0
    events: int = 0
    attendance: int = 0
    phases: int = 0
    meeting: bool = False

    @classmethod
    def of_plan(cls, plan: io.Plan) -> Traffic:
        return cls(
            notes_new=len(plan.new_notes),
            notes_changed=len(plan.changed_notes),
            revisions=plan.revisions,
            tags=len(plan.tags),
            events=len(plan.events),
            attendance=len(plan.attendance),
            phases=len(plan.phases),
            meeting=plan.meeting,
        )

    @classmethod
    def of_applied(cls, done: io.Applied) -> Traffic:
        return cls(
            notes_new=done.notes_added,
            notes_changed=done.notes_changed,
            revisions=done.revisions,
            tags=done.tags,
            events=done.events,
            attendance=done.attendance,
            phases=done.phases,
            meeting=done.meeting,
        )

    @property
    def empty(self) -> bool:
        return not (
            self.notes_new
            or self.notes_changed
            or self.revisions
            or self.tags
            or self.events
            or self.attendance
            or self.phases
            or self.meeting
        )

    def describe(self) -> str:
        counted = (
            (self.notes_new, ngettext("{count} new note", "{count} new notes", self.notes_new)),
            (
                self.notes_changed,
                ngettext("{count} changed note", "{count} changed notes", self.notes_changed),
            ),
            (self.revisions, ngettext("{count} revision", "{count} revisions", self.revisions)),
            (self.tags, ngettext("{count} tag", "{count} tags", self.tags)),
            (self.events, ngettext("{count} clock event", "{count} clock events", self.events)),
            (
                self.attendance,
                ngettext("{count} attendance row", "{count} attendance rows", self.attendance),
            ),
            (self.phases, ngettext("{count} phase", "{count} phases", self.phases)),
        )
        parts = [text.format(count=count) for count, text in counted if count]
        if self.meeting and not parts:
            parts.append(_("the meeting's details"))
        return ", ".join(parts)


@dataclass
class MeetingTraffic:
    ref: str
    title: str
    received: Traffic = field(default_factory=Traffic)
    sent: Traffic = field(default_factory=Traffic)


@dataclass
class SyncReport:
    projects: list[str] = field(default_factory=list)
    meetings: list[MeetingTraffic] = field(default_factory=list)
    # One line per case a person should know about: concurrent edits, a
    # delete against an edit, a meeting started on both sides.
    conflicts: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)
    project_rows_received: int = 0
    project_rows_sent: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.project_rows_received
            or self.project_rows_sent
            or self.splits
            or any(not (m.received.empty and m.sent.empty) for m in self.meetings)
        )


def _kind_name(kind: str) -> str:
    names = {
        "meeting": _("the meeting"),
        "phase": _("the phase"),
        "attendance": _("the attendance row"),
        "organisation": _("the organisation"),
        "person": _("the participant"),
        "code": _("the code"),
    }
    return names.get(kind, kind)


def _short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class _Peers:
    here: str  # this database's sync id
    there: str
    remember: bool  # whether this run leaves a record of how far both are the same


class Sync:
    """One exchange between this database (``here``) and another (``there``).

    ``send``/``receive`` narrow it to one direction (bundles); ``progress`` is
    called before each meeting (the CLI's kill-tests use it to die mid-run).
    """

    def __init__(
        self,
        here: Database,
        there: Database,
        *,
        send: bool = True,
        receive: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.here = here
        self.there = there
        self.send = send
        self.receive = receive
        self._progress = progress or (lambda _ref: None)
        self._own: dict[int, int] = {}  # change numbers taken by this sync's own writes
        self._unsettled = False  # a meeting of the project left unmerged (started twice)
        self._titles: dict[str, str] = {}

    # ------------------------------------------------------------ scope

    def project_ids(self, shorts: Sequence[str]) -> list[tuple[str, str]]:
        """(id, short) of the named projects (all when none is named), on either side."""
        found: dict[str, str] = {}
        for database in (self.here, self.there):
            with database.read() as session:
                for row in fetch(session, "project"):
                    found[row["id"]] = row["short"]
        if not shorts:
            return sorted(found.items(), key=lambda item: item[1])
        by_short = {short: pid for pid, short in found.items()}
        missing = [s for s in shorts if s not in by_short]
        if missing:
            raise UserError(
                _(
                    "there is no project {short} on either side; run 'samverkan list' to see them"
                ).format(short=missing[0])
            )
        return [(by_short[s], s) for s in dict.fromkeys(shorts)]

    # ------------------------------------------------------------ running

    def run(
        self,
        shorts: Sequence[str] = (),
        *,
        dry_run: bool = False,
        meeting_ids: Iterable[str] | None = None,
        split: Sequence[str] = (),
    ) -> SyncReport:
        report = SyncReport()
        for ref in split:
            report.splits.append(self.split(ref))
        only = None if meeting_ids is None else set(meeting_ids)
        # Only a sync of whole projects, both ways, may say how far the sides are the same.
        peers = self._identities(
            remember=not dry_run and only is None and self.send and self.receive
        )
        began, settled = self._positions(), []
        run_own = {id(self.here): 0, id(self.there): 0}
        for project_id, short in self.project_ids(shorts):
            report.projects.append(short)
            start = self._positions()
            self._own = {id(self.here): 0, id(self.there): 0}
            self._unsettled = False
            self._project(project_id, report, dry_run)
            for meeting_id, (number, title) in self._meetings(project_id, peers):
                if only is not None and meeting_id not in only:
                    continue
                ref = f"{short}/{number}"
                self._progress(ref)
                if title is None:
                    report.meetings.append(MeetingTraffic(ref, self._titles[meeting_id]))
                    continue
                self._meeting(meeting_id, ref, title, report, dry_run)
            for key, count in self._own.items():
                run_own[key] += count
            if peers is not None and peers.remember and not self._unsettled:
                self._remember(project_id, peers, start)
                settled.append(project_id)
        if settled and peers is not None:
            # Each project was remembered at its own end; when no one else wrote during
            # the whole run, all are the same up to the run's end (a later project's
            # writes are then not compared again for the earlier ones).
            end = self._positions()
            if (end[0] - began[0], end[1] - began[1]) == (
                run_own[id(self.here)],
                run_own[id(self.there)],
            ):
                self._own = run_own
                for project_id in settled:
                    self._remember(project_id, peers, began)
        return report

    # ------------------------------------------------------------ what is already the same

    def _identities(self, *, remember: bool) -> _Peers | None:
        """Both databases' sync ids (made when ``remember``), or None for a run that
        neither uses nor leaves a record (a database without an id yet, in a dry run)."""
        ids = []
        for database in (self.here, self.there):
            with database.read() as session:
                found = sync_state.identity(session)
            if found is None and remember:
                # Written only once: every write on a server wakes the screens that follow it.
                with database.write() as session:
                    found = sync_state.ensure_identity(session)
            if found is None:
                return None
            ids.append(found)
        return _Peers(ids[0], ids[1], remember)

    def _positions(self) -> tuple[int, int]:
        with self.here.read() as session:
            here = sync_state.position(session)
        with self.there.read() as session:
            return here, sync_state.position(session)

    def _meetings(
        self, project_id: str, peers: _Peers | None
    ) -> list[tuple[str, tuple[int, str | None]]]:
        """The project's meetings on either side, by number; the title None for one
        known to be the same on both (its title then in ``self._titles``).

        With a record of the last complete sync, a meeting is the same when neither
        side changed a note, tag or clock event of it since (the change sequence's
        index) and its own rows, phases and attendance are equal; without one, when
        the summaries of all its rows are (:func:`sync_apply.meeting_marks`).
        """
        last = self._last(project_id, peers)
        changed: set[str] = set()
        sides = []
        for database, since in ((self.here, 0), (self.there, 1)):
            with database.read() as session:
                found = io.meeting_ids(session, project_id)
                if last is not None:
                    changed |= sync_state.changed_meetings(session, last[since])
                    marks = io.small_marks(session, project_id)
                else:
                    marks = io.meeting_marks(session, project_id)
            sides.append((found, marks))
        (meetings, seen), (theirs, marks) = sides
        same = {
            meeting_id
            for meeting_id, mark in marks.items()
            if seen.get(meeting_id) == mark and (last is None or meeting_id not in changed)
        }
        meetings.update(theirs)
        self._titles = {meeting_id: title for meeting_id, (_n, title) in meetings.items()}
        ordered = sorted(meetings.items(), key=lambda m: m[1][0])
        return [(mid, (number, None if mid in same else title)) for mid, (number, title) in ordered]

    def _last(self, project_id: str, peers: _Peers | None) -> tuple[int, int] | None:
        """Both sides' positions at their last complete sync of the project, when both
        remember the same: a file copied or restored from a backup remembers an
        older sync than its peer does, and is compared in full."""
        if peers is None:
            return None
        with self.here.read() as session:
            mine = sync_state.recorded(session, peers.there, project_id)
        if mine is None:
            return None
        with self.there.read() as session:
            theirs = sync_state.recorded(session, peers.here, project_id)
        return mine if theirs == (mine[1], mine[0]) else None

    def _remember(self, project_id: str, peers: _Peers, start: tuple[int, int]) -> None:
        """Record how far both sides are now the same: each side's position now, or at
        the project's start when someone else wrote there meanwhile (a facilitator
        typing during the sync: those notes are then compared next time)."""
        end = self._positions()
        here = end[0] if end[0] - start[0] == self._own[id(self.here)] else start[0]
        there = end[1] if end[1] - start[1] == self._own[id(self.there)] else start[1]
        for database, peer, mine, theirs in (
            (self.here, peers.there, here, there),
            (self.there, peers.here, there, here),
        ):
            with database.read() as session:
                if sync_state.recorded(session, peer, project_id) == (mine, theirs):
                    continue  # a sync with nothing new writes nothing
            with database.write() as session:
                sync_state.record(session, peer, project_id, mine, theirs)

    @contextmanager
    def _write(self, database: Database) -> Iterator[Session]:
        """A write transaction of this sync's own, its changes counted (see _remember)."""
        with database.write() as session:
            before = sync_state.position(session)
            yield session
            self._own[id(database)] += sync_state.position(session) - before

    def split(self, ref: str) -> str:
        """Move this database's run of meeting ``ref`` to the next number free on
        both sides (see :mod:`samverkan.services.sync_split`); the new ref."""
        from datetime import UTC, datetime

        from samverkan.services.projects import ProjectService
        from samverkan.services.sync_split import split_run

        meeting_id = ProjectService(self.here).resolve_ref(ref)
        short = ref.strip().rpartition("/")[0]
        with self.here.write() as session:
            project_id = fetch(session, "meeting", table("meeting").c.id == meeting_id)[0][
                "project_id"
            ]
            numbers = [number for number, _title in io.meeting_ids(session, project_id).values()]
            with self.there.read() as other:
                numbers += [n for n, _title in io.meeting_ids(other, project_id).values()]
            new_ref = f"{short}/{max(numbers) + 1}"
            split_run(session, meeting_id, ref, max(numbers) + 1, datetime.now(UTC))
        return _("{ref}: this database's run of the meeting is now meeting {new}").format(
            ref=ref.strip(), new=new_ref
        )

    def _project(self, project_id: str, report: SyncReport, dry_run: bool) -> None:
        with self.here.read() as session:
            mine = io.read_project(session, project_id)
        with self.there.read() as session:
            theirs = io.read_project(session, project_id)
        if not io.project_differs(mine, theirs):
            return
        buried, kept = self._tombstones(mine, theirs, report)
        if dry_run:
            report.project_rows_received += int(self.receive)
            report.project_rows_sent += int(self.send)
            return
        if self.receive:
            with self._write(self.here) as session:
                report.project_rows_received += io.apply_project(session, theirs, buried, kept)
        if self.send:
            with self.here.read() as session:
                mine = io.read_project(session, project_id)
            with self._write(self.there) as session:
                report.project_rows_sent += io.apply_project(session, mine, buried, kept)

    def _tombstones(
        self, mine: io.ProjectRows, theirs: io.ProjectRows, report: SyncReport
    ) -> tuple[set[str], list[Row]]:
        """Rows deleted on some side: those in use on neither go (``buried``); those in
        use on one are kept on both, their tombstones revived (``kept``, reported)."""
        tombstones = tombs.merged(mine.tombstones, theirs.tombstones)
        active = [t for t in tombstones.values() if t["active"]]
        if not active:
            return set(), []
        with self.here.read() as session:
            exist, used = tombs.standing(session, active)
        with self.there.read() as session:
            exist_there, used_there = tombs.standing(session, active)
        in_use = used | used_there
        kept = [tombs.revived(t) for t in active if t["id"] in in_use]
        for tombstone in kept:
            report.conflicts.append(
                _(
                    "{what} {id} was removed on one side but is in use on the other; it was kept"
                ).format(what=_kind_name(tombstone["kind"]), id=tombstone["id"][:8])
            )
        return (exist | exist_there) - in_use, kept

    def _meeting(
        self, meeting_id: str, ref: str, title: str, report: SyncReport, dry_run: bool
    ) -> None:
        with self.here.read() as session:
            mine = io.read_snapshot(session, meeting_id)
        with self.there.read() as session:
            theirs = io.read_snapshot(session, meeting_id)
        traffic = MeetingTraffic(ref, title)
        if rules.started_elsewhere(mine.events.values(), theirs.events.values()):
            self._unsettled = True
            report.conflicts.append(self._started_twice(ref, mine, theirs))
            report.meetings.append(traffic)
            return
        incoming = io.plan(theirs, mine) if self.receive else io.Plan()
        outgoing = io.plan(mine, theirs) if self.send else io.Plan()
        if dry_run:
            traffic.received = Traffic.of_plan(incoming)
            traffic.sent = Traffic.of_plan(outgoing)
            both = len(set(incoming.changed_notes) & set(outgoing.changed_notes))
            if both:
                report.conflicts.append(
                    ngettext(
                        "{ref}: {count} note was changed both here and there; "
                        "both versions will be kept, the newer shown",
                        "{ref}: {count} notes were changed both here and there; "
                        "both versions will be kept, the newer shown",
                        both,
                    ).format(ref=ref, count=both)
                )
            report.meetings.append(traffic)
            return
        reported: set[str] = set()
        if incoming.empty and outgoing.empty:
            report.meetings.append(traffic)
            return
        # Both sides merge, even one that receives nothing new: each then derives
        # the phase times and note numbers from the same rows.
        if self.receive:
            with self.there.read() as session:
                payload = io.read_payload(session, meeting_id, incoming, mine.meeting)
            with self._write(self.here) as session:
                done = io.apply_meeting(session, payload, settle=outgoing.changed_notes)
            traffic.received = Traffic.of_applied(done)
            self._clashes(ref, done, reported, report)
        if self.send:
            with self.here.read() as session:
                # Read after the merge above: what this side made of it travels too.
                payload = io.read_payload(session, meeting_id, outgoing, theirs.meeting)
            with self._write(self.there) as session:
                done = io.apply_meeting(session, payload, settle=incoming.changed_notes)
            traffic.sent = Traffic.of_applied(done)
            self._clashes(ref, done, reported, report)
        report.meetings.append(traffic)

    def _clashes(self, ref: str, done: io.Applied, reported: set[str], report: SyncReport) -> None:
        for found in done.clashes:
            if found.note_id in reported:
                continue
            reported.add(found.note_id)
            text = _short(done.texts.get(found.note_id, ""))
            if found.deleted_vs_edited:
                line = _(
                    "{ref}: the note “{text}” was deleted on one side and changed on the other; "
                    "the change was kept"
                )
            else:
                line = _(
                    "{ref}: the note “{text}” was changed both here and there; "
                    "both versions are kept as revisions, the newer is shown"
                )
            report.conflicts.append(line.format(ref=ref, text=text))

    def _started_twice(self, ref: str, mine: io.MeetingSnapshot, theirs: io.MeetingSnapshot) -> str:
        def first_start(snapshot: io.MeetingSnapshot) -> str:
            starts = [e["at"] for e in snapshot.events.values() if e["kind"] == "start"]
            return min(starts).astimezone().strftime("%Y-%m-%d %H:%M") if starts else "?"

        return _(
            "{ref}: the meeting was started both here ({here}) and there ({there}); nothing of it "
            "was synced, so that no note ends up in the wrong meeting. Keep one run: move this "
            "database's run to a new meeting number with 'samverkan sync --split {ref}'"
        ).format(ref=ref, here=first_start(mine), there=first_start(theirs))


def canonical_dump(database: Database, project_ids: Iterable[str] | None = None) -> str:
    from samverkan.store.sync_rows import canonical_dump as dump

    with database.read() as session:
        return dump(session, project_ids)


def meeting_row(database: Database, meeting_id: str) -> Row | None:
    with database.read() as session:
        rows = fetch(session, "meeting", table("meeting").c.id == meeting_id)
    return rows[0] if rows else None
