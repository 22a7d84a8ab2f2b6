"""Import project folders and files: check everything first, then one transaction.

Importing is idempotent: ids derive from natural keys (project short, meeting
number, code slug), so the same folder imported twice, or on two laptops,
gives the same rows. A meeting that has started keeps its agenda; only
planned meetings are updated from their files.

A re-import never moves, drops or re-attributes a recorded note or tag:
phases are matched by identity (:func:`match_phases`), a phase that holds
notes and has no match refuses the whole import, organisations are matched by
short code, then by ``renamed_from``, then by name, and meetings or
organisations gone from the files are reported, kept while anything refers to
them, and removed only on request (``prune``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from samverkan.domain.agenda import match_phases
from samverkan.domain.check import NO_LINE, ImportPlan, ProjectBundle, plan_import
from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    AgendaSpec,
    ImportLine,
    MeetingStatus,
    OrganisationSpec,
    Problem,
    new_id,
    stable_id,
)
from samverkan.i18n import _, ngettext
from samverkan.store import sync_tombstones as _tombstones  # noqa: F401  (deletes leave tombstones)
from samverkan.store import tables as t
from samverkan.store.engine import Database


class ImportRefused(UserError):
    """Files had problems, or a change could not be applied; nothing was imported."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(
            ngettext(
                "nothing was imported: {count} problem; fix it and import again",
                "nothing was imported: {count} problems; fix them and import again",
                count,
            ).format(count=count)
        )
        self.problems = list(problems)


def organisation_id(project_short: str, short: str) -> str:
    return stable_id("organisation", project_short, short.upper())


def meeting_id(project_short: str, number: int) -> str:
    return stable_id("meeting", project_short, str(number))


def code_id(project_short: str, slug: str) -> str:
    return stable_id("code", project_short, slug)


class ImportService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def import_paths(self, paths: Sequence[Path], *, prune: bool = False) -> list[ImportLine]:
        return self.import_plan(plan_import(paths), prune=prune)

    def import_plan(self, plan: ImportPlan, *, prune: bool = False) -> list[ImportLine]:
        """Write a plan that checked clean, all or nothing; ``prune`` removes what is gone."""
        if not plan.ok:
            raise ImportRefused(plan.problems)
        lines: list[ImportLine] = []
        if not plan.bundles:
            return lines
        conflicts: list[Problem] = []
        with self._db.write() as session:
            for bundle in plan.bundles:
                run = _BundleImport(session, bundle, self._clock(), prune, conflicts)
                lines.extend(run.run())
            if conflicts:
                raise ImportRefused(conflicts)  # leaving the block rolls everything back
        return lines


