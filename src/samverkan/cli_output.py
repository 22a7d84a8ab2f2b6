"""Where a command's Markdown, XML or CSV goes: stdout, or a file written atomically.

Shared by every command that writes a document (export, report, codebook
export, export-tags, observations export), so they refuse, overwrite and
report in the same words.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from samverkan.domain.errors import UserError
from samverkan.i18n import _


def check_target(path: Path | None, *, force: bool, document: bool = True) -> None:
    """Refuse early, before any work, what the write would refuse anyway.

    ``document=False`` for a command that writes a database itself (a sync bundle):
    then an older file of its kind may be replaced with ``--force``.
    """
    if path is None:
        return
    if path.is_dir():
        raise UserError(_("{path} is a folder; give a file name").format(path=path))
    if document:
        refuse_database(path)
    if path.exists() and not force:
        raise UserError(_exists(path))


def refuse_database(path: Path) -> None:
    """A document never goes over a database (samverkan's or any other), even with --force."""
    from samverkan.store.inspection import SQLITE_MAGIC

    candidates = [path]
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        if path.name.endswith(suffix):
            candidates.append(path.with_name(path.name[: -len(suffix)]))
    for candidate in candidates:
        try:
            with candidate.open("rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError:
            continue
        if head == SQLITE_MAGIC:
            raise UserError(
                _("{path} is a database; choose another file with -o FILE").format(path=path)
            )


def _exists(path: Path) -> str:
    return _("{path} already exists; add --force to overwrite it or choose another name").format(
        path=path
    )


def to_file(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` atomically; an existing file only with ``force``."""
    from samverkan.fileio import write_atomically

    refuse_database(path)
    try:
        write_atomically(path, text, overwrite=force)
    except FileExistsError as exc:
        raise UserError(_exists(path)) from exc
    except OSError as exc:
        raise UserError(
            _("cannot write {path} ({reason}); choose another file with -o FILE").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc


def to_stdout(text: str) -> None:
    """Bytes, not text: UTF-8 whatever the console's encoding, so a redirect gives
    the same file as -o."""
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
    except BrokenPipeError:
        # `samverkan export ... | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def remembered(field: str) -> str:
    """A value kept in the settings (the observer's name, the database to sync with)."""
    from samverkan.config import load_settings

    return str(getattr(load_settings()[0], field)).strip()


def remember(field: str, value: str, failure: str) -> None:
    """Keep ``value`` in the settings so it is asked only once; a settings file that
    cannot be written costs only that convenience: ``failure`` (with ``{reason}``) on
    stderr, and the command goes on."""
    from samverkan.config import load_settings, save_settings

    settings, _problem = load_settings()
    if getattr(settings, field) == value:
        return
    setattr(settings, field, value)
    try:
        save_settings(settings)
    except OSError as exc:
        print(failure.format(reason=exc.strerror or exc), file=sys.stderr)
