"""``samverkan export``: every option and every error, and the atomic file writer."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.recorded_meeting import REF, record_meeting

from samverkan import fileio
from samverkan.cli import main
from samverkan.domain.clock import ManualClock
from samverkan.services import NoteDraft, Services


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), *args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_sentence(err: str) -> bool:
    return err.startswith("samverkan: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def recorded(imported: Services, clock: ManualClock) -> Services:
    record_meeting(imported, clock)
    return imported


# ------------------------------------------------------------------ to stdout


def test_export_prints_the_minutes_in_the_projects_language(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, db_path, "export", REF)
    assert (code, err) == (0, "")
    assert out.startswith("# Minnesanteckningar från möte 2: Individanpassat arbete")
    assert "Utkast" not in out
    assert "· Falu kommun: \\# Inte en rubrik\\\n  \\- inte en lista\n" in out
    assert re.search(r"^- 09:3\d · Falu kommun: \\# Inte", out, re.M)  # Stockholm clock time
    assert "AF:s hemliga synpunkt \\| \\<b\\>" in out
    assert "| Skicka statistiken | Arbetsförmedlingen | – | öppen | 1 |" in out  # carried
    assert "Boka lokal" not in out  # done in meeting 1: not carried
    assert "| Ta fram mall | Falu kommun | 2018-06-01 | öppen | 2 |" in out
    assert "Bristande tillit: 1" in out  # the observer's summary
    assert "raderad anteckning" not in out
    assert "## Nästa möte\n\n- **Möte:** 3: Integration av nyanlända" in out


def test_the_same_database_gives_the_same_bytes(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db_path, "export", REF)[1] == run(capsys, db_path, "export", REF)[1]


def test_lang_overrides_the_projects_language(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, db_path, "export", REF, "--lang", "en")
    assert code == 0 and out.startswith("# Minutes of meeting 2:")
    assert "## Action items" in out and "Åtgärder" not in out


def test_a_meeting_in_progress_is_a_draft(
    imported: Services, clock: ManualClock, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting_id = imported.projects.resolve_ref(REF)
    imported.meetings.start(meeting_id)
    clock.advance(30)
    imported.notes.add(meeting_id, NoteDraft("Pågår fortfarande"))
    code, out, _err = run(capsys, db_path, "export", REF)
    assert code == 0
    assert out.splitlines()[2].startswith("**Utkast**")
    assert "Pågår fortfarande" in out


def test_a_planned_meeting_exports_as_an_empty_draft(
    imported: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, db_path, "export", "grupp-1/5", "--lang", "en")
    assert code == 0 and "**Draft**" in out and "not held" in out
    assert "This was the last meeting on the project's agenda." in out


def test_org_gives_one_organisations_version(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, db_path, "export", REF, "--org", "fal")
    assert code == 0
    assert "- **Version för:** Falu kommun" in out
    assert "Inte en rubrik" in out and "Mallen tas fram" in out and "Ta fram mall" in out
    assert "hemliga synpunkt" not in out and "Skicka statistiken" not in out


def test_unknown_org_is_one_sentence(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, db_path, "export", REF, "--org", "XYZ")
    assert code == 1 and out == "" and one_sentence(err)
    assert "no organisation XYZ in grupp-1; choose one of FAL, SKE" in err


@pytest.mark.parametrize(
    ("ref", "says"),
    [("grupp-1/99", "there is no meeting grupp-1/99"), ("nonsense", "not a meeting reference")],
)
def test_unknown_ref_is_one_sentence(
    imported: Services, db_path: Path, capsys: pytest.CaptureFixture[str], ref: str, says: str
) -> None:
    code, out, err = run(capsys, db_path, "export", ref)
    assert code == 1 and out == "" and one_sentence(err) and says in err


def test_bad_lang_is_usage_exit_2(
    imported: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, db_path, "export", REF, "--lang", "fi")
    assert code == 2 and "Traceback" not in err


# ------------------------------------------------------------------ to a file


def test_output_writes_the_same_bytes_as_stdout(
    recorded: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "minnesanteckningar.md"
    code, out, _err = run(capsys, db_path, "export", REF, "-o", str(target))
    assert code == 0 and str(target) in out
    assert target.read_bytes() == run(capsys, db_path, "export", REF)[1].encode("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_existing_file_needs_force(
    recorded: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "protokoll.md"
    target.write_text("gammalt", "utf-8")
    code, out, err = run(capsys, db_path, "export", REF, "--output", str(target))
    assert code == 1 and out == "" and one_sentence(err)
    assert "already exists; add --force to overwrite it or choose another name" in err
    assert target.read_text("utf-8") == "gammalt"
    code, _out, _err = run(capsys, db_path, "export", REF, "-o", str(target), "--force")
    assert code == 0 and target.read_text("utf-8").startswith("# Minnesanteckningar")


def test_swedish_letters_in_folder_and_file_names(
    recorded: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Möten i Åre och Ärla"
    folder.mkdir()
    target = folder / "minnesanteckningar-möte-2-Ö.md"
    code, _out, err = run(capsys, db_path, "export", REF, "-o", str(target))
    assert (code, err) == (0, "")
    assert target.read_text("utf-8").startswith("# Minnesanteckningar")
    assert sorted(p.name for p in folder.iterdir()) == [target.name]


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("missing/minutes.md", "No such file or directory"),
        ("a-file.txt/minutes.md", "Not a directory"),
    ],
)
def test_an_unwritable_path_is_one_sentence(
    recorded: Services,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
    says: str,
) -> None:
    (tmp_path / "a-file.txt").write_text("x", "utf-8")
    code, out, err = run(capsys, db_path, "export", REF, "-o", str(tmp_path / where))
    assert code == 1 and out == "" and one_sentence(err)
    assert "cannot write" in err and says in err


def test_permission_denied_is_one_sentence(
    recorded: Services,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests may run as root, whom chmod does not stop: refuse the way the OS would.
    real_open = os.open

    def refuse(path: object, flags: int, mode: int = 0o777) -> int:
        if str(path).startswith(str(tmp_path / "locked")):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, mode)  # type: ignore[arg-type]

    (tmp_path / "locked").mkdir()
    monkeypatch.setattr(os, "open", refuse)
    code, _out, err = run(capsys, db_path, "export", REF, "-o", str(tmp_path / "locked" / "m.md"))
    assert code == 1 and one_sentence(err) and "Permission denied" in err


def test_a_folder_as_output_is_one_sentence(
    recorded: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, db_path, "export", REF, "-o", str(tmp_path))
    assert code == 1 and one_sentence(err) and "is a folder; give a file name" in err


# ------------------------------------------------------------------ atomic writes


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "minnesanteckningar.md"
    target.write_text("den gamla versionen\n", "utf-8")
    real_write = os.write

    def half_then_fail(handle: int, data: bytes | memoryview) -> int:
        real_write(handle, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fail(*_args: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, failing, half_then_fail if failing == "write" else fail)
    with pytest.raises(OSError):
        fileio.write_atomically(target, "den nya versionen\n" * 1000)
    assert target.read_text("utf-8") == "den gamla versionen\n"
    assert temporaries(tmp_path) == []


def test_an_interrupt_mid_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "m.md"
    target.write_text("gammal", "utf-8")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_atomically(target, "ny")
    assert target.read_text("utf-8") == "gammal" and temporaries(tmp_path) == []


def test_a_killed_export_never_leaves_half_a_file(tmp_path: Path) -> None:
    """A writer killed with SIGKILL mid-write: the target is old or whole, never partial."""
    target = tmp_path / "m.md"
    target.write_text("gammal", "utf-8")
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from samverkan import fileio\n"
        "real = os.fsync\n"
        "def stall(fd):\n"
        "    print('writing', flush=True); sys.stdin.readline(); real(fd)\n"
        "os.fsync = stall\n"
        f"fileio.write_atomically(Path({str(target)!r}), 'ny' * 100000)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    writer.kill()
    writer.wait()
    assert target.read_text("utf-8") == "gammal"


def test_overwrite_false_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    target.write_text("gammal", "utf-8")
    with pytest.raises(FileExistsError):
        fileio.write_atomically(target, "ny", overwrite=False)
    assert target.read_text("utf-8") == "gammal" and temporaries(tmp_path) == []
    fresh = tmp_path / "ny.md"
    fileio.write_atomically(fresh, "ny", overwrite=False)
    assert fresh.read_text("utf-8") == "ny"


def test_overwrite_false_without_hard_links_still_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_args: object) -> None:  # FAT sticks, some network shares
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "m.md"
    fileio.write_atomically(target, "första", overwrite=False)
    with pytest.raises(FileExistsError):
        fileio.write_atomically(target, "andra", overwrite=False)
    assert target.read_text("utf-8") == "första" and temporaries(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    target.write_text("gammal", "utf-8")
    target.chmod(0o640)
    fileio.write_atomically(target, "ny")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_the_command_module_imports_lightly() -> None:
    code = (
        "import sys, samverkan.cli_minutes\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'textual') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_projects_setting_decides_what_the_minutes_show_of_the_observation(
    recorded: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = recorded.projects.meeting(recorded.projects.resolve_ref("grupp-1/2")).project
    assert project.minutes_observation == "group"  # project.md says nothing: group level
    code, group, _err = run(capsys, db_path, "export", "grupp-1/2", "--lang", "en")
    assert code == 0
    code, everything, _err = run(
        capsys, db_path, "export", "grupp-1/2", "--lang", "en", "--observation", "all"
    )
    assert code == 0
    assert "At group level" in group and "At group level" not in everything
    summary = everything[everything.index("Observer's summary") :]
    assert "  - " in summary  # the remarks behind the codes, for the researcher
    assert "  - " not in group[group.index("Observer's summary") :].split("## Decisions")[0]


@pytest.mark.parametrize("command", [["export", REF], ["report", REF.split("/")[0]]])
def test_export_and_report_read_a_current_file_without_the_orm(
    recorded: Services, db_path: Path, tmp_path: Path, command: list[str]
) -> None:
    """The whole command, in a fresh interpreter: no SQLAlchemy on its path."""
    code = (
        "import runpy, sys\n"
        "try:\n"
        "    runpy.run_module('samverkan', run_name='__main__')\n"
        "finally:\n"
        "    heavy = [m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules]\n"
        "    print('heavy:', ','.join(heavy), file=sys.stderr)\n"
    )
    out = tmp_path / "out.md"
    result = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), *command, "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8").startswith("#")
    assert result.stderr.strip().splitlines()[-1] == "heavy:"