class _BundleImport:
    """One project's import inside the shared transaction."""

    def __init__(
        self,
        session: Session,
        bundle: ProjectBundle,
        now: datetime,
        prune: bool,
        conflicts: list[Problem],
    ) -> None:
        self.session = session
        self.bundle = bundle
        self.spec = bundle.project
        self.now = now
        self.prune = prune
        self.conflicts = conflicts
        self.project_id = stable_id("project", self.spec.short)
        self.org_ids: dict[str, str] = {}  # present short code, folded -> row id
        self.gone_orgs: list[t.Organisation] = []
        self.org_lines: list[ImportLine] = []

    def run(self) -> list[ImportLine]:
        lines = [self._upsert_project()]
        lines.extend(self.org_lines)
        lines.append(self._upsert_codes())
        for agenda in sorted(self.bundle.agendas, key=lambda a: a.number):
            lines.append(self._upsert_meeting(agenda))
        if self.bundle.complete:
            lines.extend(self._gone_meetings())
        lines.extend(self._gone_organisations())
        return lines

    def ref(self, number: int) -> str:
        return f"{self.spec.short}/{number}"

    # ------------------------------------------------------------------ project

    def _upsert_project(self) -> ImportLine:
        spec, codebook = self.spec, self.bundle.codebook
        row = self.session.get(t.Project, self.project_id)
        created = row is None
        if row is None:
            row = t.Project(
                id=self.project_id, short=spec.short, name=spec.name, created_at=self.now
            )
        before = row.model_dump(exclude={"updated_at", "created_at"})
        row.name = spec.name
        row.lang = spec.lang
        row.description = spec.description
        row.facilitator = spec.facilitator
        row.observers = list(spec.observers)
        row.steering_group = list(spec.steering_group)
        row.minutes_observation = spec.minutes_observation.value
        row.source_path = str(spec.path.resolve())
        row.codebook_path = str(codebook.path.resolve())
        changed = created or before != row.model_dump(exclude={"updated_at", "created_at"})
        if changed:
            row.updated_at = self.now
        self.session.add(row)
        self.session.flush()
        changed |= self._upsert_organisations()
        return ImportLine(
            "created" if created else ("updated" if changed else "unchanged"),
            _("project {short}").format(short=spec.short),
        )

    def _upsert_organisations(self) -> bool:
        session = self.session
        rows = list(
            session.exec(select(t.Organisation).where(t.Organisation.project_id == self.project_id))
        )
        matched = _match_organisations(self.spec.organisations, rows)
        # Renames first, through a placeholder: no two rows hold one code at any moment.
        renamed = [(org, row) for org, row in matched if row and row.short != org.short]
        formers = [(org, row.short) for org, row in renamed]
        for _org, moving in renamed:
            moving.short = f"~{moving.id}"
            session.add(moving)
        session.flush()
        changed = False
        for position, (org, found) in enumerate(matched):
            values = {"short": org.short, "name": org.name, "kind": str(org.kind)}
            row = found
            if row is None:
                row = t.Organisation(
                    id=self._free_organisation_id(org.short),
                    project_id=self.project_id,
                    position=position,
                    **values,
                )
                changed = True
            elif (row.short, row.name, row.kind, row.position) != (*values.values(), position):
                row.sqlmodel_update(values)
                row.position = position
                changed = True
            session.add(row)
            self.org_ids[org.short.casefold()] = row.id
            for name in org.people:
                pid = stable_id("person", row.id, name.casefold())
                if session.get(t.Person, pid) is None:
                    session.add(t.Person(id=pid, organisation_id=row.id, name=name))
                    changed = True
        session.flush()
        for org, former in formers:
            if former.casefold() == org.short.casefold():
                continue  # only the letters' case changed
            self.org_lines.append(
                ImportLine(
                    "renamed",
                    _("organisation {name}").format(name=org.name),
                    _("short code {old} is now {new}").format(old=former, new=org.short),
                )
            )
        used = {row.id for _org, row in matched if row is not None}
        self.gone_orgs = [row for row in rows if row.id not in used]
        return changed

    def _free_organisation_id(self, short: str) -> str:
        """The natural id, unless a renamed organisation already carries it."""
        oid = organisation_id(self.spec.short, short)
        return oid if self.session.get(t.Organisation, oid) is None else new_id()

    def _gone_organisations(self) -> list[ImportLine]:
        lines = []
        for row in self.gone_orgs:
            what = _("organisation {short} ({name})").format(short=row.short, name=row.name)
            if _organisation_in_use(self.session, row.id):
                detail = _("no longer in project.md; kept for the notes and meetings that name it")
                lines.append(ImportLine("kept", what, detail))
            elif self.prune:
                for person in self.session.exec(
                    select(t.Person).where(t.Person.organisation_id == row.id)
                ):
                    self.session.delete(person)
                self.session.flush()
                self.session.delete(row)
                self.session.flush()
                lines.append(ImportLine("removed", what, _("no longer in project.md")))
            else:
                detail = _("no longer in project.md; import with --prune to remove it")
                lines.append(ImportLine("gone", what, detail))
        return lines

    # ------------------------------------------------------------------ codebook

    def _upsert_codes(self) -> ImportLine:
        project, codebook, session = self.spec, self.bundle.codebook, self.session
        existing = {
            row.slug: row
            for row in session.exec(select(t.Code).where(t.Code.project_id == self.project_id))
        }
        created = updated = 0
        for position, spec in enumerate(codebook.codes):
            values = {
                "label": spec.label,
                "description": spec.description,
                "dimension": spec.dimension,
                "polarity": str(spec.polarity),
                "position": position,
                "retired": False,
            }
            row = existing.pop(spec.slug, None)
            if row is None:
                session.add(
                    t.Code(
                        id=code_id(project.short, spec.slug),
                        project_id=self.project_id,
                        slug=spec.slug,
                        **values,  # type: ignore[arg-type]
                    )
                )
                created += 1
            elif any(getattr(row, key) != value for key, value in values.items()):
                row.sqlmodel_update(values)
                session.add(row)
                updated += 1
        for row in existing.values():  # dropped from the file: keep for its tags
            if not row.retired:
                row.retired = True
                session.add(row)
                updated += 1
        action = (
            "created"
            if created and not updated
            else "updated"
            if created or updated
            else ("unchanged")
        )
        return ImportLine(
            action,
            _("codebook of {short}: {count} codes").format(
                short=project.short, count=len(codebook.codes)
            ),
        )

    # ------------------------------------------------------------------ meetings

    def _upsert_meeting(self, agenda: AgendaSpec) -> ImportLine:
        session = self.session
        mid = meeting_id(self.spec.short, agenda.number)
        host = self.spec.organisation(agenda.host)
        host_id = self.org_ids.get(host.short.casefold()) if host else None
        row = session.get(t.Meeting, mid)
        created = row is None
        if row is None:
            row = t.Meeting(
                id=mid,
                project_id=self.project_id,
                number=agenda.number,
                title=agenda.title,
                updated_at=self.now,
            )
        elif row.status != MeetingStatus.PLANNED:
            return ImportLine(
                "skipped",
                _("meeting {ref}").format(ref=self.ref(agenda.number)),
                _("already started; its agenda is kept as it was run"),
            )
        values = {
            "title": agenda.title,
            "date": agenda.date,
            "start": agenda.start,
            "place": agenda.place,
            "host_organisation_id": host_id,
            "intro": agenda.intro,
            "source_path": str(agenda.path.resolve()),
        }
        changed = created or any(getattr(row, k) != v for k, v in values.items())
        row.sqlmodel_update(values)
        if changed:
            row.updated_at = self.now
        session.add(row)
        session.flush()
        phases = self._update_phases(mid, agenda)
        detail = ""
        if not created and phases:
            detail = _(
                "phases: {added} added, {removed} removed, {changed} changed; "
                "every note stays in its phase"
            ).format(added=phases.added, removed=phases.removed, changed=phases.changed)
        return ImportLine(
            "created" if created else ("updated" if changed or phases else "unchanged"),
            _("meeting {ref}").format(ref=self.ref(agenda.number)),
            detail,
        )

    def _update_phases(self, mid: str, agenda: AgendaSpec) -> _PhaseChanges:
        session = self.session
        rows = list(
            session.exec(
                select(t.Phase).where(t.Phase.meeting_id == mid).order_by(col(t.Phase.position))
            )
        )
        matches = match_phases(
            [(row.kind, row.title) for row in rows],
            [(str(spec.kind), spec.title) for spec in agenda.phases],
        )
        kept = set(matches.values())
        changes = _PhaseChanges()
        for index, row in enumerate(rows):
            if index in kept:
                continue
            notes = _count(session, t.Note.phase_id == row.id)
            if notes:
                self.conflicts.append(self._phase_conflict(agenda, row, notes))
                continue
            session.delete(row)
            changes.removed += 1
        session.flush()  # a freed id may be taken by a new phase below
        for position, spec in enumerate(agenda.phases):
            values = {
                "position": position,
                "kind": str(spec.kind),
                "title": spec.title,
                "planned_minutes": spec.planned_minutes,
                "prompts": list(spec.prompts),
                "script": spec.script,
            }
            found = rows[matches[position]] if position in matches else None
            if found is None:
                found = t.Phase(
                    id=self._free_phase_id(mid, position, spec.title),
                    meeting_id=mid,
                    **values,  # type: ignore[arg-type]
                )
                changes.added += 1
            elif any(getattr(found, k) != v for k, v in values.items()):
                found.sqlmodel_update(values)
                changes.changed += 1
            session.add(found)
            session.flush()
        return changes

    def _free_phase_id(self, mid: str, position: int, title: str) -> str:
        # The first import gives the same ids on every laptop; a phase added later keeps
        # its place's id only if no phase that moved already carries it.
        for candidate in (
            stable_id("phase", mid, str(position)),
            stable_id("phase", mid, str(position), title.casefold()),
        ):
            if self.session.get(t.Phase, candidate) is None:
                return candidate
        return new_id()

    def _phase_conflict(self, agenda: AgendaSpec, row: t.Phase, notes: int) -> Problem:
        message = ngettext(
            "meeting {ref} has {count} note under the phase {title!r}, which this agenda no "
            "longer has; put a phase titled {title!r} back and import again, so that no "
            "note changes phase",
            "meeting {ref} has {count} notes under the phase {title!r}, which this agenda no "
            "longer has; put a phase titled {title!r} back and import again, so that no "
            "note changes phase",
            notes,
        ).format(ref=self.ref(agenda.number), count=notes, title=row.title)
        return Problem(agenda.path, NO_LINE, message)

    def _gone_meetings(self) -> list[ImportLine]:
        session = self.session
        numbers = {agenda.number for agenda in self.bundle.agendas}
        lines = []
        rows = session.exec(
            select(t.Meeting)
            .where(t.Meeting.project_id == self.project_id)
            .order_by(col(t.Meeting.number))
        )
        for row in list(rows):
            if row.number in numbers:
                continue
            what = _("meeting {ref}").format(ref=self.ref(row.number))
            notes = _count(session, t.Note.meeting_id == row.id)
            if notes:
                detail = ngettext(
                    "no longer in the files; kept for its {count} note",
                    "no longer in the files; kept for its {count} notes",
                    notes,
                ).format(count=notes)
                lines.append(ImportLine("kept", what, detail))
            elif row.status != MeetingStatus.PLANNED:
                detail = _("no longer in the files; kept because it has been held")
                lines.append(ImportLine("kept", what, detail))
            elif self.prune:
                _delete_meeting(session, row)
                lines.append(ImportLine("removed", what, _("no longer in the files")))
            else:
                detail = _("no longer in the files; import with --prune to remove it")
                lines.append(ImportLine("gone", what, detail))
        return lines


