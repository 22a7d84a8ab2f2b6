"""Values read past SQLAlchemy's type processing (raw rows on the hot paths), on any engine.

SQLite hands back what :mod:`samverkan.store.types` stored (UTC ISO text, ISO
dates); PostgreSQL's driver hands back ``datetime`` and ``date`` objects.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def utc(stored: Any) -> datetime:
    """An aware UTC datetime from a stored time (a server gives it in its session's zone)."""
    if isinstance(stored, datetime):
        return stored.astimezone(UTC) if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(stored)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def day(stored: Any) -> date | None:
    if not stored:
        return None
    return stored if isinstance(stored, date) else date.fromisoformat(stored)
