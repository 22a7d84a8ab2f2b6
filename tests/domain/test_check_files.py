from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samverkan.domain import check
from samverkan.domain.check import (
    FileCheck,
    check_paths,
    detect_kind,
    load_project_folder,
    validate_agenda_against_project,
)
from samverkan.domain.model import AgendaSpec

from .helpers import BAD, GOOD, at

CODEBOOK = "# D\n\n## Hinder\n\n- [misstro] Misstro\n"
PROJECT = (
    "---\nname: G\nshort: g\n{extra}"
    "organisations:\n  - name: Kramfors kommun\n    short: KRA\n---\n"
)
AGENDA = "---\nmeeting: {n}\ntitle: Möte\nhost: {host}\n---\n## Samtal (30 min)\n"


def by_name(checks: list[FileCheck]) -> dict[str, FileCheck]:
    return {c.path.name: c for c in checks}


def test_good_folder_checks_clean_and_skips_readme() -> None:
    checks = check_paths([GOOD])
    assert [(c.path.name, c.kind, c.problems) for c in checks] == [
        ("01-start.md", "agenda", ()),
        ("02-fortsattning.md", "agenda", ()),
        ("codebook.md", "codebook", ()),
        ("project.md", "project", ()),
    ]


def test_a_file_named_twice_is_checked_once() -> None:
    checks = check_paths([GOOD / "project.md", GOOD, GOOD / "codebook.md"])
    assert sorted(c.path.name for c in checks) == [
        "01-start.md",
        "02-fortsattning.md",
        "codebook.md",
        "project.md",
    ]


def test_shared_codebook_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "kodbok.md").write_text(CODEBOOK)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        extra = "codebook: ../kodbok.md\n"
        text = PROJECT.format(extra=extra).replace("short: g", f"short: g-{name}")
        (tmp_path / name / "project.md").write_text(text)
    checks = check_paths([tmp_path / "a", tmp_path / "b"])
    assert [(c.path.parent.name, c.path.name, c.kind) for c in checks] == [
        ("a", "project.md", "project"),
        (tmp_path.name, "kodbok.md", "codebook"),
        ("b", "project.md", "project"),
    ]
    assert all(c.ok for c in checks)


def test_problems_in_the_referenced_codebook_are_its_own_check(tmp_path: Path) -> None:
    (tmp_path / "kodbok.md").write_text("# D\n\n## Möjligheter\n\n- X\n")
    (tmp_path / "project.md").write_text(PROJECT.format(extra="codebook: kodbok.md\n"))
    checks = by_name(check_paths([tmp_path / "project.md"]))
    assert checks["project.md"].ok
    assert at(list(checks["kodbok.md"].problems)) == [3]


def test_missing_codebook_is_a_problem_at_the_codebook_line() -> None:
    [project] = check_paths([BAD / "missing-codebook"])
    [problem] = project.problems
    assert problem.line == 4
    assert "does not exist" in problem.message and "codebook: codebook.md" in problem.message
    assert "saknas/kodbok.md" in problem.message


def test_host_not_among_the_organisations_says_which_to_write() -> None:
    checks = by_name(check_paths([BAD / "host-not-member"]))
    [problem] = checks["01-mote.md"].problems
    assert problem.line == 4
    assert problem.message == (
        "the host 'Sollefteå' is not among the organisations; "
        "write one of KRA (Kramfors kommun), AF (Arbetsförmedlingen)"
    )
    assert checks["project.md"].ok


def test_an_agenda_checked_alone_is_still_validated_against_its_project() -> None:
    checks = by_name(check_paths([BAD / "host-not-member" / "01-mote.md"]))
    assert at(list(checks["01-mote.md"].problems)) == [4]
    # What importing it needs is checked too: its project and the codebook.
    assert checks["project.md"].ok and checks["codebook.md"].ok  # the default codebook


def test_duplicate_meeting_numbers_in_one_folder() -> None:
    checks = by_name(check_paths([BAD / "duplicate-meeting"]))
    assert checks["01-forsta.md"].ok
    [problem] = checks["02-andra.md"].problems
    assert problem.line == 3
    assert "meeting number 1 is also used by 01-forsta.md" in problem.message


def test_validate_agenda_accepts_host_by_name_ignoring_case() -> None:
    bundle, _ = load_project_folder(GOOD)
    assert bundle is not None
    agenda = bundle.agendas[1]
    assert agenda.host == "arbetsförmedlingen"
    assert validate_agenda_against_project(agenda, bundle.project) == []
    stranger = AgendaSpec(agenda.path, 9, "T", None, None, "", "XYZ", "", (), host_line=5)
    [problem] = validate_agenda_against_project(stranger, bundle.project)
    assert (
        problem.line == 5
        and "'XYZ'" in problem.message
        and "fab1 (Företaget AB)" in problem.message
    )


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    [result] = check_paths([tmp_path / "saknas"])
    [problem] = result.problems
    assert problem.line == 0 and "no such file or folder" in problem.message
    assert str(problem) == f"{tmp_path / 'saknas'}: there is no such file or folder; check the path"


def test_folder_without_markdown_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hej")
    [result] = check_paths([tmp_path])
    [problem] = result.problems
    assert result.kind == "folder" and problem.line == 0
    assert "no project.md and no project folders" in problem.message


def test_file_that_is_nothing_we_know(tmp_path: Path) -> None:
    path = tmp_path / "anteckningar.md"
    path.write_text("Bara lite text.\n")
    [result] = check_paths([path])
    assert result.kind == "unknown"
    assert "not a project, an agenda or a codebook" in result.problems[0].message