@dataclass
class _PhaseChanges:
    added: int = 0
    removed: int = 0
    changed: int = 0  # moved, retitled, or a new timebox, prompts or script

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _match_organisations(
    organisations: Sequence[OrganisationSpec], rows: list[t.Organisation]
) -> list[tuple[OrganisationSpec, t.Organisation | None]]:
    """Each organisation of the file with its row: by short code, by a code it had, by name."""
    found: list[t.Organisation | None] = [None] * len(organisations)
    taken: set[str] = set()

    def free(row: t.Organisation | None) -> t.Organisation | None:
        return row if row is not None and row.id not in taken else None

    steps: list[Callable[[OrganisationSpec], t.Organisation | None]] = [
        lambda org: next((r for r in rows if r.short.casefold() == org.short.casefold()), None),
        lambda org: next(
            (
                r
                for old in org.renamed_from
                for r in rows
                if r.short.casefold() == old.casefold() and r.id not in taken
            ),
            None,
        ),
        lambda org: next(
            (r for r in rows if r.name.casefold() == org.name.casefold() and r.id not in taken),
            None,
        ),
    ]
    for step in steps:
        for index, org in enumerate(organisations):
            if found[index] is None:
                row = free(step(org))
                if row is not None:
                    found[index] = row
                    taken.add(row.id)
    return list(zip(organisations, found, strict=True))


