"""Import project folders and files: check everything first, then one transaction.

Importing is idempotent: ids derive from natural keys (project short, meeting
number, code slug), so the same folder imported twice, or on two laptops,
gives the same rows. A meeting that has started keeps its agenda; only
planned meetings are updated from their files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from samverkan.domain.check import FileCheck, ProjectBundle, load_project_folder
from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    AgendaSpec,
    CodebookSpec,
    ImportLine,
    MeetingStatus,
    ProjectSpec,
    stable_id,
)
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database


class ImportRefused(UserError):
    """Files had problems; nothing was imported. ``checks`` says what and where."""

    def __init__(self, checks: list[FileCheck]) -> None:
        count = sum(len(c.problems) for c in checks)
        super().__init__(
            _(
                "nothing was imported: {count} problem(s) in the files; fix them and import again"
            ).format(count=count)
        )
        self.checks = checks


def organisation_id(project_short: str, short: str) -> str:
    return stable_id("organisation", project_short, short.upper())


def meeting_id(project_short: str, number: int) -> str:
    return stable_id("meeting", project_short, str(number))


def code_id(project_short: str, slug: str) -> str:
    return stable_id("code", project_short, slug)


def _bundles_for(paths: Sequence[Path]) -> tuple[list[ProjectBundle], list[FileCheck]]:
    """Project bundles to import, narrowed to the files named, and every check made."""
    bundles: list[ProjectBundle] = []
    checks: list[FileCheck] = []
    for raw in paths:
        path = raw.expanduser()
        folder = path if path.is_dir() else path.parent
        bundle, folder_checks = load_project_folder(folder)
        if path.is_dir():
            wanted = folder_checks
        else:
            named = path.resolve()
            relevant = {named, (folder / "project.md").resolve()}
            if bundle is not None:
                relevant.add(bundle.codebook.path.resolve())
            wanted = [c for c in folder_checks if c.path.resolve() in relevant]
            if not path.exists():
                wanted = [c for c in folder_checks if c.path.resolve() == named] or folder_checks
        checks.extend(wanted)
        if bundle is None:
            continue
        if path.is_file() and path.name != "project.md":
            agendas = tuple(a for a in bundle.agendas if a.path.resolve() == path.resolve())
            bundle = ProjectBundle(bundle.project, bundle.codebook, agendas)
        elif path.is_file():
            bundle = ProjectBundle(bundle.project, bundle.codebook, ())
        bundles.append(bundle)
    return bundles, checks


class ImportService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def import_paths(self, paths: Sequence[Path]) -> list[ImportLine]:
        bundles, checks = _bundles_for(paths)
        if any(c.problems for c in checks):
            raise ImportRefused([c for c in checks if c.problems])
        if not bundles:
            raise UserError(
                _("no project.md found beside {paths}; import a project folder").format(
                    paths=", ".join(str(p) for p in paths)
                )
            )
        lines: list[ImportLine] = []
        with self._db.write() as session:
            for bundle in bundles:
                lines.extend(self._import_bundle(session, bundle))
        return lines

    def _import_bundle(self, session: Session, bundle: ProjectBundle) -> list[ImportLine]:
        lines = [self._upsert_project(session, bundle.project, bundle.codebook)]
        lines.append(self._upsert_codes(session, bundle.project, bundle.codebook))
        for agenda in sorted(bundle.agendas, key=lambda a: a.number):
            lines.append(self._upsert_meeting(session, bundle.project, agenda))
        return lines

    def _upsert_project(
        self, session: Session, spec: ProjectSpec, codebook: CodebookSpec
    ) -> ImportLine:
        now = self._clock()
        project_id = stable_id("project", spec.short)
        row = session.get(t.Project, project_id)
        created = row is None
        if row is None:
            row = t.Project(id=project_id, short=spec.short, name=spec.name, created_at=now)
        before = row.model_dump(exclude={"updated_at", "created_at"})
        row.name = spec.name
        row.lang = spec.lang
        row.description = spec.description
        row.facilitator = spec.facilitator
        row.observers = list(spec.observers)
        row.steering_group = list(spec.steering_group)
        row.source_path = str(spec.path.resolve())
        row.codebook_path = str(codebook.path.resolve())
        changed = created or before != row.model_dump(exclude={"updated_at", "created_at"})
        if changed:
            row.updated_at = now
        session.add(row)
        session.flush()
        changed |= self._upsert_organisations(session, project_id, spec)
        return ImportLine(
            "created" if created else ("updated" if changed else "unchanged"),
            _("project {short}").format(short=spec.short),
        )

    def _upsert_organisations(self, session: Session, project_id: str, spec: ProjectSpec) -> bool:
        changed = False
        for position, org in enumerate(spec.organisations):
            oid = organisation_id(spec.short, org.short)
            row = session.get(t.Organisation, oid)
            values = {"short": org.short, "name": org.name, "kind": str(org.kind)}
            if row is None:
                row = t.Organisation(id=oid, project_id=project_id, position=position, **values)
                changed = True
            elif (row.short, row.name, row.kind, row.position) != (*values.values(), position):
                row.sqlmodel_update(values)
                row.position = position
                changed = True
            session.add(row)
            for name in org.people:
                pid = stable_id("person", oid, name.casefold())
                if session.get(t.Person, pid) is None:
                    session.add(t.Person(id=pid, organisation_id=oid, name=name))
                    changed = True
        session.flush()
        return changed

    def _upsert_codes(
        self, session: Session, project: ProjectSpec, codebook: CodebookSpec
    ) -> ImportLine:
        project_id = stable_id("project", project.short)
        existing = {
            row.slug: row
            for row in session.exec(select(t.Code).where(t.Code.project_id == project_id))
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
                        project_id=project_id,
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

    def _upsert_meeting(
        self, session: Session, project: ProjectSpec, agenda: AgendaSpec
    ) -> ImportLine:
        now = self._clock()
        ref = f"{project.short}/{agenda.number}"
        mid = meeting_id(project.short, agenda.number)
        host = project.organisation(agenda.host)
        host_id = organisation_id(project.short, host.short) if host else None
        row = session.get(t.Meeting, mid)
        created = row is None
        if row is None:
            row = t.Meeting(
                id=mid,
                project_id=stable_id("project", project.short),
                number=agenda.number,
                title=agenda.title,
                updated_at=now,
            )
        elif row.status != MeetingStatus.PLANNED:
            return ImportLine(
                "skipped",
                _("meeting {ref}").format(ref=ref),
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
            row.updated_at = now
        session.add(row)
        session.flush()
        changed |= self._replace_phases(session, mid, agenda)
        return ImportLine(
            "created" if created else ("updated" if changed else "unchanged"),
            _("meeting {ref}").format(ref=ref),
        )

    def _replace_phases(self, session: Session, mid: str, agenda: AgendaSpec) -> bool:
        existing = {
            row.position: row
            for row in session.exec(select(t.Phase).where(t.Phase.meeting_id == mid))
        }
        changed = False
        for position, spec in enumerate(agenda.phases):
            values = {
                "kind": str(spec.kind),
                "title": spec.title,
                "planned_minutes": spec.planned_minutes,
                "prompts": list(spec.prompts),
                "script": spec.script,
            }
            row = existing.pop(position, None)
            if row is None:
                row = t.Phase(
                    id=stable_id("phase", mid, str(position)),
                    meeting_id=mid,
                    position=position,
                    **values,  # type: ignore[arg-type]
                )
                changed = True
            elif any(getattr(row, k) != v for k, v in values.items()):
                row.sqlmodel_update(values)
                changed = True
            session.add(row)
        for row in existing.values():
            # A planned meeting may still hold notes taken before it started
            # (e.g. while preparing); those keep their phase.
            used = session.exec(select(t.Note.id).where(t.Note.phase_id == row.id)).first()
            if used is None:
                session.delete(row)
                changed = True
        session.flush()
        return changed
