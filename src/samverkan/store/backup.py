"""Consistent copies of the database through SQLite's online backup API.

The backup API copies pages under a read lock and restarts when another
process writes meanwhile, so the copy is always one consistent state even
while a meeting is being recorded.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from samverkan.store.engine import Database


def backup_to(database: Database, target: Path) -> Path:
    """Write a consistent copy of ``database`` to ``target`` atomically."""
    target = target.expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process: two backups to one target never share a half-written file.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database.path, timeout=10)
    try:
        dest = sqlite3.connect(partial)
        try:
            # One step under one read snapshot: in WAL mode writers carry on meanwhile.
            source.backup(dest)
            # The copy is a plain rollback-journal file: one file to mail or archive.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target