def _count(session: Session, condition: object) -> int:
    query = select(func.count()).select_from(t.Note).where(condition)  # type: ignore[arg-type]
    return int(session.exec(query).one())


def _organisation_in_use(session: Session, oid: str) -> bool:
    person_ids = [
        p.id for p in session.exec(select(t.Person).where(t.Person.organisation_id == oid))
    ]
    note = session.exec(
        select(t.Note.id).where(
            or_(
                col(t.Note.organisation_id) == oid,
                col(t.Note.owner_organisation_id) == oid,
                col(t.Note.person_id).in_(person_ids),
                col(t.Note.owner_person_id).in_(person_ids),
            )
        )
    ).first()
    if note is not None:
        return True
    checks = (
        select(t.Attendance.id).where(t.Attendance.organisation_id == oid),
        select(t.Meeting.id).where(t.Meeting.host_organisation_id == oid),
        select(t.MeetingEvent.id).where(t.MeetingEvent.organisation_id == oid),
    )
    return any(session.exec(query).first() is not None for query in checks)


def _delete_meeting(session: Session, row: t.Meeting) -> None:
    """A planned meeting without notes: its attendance, events and phases go with it."""
    for table in (t.Attendance, t.MeetingEvent):
        for item in session.exec(select(table).where(table.meeting_id == row.id)):
            session.delete(item)
    session.flush()
    for phase in session.exec(select(t.Phase).where(t.Phase.meeting_id == row.id)):
        session.delete(phase)
    session.flush()
    session.delete(row)
    session.flush()


__all__ = [
    "ImportRefused",
    "ImportService",
    "code_id",
    "meeting_id",
    "organisation_id",
]
