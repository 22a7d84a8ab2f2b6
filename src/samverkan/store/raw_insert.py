"""Inserts and updates on the DBAPI connection itself, for the paths where every
millisecond counts.

Pressing Enter commits a note and its first revision; an observer's key toggles a
tag while the facilitator may be waiting for the writers' turn. Through
SQLAlchemy's statement machinery that costs several times the SQLite work itself,
so this builds each statement once from the table's metadata and converts values
with the bind processors of the columns' types for this dialect (the same
conversions the ORM does: UTC text for times, ISO text for dates, 0/1 for booleans
on SQLite). It runs inside a write transaction, on its connection
(:meth:`~samverkan.store.engine.Database.driver_write`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect


def placeholder(dialect: Dialect) -> str:
    """The DBAPI's positional parameter mark: ``?`` for sqlite3, ``%s`` for psycopg."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def driver_sql(sql: str, dialect: Dialect) -> str:
    """SQL written with ``?`` marks, for this dialect's DBAPI (no literal ``?`` inside)."""
    return sql if dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def _bind(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The conversion the ORM applies to a value of this type for this dialect (the
    generic ``Date`` has none; SQLite's own writes ISO text)."""
    processor: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).bind_processor(
        dialect
    )
    return processor


class _RawStatement:
    """One statement's SQL and its columns' bind processors, in parameter order."""

    sql: str
    _columns: list[tuple[str, Callable[[Any], Any] | None]]

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Every column's value, converted; a missing key is an error, not a silent NULL."""
        return tuple(
            process(values[name]) if process is not None else values[name]
            for name, process in self._columns
        )


class RawInsert(_RawStatement):
    def __init__(self, table: Table, dialect: Dialect, *, skip_existing: bool = False) -> None:
        # Columns the database fills itself (the change sequence) are left out.
        columns = [c for c in table.columns if not c.info.get("set_by_database")]
        names = [column.name for column in columns]
        mark = placeholder(dialect)
        self.sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join(mark for _ in names)})"
        )
        if skip_existing:
            # A row whose id is already there is left as it is (rowcount 0): the same
            # statement on SQLite and PostgreSQL.
            keys = ", ".join(column.name for column in table.primary_key.columns)
            self.sql += f" ON CONFLICT ({keys}) DO NOTHING"
        self._columns = [(column.name, _bind(column.type, dialect)) for column in columns]


class RawUpdate(_RawStatement):
    """``UPDATE table SET <columns> WHERE <primary key> = ?``, values converted as above."""

    def __init__(self, table: Table, dialect: Dialect, columns: Sequence[str]) -> None:
        mark = placeholder(dialect)
        [key] = table.primary_key.columns
        self.sql = (
            f"UPDATE {table.name} SET {', '.join(f'{name} = {mark}' for name in columns)} "
            f"WHERE {key.name} = {mark}"
        )
        self._columns = [
            (name, _bind(table.columns[name].type, dialect)) for name in (*columns, key.name)
        ]
