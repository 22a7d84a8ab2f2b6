"""Column types SQLite lacks: timezone-aware UTC datetimes and JSON lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, String, Text, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as ISO 8601 text in UTC on SQLite, read back as an aware datetime.

    Text sorts correctly because every value has the same offset and width,
    and a file read by ``sqlite3`` alone still shows readable times. On a
    server the column is a real ``timestamp with time zone``.
    """

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware one")
        if dialect.name == "postgresql":
            return value.astimezone(UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        parsed = datetime.fromisoformat(str(value))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed


class JSONList(TypeDecorator[list[Any]]):
    """A list kept as JSON text (prompts, observers): small, read whole, never queried."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Any]:
        if not value:
            return []
        loaded = json.loads(value)
        return loaded if isinstance(loaded, list) else []
