"""Checking the files and folders a user names, and planning their import from the same look.

``samverkan check`` and ``samverkan import`` both stand on :func:`plan_import`, so they give
the same verdict and the same problems for the same paths: every file gets a
:class:`FileCheck`, every mistake a :class:`Problem`, and nothing raises for bad input.

What a path asks for:

- a project folder (one with ``project.md``): every file in it, the codebook it names, and
  all its meetings;
- a folder of project folders (no ``project.md``, subfolders that have one): each project in
  turn, plus the loose files beside them (a shared codebook);
- ``project.md``: the project, its organisations and its codebook, no meetings;
- an agenda: that meeting, with the project and codebook it needs;
- a codebook: the projects beside or below it that use it, without their meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import samverkan
from samverkan.domain.agenda import parse_agenda
from samverkan.domain.blocks import parse_blocks
from samverkan.domain.codebook import parse_codebook, polarity_of
from samverkan.domain.frontmatter import read_text, split_front_matter
from samverkan.domain.model import AgendaSpec, CodebookSpec, Problem, ProjectSpec
from samverkan.domain.project import codebook_reference, parse_project
from samverkan.i18n import _

FileKind = Literal["project", "agenda", "codebook", "folder", "unknown"]
PROJECT_NAMES = ("project.md", "projekt.md")
Spec = ProjectSpec | AgendaSpec | CodebookSpec
# A problem about a folder, or a path as a whole, has no line to point at.
NO_LINE = 0


@dataclass(frozen=True)
class FileCheck:
    path: Path
    kind: FileKind
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ProjectBundle:
    """A project that checked clean: everything an import needs, already parsed."""

    project: ProjectSpec
    codebook: CodebookSpec
    agendas: tuple[AgendaSpec, ...]
    # Every agenda of the folder is here, so a meeting missing from it is gone from the files.
    complete: bool = False


@dataclass(frozen=True)
class ImportPlan:
    """What ``check`` prints and what ``import`` imports, from one look at the paths."""

    checks: tuple[FileCheck, ...]
    bundles: tuple[ProjectBundle, ...]

    @property
    def problems(self) -> list[Problem]:
        return [problem for check in self.checks for problem in check.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def default_codebook_path() -> Path:
    return Path(samverkan.__file__).parent / "sample_agendas" / "codebook.md"


def validate_agenda_against_project(agenda: AgendaSpec, project: ProjectSpec) -> list[Problem]:
    """Problems that only show when an agenda meets its project: a host that is not a member."""
    if project.organisation(agenda.host) is not None:
        return []
    choices = ", ".join(f"{org.short} ({org.name})" for org in project.organisations)
    message = _("the host {host!r} is not among the organisations; write one of {choices}")
    return [
        Problem(agenda.path, agenda.host_line, message.format(host=agenda.host, choices=choices))
    ]


def detect_kind(path: Path, text: str) -> FileKind:
    """What a file is meant to be, from its name, its front matter or its headings."""
    name = path.name.casefold()
    if name in PROJECT_NAMES:
        return "project"
    front = split_front_matter(path, text)
    if "meeting" in front.data:
        return "agenda"
    if "organisations" in front.data or "organisation" in front.data:
        return "project"
    if "codebook" in name or "kodbok" in name:
        return "codebook"
    headings = [b for b in parse_blocks(front.body) if b.kind == "heading"]
    if (
        headings
        and headings[0].level == 1
        and any(b.level == 2 and polarity_of(b.text) is not None for b in headings)
    ):
        return "codebook"
    # Front matter without a meeting key is most likely an agenda with a typo in it.
    if front.present or front.problems:
        return "agenda"
    return "unknown"


def plan_import(paths: Iterable[Path]) -> ImportPlan:
    """Check every path, and gather the projects an import of them would write."""
    planner = _Planner()
    for raw in paths:
        planner.plan(raw.expanduser())
    bundles = [planner.bundle(want) for want in planner.wanted.values()]
    planner.check_project_shorts()
    checks = planner.results()
    return ImportPlan(tuple(checks), tuple(b for b in bundles if b is not None))


def check_paths(paths: Iterable[Path]) -> list[FileCheck]:
    """Check files and folders exactly as an import of them would (see the module's doc)."""
    return list(plan_import(paths).checks)


def load_project_folder(path: Path) -> tuple[ProjectBundle | None, list[FileCheck]]:
    """A project folder parsed and cross-checked; the bundle is None if any file has a problem."""
    folder = path.parent if _is_file(path) else path
    plan = plan_import([folder])
    checks = list(plan.checks)
    bundle = plan.bundles[0] if plan.ok and len(plan.bundles) == 1 else None
    return bundle, checks


def project_file(folder: Path) -> Path | None:
    """The folder's project.md (or projekt.md), if it has one."""
    return next((folder / n for n in PROJECT_NAMES if _is_file(folder / n)), None)


@dataclass
class _Entry:
    path: Path
    kind: FileKind
    problems: list[Problem]
    spec: Spec | None = None
    meeting_line: int = 1


@dataclass
class _Want:
    """One project an import writes: all its meetings, or only the agendas named."""

    folder: Path
    project: Path
    agendas: list[Path] = field(default_factory=list)
    complete: bool = False


@dataclass
class _Planner:
    entries: list[_Entry] = field(default_factory=list)
    by_key: dict[Path, _Entry] = field(default_factory=dict)
    projects: dict[Path, ProjectSpec | None] = field(default_factory=dict)
    wanted: dict[Path, _Want] = field(default_factory=dict)

    def add(self, path: Path, kind: FileKind, problems: list[Problem]) -> _Entry:
        entry = _Entry(path, kind, problems)
        self.entries.append(entry)
        self.by_key.setdefault(_key(path), entry)
        return entry

    def results(self) -> list[FileCheck]:
        self._check_meeting_numbers()
        return [FileCheck(e.path, e.kind, tuple(e.problems)) for e in self.entries]

    # ------------------------------------------------------------ what a path asks for

    def plan(self, path: Path) -> None:
        if _is_dir(path):
            self._plan_folder(path)
        elif _exists(path):
            self._plan_file(path)
        elif _key(path) not in self.by_key:
            message = _("there is no such file or folder; check the path")
            self.add(path, _kind_from_name(path), [Problem(path, NO_LINE, message)])

    def _want(self, folder: Path, project: Path) -> _Want:
        key = _key(folder)
        if key not in self.wanted:
            self.wanted[key] = _Want(folder, project)
        return self.wanted[key]

    def _plan_folder(self, folder: Path) -> None:
        files = _markdown_files(folder)
        if files is None:
            message = _("the folder cannot be read; check that you may open it")
            self.add(folder, "folder", [Problem(folder, NO_LINE, message)])
            return
        project = project_file(folder)
        if project is not None:
            self._want(folder, project).complete = True
            for file in files:
                self.check_file(file)
            return
        projects = [sub for sub in _subfolders(folder) if project_file(sub) is not None]
        if projects:
            for sub in projects:
                self._plan_folder(sub)
            for file in files:  # a codebook the projects share, say
                self._plan_file(file)
            return
        if files:
            message = _(
                "the folder has no project.md; add one (samverkan new FOLDER writes a "
                "complete example) or give the path of a project folder"
            )
        else:
            message = _(
                "the folder has no project.md and no project folders; start one with "
                "samverkan new FOLDER, or give the path of a project folder"
            )
        self.add(folder, "folder", [Problem(folder, NO_LINE, message)])
        for file in files:
            self.check_file(file)  # their own mistakes; the folder's problem says the rest

    def _plan_file(self, path: Path) -> None:
        entry = self.check_file(path)
        folder = path.parent
        project = project_file(folder)
        if entry.kind == "project":
            self._want(folder, path)
        elif entry.kind == "agenda":
            if project is None:
                message = _(
                    "there is no project.md beside this agenda; an agenda is imported into "
                    "the project of its folder, so add project.md there"
                )
                problem = Problem(path, NO_LINE, message)
                if problem not in entry.problems:
                    entry.problems.append(problem)
                return
            want = self._want(folder, project)
            if path not in want.agendas:
                want.agendas.append(path)
            self._check_siblings(entry)
        elif entry.kind == "codebook":
            for candidate in [folder, *_subfolders(folder)]:
                found = project_file(candidate)
                if found is not None and self._uses_codebook(found, path):
                    self._want(candidate, found)

    # ------------------------------------------------------------ one project to import

    def bundle(self, want: _Want) -> ProjectBundle | None:
        project_entry = self.check_file(want.project, "project")
        if want.complete:
            agenda_entries = [
                e
                for e in self.entries
                if e.kind == "agenda" and _key(e.path.parent) == _key(want.folder)
            ]
        else:
            agenda_entries = [self.check_file(path) for path in want.agendas]
        project = project_entry.spec
        if not isinstance(project, ProjectSpec):
            return None
        codebook_entry = self.by_key.get(_key(project.codebook or default_codebook_path()))
        parts = [project_entry, *agenda_entries, codebook_entry]
        if codebook_entry is None or any(e is not None and e.problems for e in parts):
            return None
        codebook = codebook_entry.spec
        agendas = [e.spec for e in agenda_entries if isinstance(e.spec, AgendaSpec)]
        if not isinstance(codebook, CodebookSpec) or len(agendas) != len(agenda_entries):
            return None
        agendas.sort(key=lambda agenda: agenda.number)
        return ProjectBundle(project, codebook, tuple(agendas), want.complete)

    def check_project_shorts(self) -> None:
        """Two folders with one short code would be one project, the second overwriting."""
        first: dict[str, _Entry] = {}
        for want in self.wanted.values():
            entry = self.by_key.get(_key(want.project))
            if entry is None or not isinstance(entry.spec, ProjectSpec):
                continue
            other = first.setdefault(entry.spec.short, entry)
            if other is entry:
                continue
            text = read_text(entry.path)[0] or ""
            line = split_front_matter(entry.path, text).value_line("short")
            message = _(
                "the short code {short} is also the short code of {other}; give each "
                "project its own, e.g. short: {short}-2"
            ).format(short=entry.spec.short, other=other.path)
            entry.problems.append(Problem(entry.path, line, message))

    # ------------------------------------------------------------ files

    def check_file(self, path: Path, expected: FileKind | None = None) -> _Entry:
        known = self.by_key.get(_key(path))
        if known is not None:
            return known
        text, problems = read_text(path)
        if text is None:
            return self.add(path, expected or _kind_from_name(path), problems)
        kind = expected or detect_kind(path, text)
        entry = self.add(path, kind, [])
        if kind == "project":
            entry.spec, entry.problems = parse_project(path, text)
            self._check_codebook_of(entry, text)
        elif kind == "agenda":
            entry.spec, entry.problems = parse_agenda(path, text)
            entry.meeting_line = split_front_matter(path, text).value_line("meeting")
            project = self._project_in(path.parent)
            if isinstance(entry.spec, AgendaSpec) and project is not None:
                entry.problems.extend(validate_agenda_against_project(entry.spec, project))
        elif kind == "codebook":
            entry.spec, entry.problems = parse_codebook(path, text)
        else:
            message = _(
                "the file is not a project, an agenda or a codebook; name it project.md, "
                "give it front matter with meeting: 1, or give it # dimension and "
                "## Framgångsfaktorer headings"
            )
            entry.problems.append(Problem(path, 1, message))
        return entry

    def _check_codebook_of(self, entry: _Entry, text: str) -> None:
        reference = codebook_reference(entry.path, text)
        if reference is None:
            self.check_file(default_codebook_path(), "codebook")
            return
        codebook, line = reference
        if _key(codebook) == _key(entry.path):
            message = _(
                "codebook: names this project file itself; write the path of the codebook, "
                "e.g. codebook: codebook.md"
            )
            entry.problems.append(Problem(entry.path, line, message))
            return
        if not _is_file(codebook):
            message = _(
                "the codebook {path} does not exist; write its path relative to this file, "
                "e.g. codebook: codebook.md"
            ).format(path=codebook)
            entry.problems.append(Problem(entry.path, line, message))
            return
        kind = self._kind_of(codebook)
        if kind in ("project", "agenda"):
            what = _("a project file") if kind == "project" else _("an agenda")
            message = _(
                "codebook: names {path}, which is {what}, not a codebook; write the path of "
                "the codebook, e.g. codebook: codebook.md"
            ).format(path=codebook.name, what=what)
            entry.problems.append(Problem(entry.path, line, message))
            return
        self.check_file(codebook, "codebook")

    def _kind_of(self, path: Path) -> FileKind | None:
        known = self.by_key.get(_key(path))
        if known is not None:
            return known.kind
        text, _problems = read_text(path)
        return detect_kind(path, text) if text is not None else None

    def _uses_codebook(self, project: Path, codebook: Path) -> bool:
        text, _problems = read_text(project)
        if text is None:
            return False
        reference = codebook_reference(project, text)
        named = reference[0] if reference is not None else default_codebook_path()
        return _key(named) == _key(codebook)

    def _project_in(self, folder: Path) -> ProjectSpec | None:
        """The folder's project, parsed quietly: its problems belong to its own check."""
        key = _key(folder)
        if key not in self.projects:
            self.projects[key] = None
            found = project_file(folder)
            text = read_text(found)[0] if found is not None else None
            if found is not None and text is not None:
                self.projects[key] = parse_project(found, text)[0]
        return self.projects[key]

    def _check_siblings(self, entry: _Entry) -> None:
        """An agenda imported alone must not share its number with another in its folder."""
        if not isinstance(entry.spec, AgendaSpec):
            return
        for other in _markdown_files(entry.path.parent) or []:
            if _key(other) == _key(entry.path) or other.name.casefold() in PROJECT_NAMES:
                continue
            text = read_text(other)[0]
            if text is None or detect_kind(other, text) != "agenda":
                continue
            spec = parse_agenda(other, text)[0]
            if spec is not None and spec.number == entry.spec.number:
                message = _(
                    "meeting number {number} is also used by {other}; "
                    "give each agenda its own number"
                ).format(number=entry.spec.number, other=other.name)
                problem = Problem(entry.path, entry.meeting_line, message)
                if problem not in entry.problems:
                    entry.problems.append(problem)
                return

    def _check_meeting_numbers(self) -> None:
        first: dict[tuple[Path, int], _Entry] = {}
        for entry in self.entries:
            if not isinstance(entry.spec, AgendaSpec):
                continue
            key = (_key(entry.path.parent), entry.spec.number)
            other = first.setdefault(key, entry)
            if other is entry:
                continue
            message = _(
                "meeting number {number} is also used by {other}; give each agenda its own number"
            ).format(number=entry.spec.number, other=other.path.name)
            problem = Problem(entry.path, entry.meeting_line, message)
            if problem not in entry.problems and not _mentions(other, entry):
                entry.problems.append(problem)


def _mentions(entry: _Entry, other: _Entry) -> bool:
    """The pair is already reported on ``entry`` (an agenda named alone saw its sibling)."""
    return any(other.path.name in problem.message for problem in entry.problems)


def _kind_from_name(path: Path) -> FileKind:
    name = path.name.casefold()
    if name in PROJECT_NAMES:
        return "project"
    if "codebook" in name or "kodbok" in name:
        return "codebook"
    return "unknown"


def _markdown_files(folder: Path) -> list[Path] | None:
    try:
        files = [p for p in folder.iterdir() if p.suffix.casefold() == ".md" and _is_file(p)]
    except OSError:
        return None
    return sorted(p for p in files if p.name.casefold() != "readme.md")


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if _is_dir(p) and not p.name.startswith("."))
    except OSError:
        return []


def _key(path: Path) -> Path:
    """One key per file however it was named, so a shared codebook is checked once."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    # Path.is_file raises for a name that is too long; a user's typo must not.
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
