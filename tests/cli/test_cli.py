"""Every command of issue 2 through the real entry point, with its exit status."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.conftest import FORETAG, GRUPP_1

from samverkan import __version__


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--version")
    assert code == 0 and __version__ in out


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "samverkan" in result.stdout


def test_bad_usage_is_exit_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "frobnicate")
    assert code == 2 and "Traceback" not in err and "--help" in err


def test_check_valid_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", str(GRUPP_1))
    assert code == 0
    lines = out.splitlines()
    assert all(line.startswith("ok: ") for line in lines)
    assert any(line.endswith("project.md") for line in lines)
    assert any("codebook.md" in line for line in lines)
    assert sum("kommun-af-grupp-1/0" in line for line in lines) == 5


def test_check_reports_file_line_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "01-bad.md"
    bad.write_text("---\nmeeting: 1\ntitle: X\nhost: SKE\n---\n## Samtal (trettio min)\n", "utf-8")
    code, out, err = run(capsys, "check", str(bad))
    assert code == 1 and "Traceback" not in out + err
    problem = next(line for line in out.splitlines() if line.startswith(str(bad)))
    _path, line, message = problem.split(":", 2)
    assert line.isdigit() and message.strip()


def test_check_binary_file_never_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.md"
    junk.write_bytes(bytes(range(256)) * 10)
    code, out, err = run(capsys, "check", str(junk))
    assert code == 1 and "Traceback" not in out + err and str(junk) in out


def test_check_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 1 and "nope" in out


def test_import_then_list_then_reimport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    code, out, _err = run(capsys, "--db", db, "import", str(GRUPP_1), str(FORETAG))
    assert code == 0
    assert "project grupp-1" in out and "meeting grupp-1/5" in out and "meeting foretag/3" in out
    code, out, _err = run(capsys, "--db", db, "import", str(GRUPP_1))
    assert code == 0 and "created" not in out and "unchanged: meeting grupp-1/1" in out
    code, out, _err = run(capsys, "--db", db, "list")
    assert code == 0
    line = next(x for x in out.splitlines() if "grupp-1/2" in x)
    assert "2018-05-17" in line and "SOD" in line and "planned" in line and "0 notes" in line
    code, out, _err = run(capsys, "--db", db, "list", "--json")
    data = json.loads(out)
    assert [p["short"] for p in data] == ["foretag", "grupp-1"]
    meeting = data[1]["meetings"][1]
    assert meeting == {
        "ref": "grupp-1/2",
        "number": 2,
        "title": meeting["title"],
        "date": "2018-05-17",
        "host": "SOD",
        "status": "planned",
        "notes": 0,
    }
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM meeting").fetchone() == (10,)
    conn.close()


def test_import_refuses_everything_when_a_file_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "proj"
    folder.mkdir()
    for source in GRUPP_1.iterdir():
        (folder / source.name).write_text(source.read_text("utf-8"), "utf-8")
    (folder / "codebook.md").write_text(
        (GRUPP_1.parent / "codebook.md").read_text("utf-8"), "utf-8"
    )
    project = folder / "project.md"
    project.write_text(project.read_text("utf-8").replace("../codebook.md", "codebook.md"), "utf-8")
    agenda = sorted(folder.glob("03-*.md"))[0]
    agenda.write_text(agenda.read_text("utf-8").replace("host: STR", "host: XYZ"), "utf-8")
    db = tmp_path / "s.db"
    code, _out, err = run(capsys, "--db", str(db), "import", str(folder))
    assert code == 1 and "XYZ" in err and "nothing was imported" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]  # no database, no lock file
    code, _out, err = run(capsys, "--db", str(db), "list", "--json")
    assert code == 1 and "there is no database" in err


def test_list_on_empty_database_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from samverkan.services import open_services

    path = tmp_path / "e.db"
    open_services(path).close()
    code, out, _err = run(capsys, "--db", str(path), "list")
    assert code == 0 and "samverkan import" in out and "samverkan demo" in out


def test_a_mistyped_db_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "stavfel.db"
    code, _out, err = run(capsys, "--db", str(path), "list")
    assert code == 1 and str(path) in err and "samverkan import" in err
    assert not path.exists()


def test_db_from_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("SAMVERKAN_DB", str(db))
    run(capsys, "import", str(GRUPP_1))
    assert db.exists()


def test_not_a_database_is_exit_1_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thesis.docx"
    path.write_bytes(b"PK\x03\x04 not sqlite")
    code, _out, err = run(capsys, "--db", str(path), "list")
    assert (
        code == 1
        and "Traceback" not in err
        and "--db" in err
        and len(err.strip().splitlines()) == 1
    )
    assert path.read_bytes() == b"PK\x03\x04 not sqlite"


def test_backup_writes_a_consistent_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    run(capsys, "--db", db, "import", str(GRUPP_1))
    target = tmp_path / "kopia" / "säkerhetskopia.db"
    code, out, _err = run(capsys, "--db", db, "backup", "-o", str(target))
    assert code == 0 and str(target) in out
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM meeting").fetchone() == (5,)
    conn.close()


def test_backup_default_location(capsys: pytest.CaptureFixture[str], _isolated_home: Path) -> None:
    run(capsys, "import", str(GRUPP_1))
    code, _out, _err = run(capsys, "backup")
    assert code == 0
    assert list((_isolated_home / "data" / "backups").glob("samverkan-*.db"))


def test_demo_no_tui_builds_beside_the_users_database(
    capsys: pytest.CaptureFixture[str], _isolated_home: Path
) -> None:
    code, out, _err = run(capsys, "demo", "--no-tui")
    demo = Path(out.strip())
    assert code == 0 and demo.exists() and demo.name == "demo.db"
    assert demo.parent == _isolated_home / "data"
    assert not (_isolated_home / "data" / "samverkan.db").exists()
    code, out, _err = run(capsys, "--db", str(demo), "list", "--json")
    meetings = json.loads(out)[1]["meetings"]
    assert meetings[0]["status"] == "closed" and meetings[0]["notes"] >= 30
    code, out2, _err = run(capsys, "demo", "--no-tui", "--reset")
    assert code == 0 and out2 == out2


def test_swedish_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from samverkan.services import open_services

    open_services(tmp_path / "e.db").close()
    code, out, _err = run(capsys, "--lang", "sv", "--db", str(tmp_path / "e.db"), "list")
    assert code == 0 and "inga" in out.lower()


def test_run_unknown_meeting_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    run(capsys, "--db", db, "import", str(GRUPP_1))
    code, _out, err = run(capsys, "--db", db, "run", "grupp-1/9")
    assert code == 1 and "grupp-1/9" in err and "samverkan list" in err
    code, _out, err = run(capsys, "--db", db, "run", "grupp-1")
    assert code == 1 and "PROJECT/NUMBER" in err
