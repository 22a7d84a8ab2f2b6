"""The files beside the database: private to the user, and still the file we opened.

Notes name people, so everything samverkan creates (the database, its -wal and
-shm, which SQLite gives the database's own mode, backups, the lock and
recovery files, config) is 0600 in folders of 0700, whatever the umask.

A sync tool, ``demo --reset`` or a user tidying up may delete, replace or move
the file while the app has it open; SQLite would go on writing into the
unlinked inode and every later note would be lost. :class:`FileIdentity`
remembers which file was opened and is asked before each write.
"""

from __future__ import annotations

import os
from pathlib import Path

from samverkan.domain.errors import UserError
from samverkan.i18n import _

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700 (existing ones are left alone)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        os.chmod(path, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask


def create_private_file(path: Path) -> bool:
    """Create an empty 0600 file at ``path`` unless one exists; True if created."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    try:
        os.fchmod(handle, PRIVATE_FILE)
    finally:
        os.close(handle)
    return True


class DatabaseGone(UserError):
    """The file at the database's path is no longer the one that was opened.

    Not worth retrying: every later write would go into the void too.
    """

    retryable = False

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "the database file {path} was deleted, moved or replaced while samverkan "
                "had it open, so nothing more is written to it"
            ).format(path=path)
        )
        self.path = path


class FileIdentity:
    """Device and inode of the file at ``path`` when it was opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity = self._current()

    def _current(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def check(self) -> None:
        """Raise :class:`DatabaseGone` unless ``path`` still names the opened file.

        One ``stat``: a few microseconds before a write of a millisecond.
        """
        if self._identity is None:
            self._identity = self._current()  # a new file: SQLite has just made it
            return
        if self._current() != self._identity:
            raise DatabaseGone(self.path)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this one does). Someone else's process, which
    we may not signal, counts as running: its files are left alone."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
