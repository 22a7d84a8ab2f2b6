"""Notes that could not be written to the database yet, kept in a file beside it.

When the database is busy for long, full, or has been deleted or replaced
under the app, a note waits in the write queue; so that quitting, a crash or
``kill -9`` cannot lose it, each waiting note is also appended (and synced) to
this session's recovery file, ``<database>.unsaved-<pid>.jsonl``, private to
the user. The file is removed once every note in it is in the database. On the
next start samverkan finds the files of sessions that are gone and offers to
import them; the import is idempotent (notes keep the UUID they were given
when Enter was pressed), so a note that did reach the database is not doubled.

One JSON object a line: ``{"op": "add", "meeting_id", "note": {...}, "author", "typed_at"}``
or ``{"op": "edit", "note_id", "changes": {...}}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from samverkan.store.files import PRIVATE_FILE, process_alive

if TYPE_CHECKING:
    from samverkan.services.core import Services
    from samverkan.services.notes import NoteDraft

SUFFIX = ".jsonl"


def recovery_path(database: Path, pid: int | None = None) -> Path:
    return database.with_name(f"{database.name}.unsaved-{pid or os.getpid()}{SUFFIX}")


def add_record(
    meeting_id: str, draft: NoteDraft, author: str, typed_at: datetime
) -> dict[str, Any]:
    note = {k: v for k, v in asdict(draft).items() if v is not None}
    note["kind"] = str(draft.kind)
    if draft.due is not None:
        note["due"] = draft.due.isoformat()
    return {
        "op": "add",
        "meeting_id": meeting_id,
        "note": note,
        "author": author,
        "typed_at": typed_at.isoformat(),
    }


def edit_record(note_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    plain = {
        key: value.isoformat() if isinstance(value, date) else str(value)
        for key, value in changes.items()
        if value is not None
    }
    return {"op": "edit", "note_id": note_id, "changes": plain}


def record_text(record: dict[str, Any]) -> str:
    """The note's words, for a message that must show what was kept."""
    if record.get("op") == "add":
        return str(record.get("note", {}).get("text", ""))
    return str(record.get("changes", {}).get("text", ""))


class RecoveryFile:
    """This session's file: records appended and synced; removed when all are written.

    One file per process, shared by every meeting screen's write queue (one object,
    see ``SamverkanApp.recovery``): a queue that has written all of its notes must not
    remove the file while another queue's notes in it still wait, so each queue that
    appended says when it is settled, and the file goes when none is left waiting.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._waiting: set[int] = set()  # id() of the owners whose records may still wait
        self._lock = threading.Lock()

    def append(self, records: list[dict[str, Any]], owner: object | None = None) -> None:
        """Append and fsync; raises OSError (a full disk) for the caller to keep them."""
        if owner is not None:
            with self._lock:
                self._waiting.add(id(owner))
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
        handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)

    def settled(self, owner: object) -> None:
        """Every record ``owner`` appended is in the database: the file goes once no
        other owner's records wait in it."""
        with self._lock:
            self._waiting.discard(id(owner))
            if not self._waiting:
                self.remove()

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


# ------------------------------------------------------------------ next start


def left_behind(database: Path) -> list[Path]:
    """Recovery files of sessions that have ended (their process is gone)."""
    found = []
    for path in sorted(database.parent.glob(f"{database.name}.unsaved-*{SUFFIX}")):
        pid = path.name[len(database.name) + len(".unsaved-") : -len(SUFFIX)]
        if pid.isdigit() and not process_alive(int(pid)):
            found.append(path)
    return found


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of one file; a line cut short by a crash is skipped."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict):
                records.append(record)
    return records


def count_notes(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += sum(1 for r in read_records(path) if r.get("op") == "add")
    return total


@dataclass
class RecoveryResult:
    added: int = 0
    already: int = 0
    edited: int = 0
    problems: list[str] = field(default_factory=list)


def import_recovered(services: Services, paths: list[Path]) -> RecoveryResult:
    """Write the kept notes and edits; a file wholly written is removed, one with
    problems stays (with the problems reported) to be offered again."""
    from samverkan.domain.errors import problem_sentence

    result = RecoveryResult()
    for path in paths:
        problems_before = len(result.problems)
        try:
            records = read_records(path)
        except OSError as exc:
            result.problems.append(f"{path}: {exc.strerror or exc}")
            continue
        for record in records:
            try:
                _apply(services, record, result)
            except Exception as exc:  # one sentence per note, never a traceback
                result.problems.append(f"“{record_text(record)}”: {problem_sentence(exc)}")
        if len(result.problems) == problems_before:
            with contextlib.suppress(OSError):
                path.unlink()
    return result


def _apply(services: Services, record: dict[str, Any], result: RecoveryResult) -> None:
    from samverkan.domain.model import NoteKind
    from samverkan.services.notes import NoteDraft

    if record.get("op") == "add":
        note = dict(record["note"])
        note["kind"] = NoteKind(note.get("kind", "note"))
        if note.get("due"):
            note["due"] = date.fromisoformat(note["due"])
        draft = NoteDraft(**note)
        typed_at = datetime.fromisoformat(record["typed_at"])
        added = services.notes.add_recovered(
            record["meeting_id"], draft, author=record.get("author", ""), typed_at=typed_at
        )
        if added:
            result.added += 1
        else:
            result.already += 1
    elif record.get("op") == "edit":
        changes = dict(record["changes"])
        if "kind" in changes:
            changes["kind"] = NoteKind(changes["kind"])
        if changes.get("due"):
            changes["due"] = date.fromisoformat(changes["due"])
        services.notes.edit(record["note_id"], **changes)
        result.edited += 1