@pytest.mark.parametrize("name", ["binary.md", "empty.md", "latin1.md"])
def test_unreadable_files_are_problems_not_exceptions(name: str) -> None:
    [result] = check_paths([BAD / name])
    assert len(result.problems) == 1


def test_huge_file_in_check(tmp_path: Path) -> None:
    path = tmp_path / "01-huge.md"
    path.write_bytes(b"a" * (3 * 1024 * 1024))
    [result] = check_paths([path])
    assert "2 MB" in result.problems[0].message


def test_every_bad_file_has_a_problem() -> None:
    files = sorted(BAD.glob("*.md"))
    assert len(files) >= 20
    for result in check_paths(files):
        assert result.problems or result.path not in files, result.path


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("project.md", "", "project"),
        ("Projekt.md", "x", "project"),
        ("01.md", "---\nmeeting: 1\n---\n", "agenda"),
        ("01.md", "---\nmeting: 1\n---\n", "agenda"),
        ("01.md", "---\nmeeting: [\n---\n", "agenda"),
        ("grupp.md", "---\norganisations: []\n---\n", "project"),
        ("kodbok-2.md", "x", "codebook"),
        ("my-codebook.md", "x", "codebook"),
        ("koder.md", "# Dimension\n\n## Hinder\n\n- x\n", "codebook"),
        ("koder.md", "## Hinder\n\n# Dimension\n", "unknown"),
        ("text.md", "Hej\n", "unknown"),
    ],
)
def test_detect_kind(name: str, text: str, kind: str) -> None:
    assert detect_kind(Path(name), text) == kind


def test_load_project_folder_gives_everything_parsed() -> None:
    bundle, checks = load_project_folder(GOOD)
    assert all(c.ok for c in checks)
    assert bundle is not None
    assert bundle.project.short == "test-1"
    assert len(bundle.codebook.codes) == 8
    assert [a.number for a in bundle.agendas] == [1, 2]


def test_load_project_folder_accepts_the_project_file_itself() -> None:
    bundle, _ = load_project_folder(GOOD / "project.md")
    assert bundle is not None and bundle.project.name == "Testprojekt kommun och AF"


def test_load_project_folder_sorts_agendas_by_number(tmp_path: Path) -> None:
    (tmp_path / "project.md").write_text(PROJECT.format(extra="codebook: k.md\n"))
    (tmp_path / "k.md").write_text(CODEBOOK)
    (tmp_path / "a.md").write_text(AGENDA.format(n=2, host="KRA"))
    (tmp_path / "b.md").write_text(AGENDA.format(n=1, host="kramfors kommun"))
    bundle, _ = load_project_folder(tmp_path)
    assert bundle is not None
    assert [a.path.name for a in bundle.agendas] == ["b.md", "a.md"]


def test_load_project_folder_refuses_a_folder_with_any_problem(tmp_path: Path) -> None:
    shutil.copytree(BAD / "host-not-member", tmp_path / "p")
    (tmp_path / "p" / "k.md").write_text(CODEBOOK)
    bundle, checks = load_project_folder(tmp_path / "p")
    assert bundle is None
    assert any("not among the organisations" in p.message for c in checks for p in c.problems)


def test_load_project_folder_without_project_md(tmp_path: Path) -> None:
    (tmp_path / "01.md").write_text(AGENDA.format(n=1, host="KRA"))
    bundle, checks = load_project_folder(tmp_path)
    assert bundle is None
    folder = next(c for c in checks if c.path == tmp_path)
    assert folder.kind == "folder" and "no project.md" in folder.problems[0].message
    assert "project.md" not in by_name(checks)


def test_load_project_folder_uses_the_default_codebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "default-codebook.md"
    default.write_text(CODEBOOK)
    monkeypatch.setattr(check, "default_codebook_path", lambda: default)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "project.md").write_text(PROJECT.format(extra=""))
    bundle, _ = load_project_folder(tmp_path / "p")
    assert bundle is not None
    assert bundle.codebook.path == default
    assert bundle.agendas == ()


def test_load_project_folder_reports_a_broken_default_codebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "default_codebook_path", lambda: tmp_path / "saknas.md")
    (tmp_path / "project.md").write_text(PROJECT.format(extra=""))
    bundle, checks = load_project_folder(tmp_path)
    assert bundle is None
    assert "no such file" in by_name(checks)["saknas.md"].problems[0].message


def test_load_project_folder_of_a_missing_path(tmp_path: Path) -> None:
    bundle, [result] = load_project_folder(tmp_path / "saknas")
    assert bundle is None and "no such file or folder" in result.problems[0].message


def test_two_project_folders_with_one_short_code(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "project.md").write_text(PROJECT.format(extra="codebook: ../k.md\n"))
    (tmp_path / "k.md").write_text(CODEBOOK)
    checks = [c for c in check_paths([tmp_path]) if c.problems]
    [(path, problems)] = [(c.path, c.problems) for c in checks]
    assert path == tmp_path / "b" / "project.md"
    assert problems[0].line == 3 and "also the short code of" in problems[0].message


def test_an_agenda_named_alone_sees_a_sibling_with_its_number() -> None:
    checks = by_name(check_paths([BAD / "duplicate-meeting" / "01-forsta.md"]))
    [problem] = checks["01-forsta.md"].problems
    assert "meeting number 1 is also used by 02-andra.md" in problem.message
    assert "02-andra.md" not in checks
