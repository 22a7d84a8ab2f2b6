"""``check``, ``import`` and ``new`` through the real entry point: they agree on every path,
and a refused import leaves the database (or its absence) byte for byte as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.conftest import FORETAG, GRUPP_1, SAMPLES

from samverkan.services import NoteDraft, open_services

ROOT = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (the database, its lock file, WAL files) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def check_and_import(
    capsys: pytest.CaptureFixture[str], db: Path, *paths: Path
) -> tuple[tuple[int, list[str]], tuple[int, list[str]]]:
    """Both commands on the same paths: exit status and the problems each printed."""
    code, out, _err = run(capsys, "check", *map(str, paths))
    checked = [line for line in out.splitlines() if not line.startswith("ok: ")]
    before = snapshot(db.parent)
    icode, _out, err = run(capsys, "--db", str(db), "import", *map(str, paths))
    refused = err.splitlines()[:-1] if icode else []
    if icode:
        assert snapshot(db.parent) == before, "a refused import changed the files"
        assert err.splitlines()[-1].startswith("samverkan: nothing was imported")
    return (code, checked), (icode, refused)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of grupp 1 with its codebook beside it, in a folder of its own."""
    folder = tmp_path / "files" / "grupp-1"
    shutil.copytree(GRUPP_1, folder)
    shutil.copy(SAMPLES / "codebook.md", folder.parent / "codebook.md")
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "s.db"


def test_a_missing_file_in_a_project_folder(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    typo = project / "typo.md"
    checked, imported = check_and_import(capsys, db, typo)
    assert checked == imported == (1, [f"{typo}: there is no such file or folder; check the path"])
    assert not db.parent.exists() or not any(db.parent.iterdir())


def test_a_missing_folder_names_itself_not_its_parent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    checked, imported = check_and_import(capsys, db, missing)
    assert (
        checked == imported == (1, [f"{missing}: there is no such file or folder; check the path"])
    )
    assert list(db.parent.iterdir()) == []


def test_a_folder_without_project_md(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    (project / "project.md").unlink()
    checked, imported = check_and_import(capsys, db, project)
    assert checked == imported
    assert checked[0] == 1
    assert checked[1] == [
        f"{project}: the folder has no project.md; add one (samverkan new FOLDER writes a "
        "complete example) or give the path of a project folder"
    ]


def test_an_empty_folder_is_one_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    checked, imported = check_and_import(capsys, db, empty)
    assert checked == imported
    assert checked[0] == 1 and len(checked[1]) == 1 and "samverkan new" in checked[1][0]


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("project.md", "names this project file itself"),
        ("02-individanpassat-arbete.md", "an agenda"),
    ],
)
def test_a_codebook_that_is_not_a_codebook(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path, target: str, what: str
) -> None:
    path = project / "project.md"
    path.write_text(path.read_text("utf-8").replace("../codebook.md", target), "utf-8")
    checked, imported = check_and_import(capsys, db, project)
    assert checked == imported
    assert checked[0] == 1
    [problem] = checked[1]
    assert problem.startswith(f"{path}:5: ") and what in problem


