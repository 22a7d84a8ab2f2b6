"""Writing the files users keep (minutes, reports): whole or not at all.

:func:`write_atomically` writes a temporary file beside the target, flushes
it to disk and renames it over the target. A crash, a full disk or Ctrl-C at
any point leaves the old file (or none), never half a file, and no temporary
file behind. The temporary file lives in the same folder because a rename is
atomic only within one file system.
"""

from __future__ import annotations

import errno
import os
import secrets
from contextlib import suppress
from pathlib import Path

__all__ = ["write_atomically"]

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines


def write_atomically(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` as UTF-8 to ``path``, atomically and durably.

    With ``overwrite=False`` an existing ``path`` is left alone and
    :class:`FileExistsError` raised — checked at the moment of the rename
    (a hard link, where the file system has them), not before, so a file
    another program creates meanwhile is not lost either. Any other failure
    raises the :class:`OSError` it met. A file replaced keeps its permissions;
    a new one is private to the user (0600): minutes and exports name people.
    """
    folder = path.parent
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    data = text.encode("utf-8")
    try:
        # O_EXCL: never write through a file or link someone else put there.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            with suppress(FileNotFoundError):
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
            os.fsync(handle)
        finally:
            os.close(handle)
        if overwrite:
            os.replace(temporary, path)
        else:
            _rename_new(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _rename_new(temporary: Path, path: Path) -> None:
    """Rename, but fail if ``path`` exists; falls back where links are not allowed."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        # FAT/exFAT sticks and some network shares have no hard links:
        # check, then rename — a narrow race instead of no export at all.
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is on disk.
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: folders cannot be opened for fsync
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
