"""Checking files and folders the user wrote, and loading a whole lärprojekt folder.

This is what ``samverkan check`` and ``samverkan import`` stand on: every file gets a
:class:`FileCheck`, every mistake a :class:`Problem`, and nothing raises for bad input.
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

FileKind = Literal["project", "agenda", "codebook", "unknown"]
PROJECT_NAMES = ("project.md", "projekt.md")
Spec = ProjectSpec | AgendaSpec | CodebookSpec


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
    """A project folder that checked clean: everything an import needs, already parsed."""

    project: ProjectSpec
    codebook: CodebookSpec
    agendas: tuple[AgendaSpec, ...]


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


def check_paths(paths: Iterable[Path]) -> list[FileCheck]:
    """Check files and folders (a folder: its own .md files, README.md left out)."""
    session = _Session()
    session.check(paths)
    return session.results()


def load_project_folder(path: Path) -> tuple[ProjectBundle | None, list[FileCheck]]:
    """A project folder parsed and cross-checked; the bundle is None if any file has a problem."""
    folder = path.parent if _is_file(path) else path
    session = _Session()
    session.check([folder])
    project_entry = next(
        (e for e in session.entries if e.kind == "project" and e.path.parent == folder), None
    )
    if project_entry is None and _is_dir(folder):
        message = _(
            "the folder has no project.md; add one with name, short and organisations "
            "in its front matter"
        )
        session.add(folder / "project.md", "project", [Problem(folder / "project.md", 1, message)])
    codebook: CodebookSpec | None = None
    project = project_entry.spec if project_entry else None
    if isinstance(project, ProjectSpec):
        codebook_path = project.codebook or default_codebook_path()
        found = session.by_key.get(_key(codebook_path))
        if found is None:
            found = session.check_file(codebook_path, "codebook")
        codebook = found.spec if isinstance(found.spec, CodebookSpec) else None
    checks = session.results()
    if any(c.problems for c in checks) or not isinstance(project, ProjectSpec) or codebook is None:
        return None, checks
    agendas = [
        e.spec
        for e in session.entries
        if isinstance(e.spec, AgendaSpec) and e.path.parent == folder
    ]
    agendas.sort(key=lambda agenda: agenda.number)
    return ProjectBundle(project, codebook, tuple(agendas)), checks


@dataclass
class _Entry:
    path: Path
    kind: FileKind
    problems: list[Problem]
    spec: Spec | None = None
    meeting_line: int = 1


@dataclass
class _Session:
    entries: list[_Entry] = field(default_factory=list)
    by_key: dict[Path, _Entry] = field(default_factory=dict)
    projects: dict[Path, ProjectSpec | None] = field(default_factory=dict)

    def add(self, path: Path, kind: FileKind, problems: list[Problem]) -> _Entry:
        entry = _Entry(path, kind, problems)
        self.entries.append(entry)
        self.by_key.setdefault(_key(path), entry)
        return entry

    def results(self) -> list[FileCheck]:
        self._check_meeting_numbers()
        return [FileCheck(e.path, e.kind, tuple(e.problems)) for e in self.entries]

    def check(self, paths: Iterable[Path]) -> None:
        for path in paths:
            if _is_dir(path):
                files = _markdown_files(path)
                if files is None:
                    message = _("the folder cannot be read; check that you may open it")
                    self.add(path, "unknown", [Problem(path, 1, message)])
                elif not files:
                    message = _(
                        "the folder has no .md files; put project.md, the agendas and "
                        "the codebook in it"
                    )
                    self.add(path, "unknown", [Problem(path, 1, message)])
                for file in files or []:
                    self.check_file(file)
            else:
                self.check_file(path)

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
            return
        codebook, line = reference
        if not _is_file(codebook):
            message = _(
                "the codebook {path} does not exist; write its path relative to this file, "
                "e.g. codebook: codebook.md"
            ).format(path=codebook)
            entry.problems.append(Problem(entry.path, line, message))
            return
        self.check_file(codebook, "codebook")

    def _project_in(self, folder: Path) -> ProjectSpec | None:
        """The folder's project, parsed quietly: its problems belong to its own check."""
        key = _key(folder)
        if key not in self.projects:
            self.projects[key] = None
            for name in PROJECT_NAMES:
                text, _problems = (
                    read_text(folder / name) if _is_file(folder / name) else (None, [])
                )
                if text is not None:
                    self.projects[key] = parse_project(folder / name, text)[0]
                    break
        return self.projects[key]

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
            if problem not in entry.problems:
                entry.problems.append(problem)


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


def _key(path: Path) -> Path:
    """One key per file however it was named, so a shared codebook is checked once."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


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