def test_a_missing_codebook_is_one_problem(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    (project.parent / "codebook.md").unlink()
    checked, imported = check_and_import(capsys, db, project)
    assert checked == imported
    [problem] = checked[1]
    assert problem.startswith(f"{project / 'project.md'}:5: the codebook ")


def test_a_folder_of_project_folders_is_each_project_in_turn(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    checked, imported = check_and_import(capsys, db, SAMPLES)
    assert checked == imported == (0, [])
    code, out, _err = run(capsys, "--db", str(db), "list", "--json")
    assert code == 0 and out.count('"ref"') == 10


def test_a_folder_of_projects_with_a_bad_one_refuses_all(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    other = project.parent / "foretag"
    shutil.copytree(FORETAG, other)
    path = other / "project.md"
    path.write_text(path.read_text("utf-8").replace("../codebook.md", "saknas.md"), "utf-8")
    checked, imported = check_and_import(capsys, db, project.parent)
    assert checked == imported
    assert checked[0] == 1 and len(checked[1]) == 1 and "saknas.md" in checked[1][0]
    assert list(db.parent.iterdir()) == []


def test_one_agenda_checks_and_imports_what_it_needs(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    one = next(project.glob("03-*.md"))
    code, out, _err = run(capsys, "check", str(one))
    assert code == 0
    assert [line.rsplit("/", 1)[1] for line in out.splitlines()] == [
        one.name,
        "project.md",
        "codebook.md",
    ]
    code, out, _err = run(capsys, "--db", str(db), "import", str(one))
    assert code == 0 and "created: meeting grupp-1/3" in out and "grupp-1/2" not in out


def test_an_agenda_without_project_md_beside_it(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    one = next(project.glob("03-*.md"))
    lone = project.parent / one.name
    shutil.move(one, lone)
    checked, imported = check_and_import(capsys, db, lone)
    assert checked == imported
    assert checked[1] == [
        f"{lone}: there is no project.md beside this agenda; an agenda is imported into the "
        "project of its folder, so add project.md there"
    ]


def test_a_shared_codebook_imports_into_the_projects_that_use_it(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    checked, imported = check_and_import(capsys, db, project.parent / "codebook.md")
    assert checked == imported == (0, [])
    code, out, _err = run(capsys, "--db", str(db), "list")
    assert code == 0 and "grupp-1" in out


def test_a_yaml_error_points_at_the_broken_line(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    path = next(project.glob("02-*.md"))
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: Individanpassat", 'title: "Individanpassat', 1), "utf-8")
    checked, imported = check_and_import(capsys, db, project)
    assert checked == imported
    [problem] = checked[1]
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("title:"))
    assert problem == (
        f"{path}:{line}: the value's opening quote \" is never closed on its line; "
        'end the value with " or remove the quote'
    )


def test_a_refused_reimport_leaves_the_database_byte_for_byte(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    code, _out, _err = run(capsys, "--db", str(db), "import", str(project))
    assert code == 0
    services = open_services(db)
    meeting = services.projects.meeting(services.projects.resolve_ref("grupp-1/2"))
    samtal = next(p for p in meeting.phases if p.title == "Samtal")
    services.notes.add(meeting.id, NoteDraft("offline", phase_id=samtal.id))
    services.close()
    path = next(project.glob("02-*.md"))
    path.write_text(path.read_text("utf-8").replace("## Samtal", "## Kaffe"), "utf-8")

    before = snapshot(db.parent)
    code, out, err = run(capsys, "--db", str(db), "import", str(project))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}: meeting grupp-1/2 has 1 note under the phase 'Samtal', which this agenda "
        "no longer has; put a phase titled 'Samtal' back and import again, so that no note "
        "changes phase",
        "samverkan: nothing was imported: 1 problem; fix it and import again",
    ]
    assert snapshot(db.parent) == before
    # check looks at the files only: they are fine on their own.
    assert run(capsys, "check", str(project))[0] == 0


def test_prune_removes_a_renumbered_meeting(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    assert run(capsys, "--db", str(db), "import", str(project))[0] == 0
    path = next(project.glob("05-*.md"))
    path.write_text(path.read_text("utf-8").replace("meeting: 5", "meeting: 6"), "utf-8")
    code, out, _err = run(capsys, "--db", str(db), "import", str(project))
    assert code == 0
    assert (
        "gone from the files: meeting grupp-1/5 "
        "(no longer in the files; import with --prune to remove it)"
    ) in out.splitlines()
    code, out, _err = run(capsys, "--db", str(db), "import", "--prune", str(project))
    assert code == 0 and "removed: meeting grupp-1/5 (no longer in the files)" in out
    code, out, _err = run(capsys, "--db", str(db), "list")
    assert "grupp-1/5 " not in out and "grupp-1/6" in out


def test_new_then_check_then_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    folder = tmp_path / "grupp-2"
    code, out, _err = run(capsys, "new", str(folder))
    assert code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "01-understanding-each-other-s-remit.md" and len(names) == 7
    assert {"project.md", "codebook.md"} <= set(names)
    assert (folder / "codebook.md").read_bytes() == (SAMPLES / "codebook.md").read_bytes()
    project_md = (folder / "project.md").read_text("utf-8")
    assert project_md.count("\n# ") >= 8  # every field is explained
    for agenda in sorted(folder.glob("0*.md")):
        text = agenda.read_text("utf-8")
        assert [x.split(" (")[0] for x in text.splitlines() if x.startswith("## ")] == [
            "## Host presentation",
            "## Discussion",
            "## Observation",
        ]
        assert text.count("\n- ") >= 5
    assert f"samverkan check {folder}" in out
    checked, imported = check_and_import(capsys, db, folder)
    assert checked == imported == (0, [])
    code, out, _err = run(capsys, "--db", str(db), "list")
    assert code == 0 and "grupp-2/5" in out and "MA" in out


def test_new_in_swedish(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "grupp-2"
    assert run(capsys, "--lang", "sv", "new", str(folder))[0] == 0
    text = (folder / "01-att-forsta-varandras-uppdrag.md").read_text("utf-8")
    assert "## Värdpresentation (40 min)" in text and "## Samtal (60 min)" in text
    project_md = (folder / "project.md").read_text("utf-8")
    assert "lang: sv" in project_md and "minutes_observation: grupp" in project_md
    assert run(capsys, "check", str(folder))[0] == 0


def test_new_from_an_earlier_project(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    folder = tmp_path / "grupp-1-2019"
    code, _out, _err = run(capsys, "new", str(folder), "--from", str(GRUPP_1))
    assert code == 0
    text = (folder / "project.md").read_text("utf-8")
    assert "short: grupp-1-2019" in text and "name: Umeå kommun" in text
    assert "Göran Westin" in text and "Lena Marklund" in text
    assert "host: SKE" in next(folder.glob("02-*.md")).read_text("utf-8")
    checked, imported = check_and_import(capsys, db, folder)
    assert checked == imported == (0, [])


def test_new_refuses_a_folder_with_files_and_a_clashing_short(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.md").write_text("x")
    code, _out, err = run(capsys, "new", str(tmp_path / "full"))
    assert code == 1 and "not an empty folder" in err
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["x.md"]
    code, _out, err = run(capsys, "new", str(tmp_path / "grupp-1"), "--from", str(GRUPP_1))
    assert code == 1 and "short code grupp-1" in err and not (tmp_path / "grupp-1").exists()
    code, _out, err = run(capsys, "new", str(tmp_path / "y"), "--from", str(tmp_path / "full"))
    assert code == 1 and "checks clean" in err and not (tmp_path / "y").exists()


def test_the_readme_tour_starts_from_samverkan_new_and_its_commands_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    tour = readme[readme.index("## A meeting, step by step") :]
    block = tour[tour.index("```sh") + len("```sh") : tour.index("```", tour.index("```sh") + 5)]
    commands = [line.split("#")[0].split() for line in block.strip().splitlines()]
    assert [c[:2] for c in commands] == [
        ["samverkan", "new"],
        ["samverkan", "check"],
        ["samverkan", "import"],
    ]
    monkeypatch.chdir(tmp_path)
    for command in commands:
        code, _out, err = run(capsys, "--db", str(tmp_path / "s.db"), *command[1:])
        assert code == 0, (command, err)
    code, out, _err = run(capsys, "--db", str(tmp_path / "s.db"), "list")
    assert code == 0 and "/5" in out


def test_a_file_problem_on_reimport_leaves_the_database_byte_for_byte(
    capsys: pytest.CaptureFixture[str], project: Path, db: Path
) -> None:
    assert run(capsys, "--db", str(db), "import", str(project))[0] == 0
    path = next(project.glob("04-*.md"))
    path.write_text(path.read_text("utf-8").replace("host: UME", "host: XYZ"), "utf-8")
    checked, imported = check_and_import(capsys, db, project)  # compares the bytes too
    assert checked == imported
    assert imported[0] == 1 and "'XYZ'" in imported[1][0]
