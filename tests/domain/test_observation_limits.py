"""An observation file to import is refused in one sentence when it is nested too
deeply, too large, too long or carries keys samverkan never writes (issue 9)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from samverkan.cli import main
from samverkan.domain import observation_file as files
from samverkan.domain.errors import UserError
from samverkan.domain.model import NoteKind

WHEN = datetime(2018, 6, 14, 8, 0, tzinfo=UTC)


def _valid() -> dict[str, Any]:
    note = files.FileNote(
        id=str(uuid.uuid4()),
        text="bra samarbete",
        kind=NoteKind.OBSERVATION,
        organisation=None,
        phase=1,
        author="Cecilia",
        created_at=WHEN,
        updated_at=WHEN,
        offset_seconds=12.0,
        revision=1,
        deleted=False,
    )
    data = files.ObservationFile(
        exported_at=WHEN,
        observer="Cecilia",
        meeting=files.FileMeeting("grupp-1", 1, str(uuid.uuid4()), "Möte 1"),
        notes=(note,),
        tags=(),
    )
    return files.to_json(data)


def _refusal(text: str) -> str:
    with pytest.raises(UserError) as caught:
        files.loads(text)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_valid_file_is_read() -> None:
    assert files.loads(json.dumps(_valid())).notes[0].text == "bra samarbete"


def test_deep_nesting_is_refused_without_a_traceback() -> None:
    message = _refusal("[" * 100_000 + "]" * 100_000)
    assert "nested more than 3 levels" in message


def test_brackets_inside_text_do_not_count_as_nesting() -> None:
    raw = _valid()
    raw["notes"][0]["text"] = '[[[[{{{{ "quoted \\" [[[[ '
    assert files.loads(json.dumps(raw)).notes[0].text.startswith("[[[[")


def test_an_unknown_key_is_refused_and_named() -> None:
    for place in ("", "meeting", "note", "tag"):
        raw = _valid()
        raw["tags"] = [
            {
                "note_id": raw["notes"][0]["id"],
                "code_slug": "tillit",
                "observer": "Cecilia",
                "active": True,
                "created_at": WHEN.isoformat(),
                "updated_at": WHEN.isoformat(),
            }
        ]
        target = {"": raw, "meeting": raw["meeting"], "note": raw["notes"][0]}.get(
            place, raw["tags"][0]
        )
        target["extra"] = 1
        assert "unknown key “extra”" in _refusal(json.dumps(raw)), place


def test_an_overlong_note_is_refused_with_the_limit() -> None:
    raw = _valid()
    raw["notes"][0]["text"] = "x" * (files.MAX_TEXT_CHARS + 1)
    assert f"longer than {files.MAX_TEXT_CHARS} characters" in _refusal(json.dumps(raw))


def test_too_many_notes_is_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_NOTES", 2)
    raw = _valid()
    raw["notes"] = raw["notes"] * 3
    assert "more than 2 notes" in _refusal(json.dumps(raw))


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(_valid()) + " " * 2000)
    code = main(["observations", "import", str(big)])
    err = capsys.readouterr().err
    assert code == 1 and "larger than samverkan imports" in err and "Traceback" not in err


def test_nested_file_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
    code = main(["observations", "import", str(deep)])
    err = capsys.readouterr().err
    assert code == 1 and "nested more than" in err and "Traceback" not in err
