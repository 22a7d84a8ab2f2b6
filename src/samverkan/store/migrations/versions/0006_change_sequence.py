"""The change sequence (see ``samverkan.store.change_seq``) on notes, tags and the
meeting clock's events, replacing SQLite's rowid for order and for "what changed
since"; on PostgreSQL, times become ``timestamp with time zone``.

Existing rows are numbered in the order they were written (rowid on SQLite),
before the triggers exist; from then on the triggers number every change.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from samverkan.store import change_seq

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written order where rowid is missing: by time, then id.
_TIME = {"note": "created_at", "tag": "created_at", "meeting_event": "at"}
_TIMES = {
    "project": ("created_at", "updated_at"),
    "meeting": ("started_at", "closed_at", "updated_at"),
    "phase": ("started_at", "ended_at"),
    "attendance": ("updated_at",),
    "meeting_event": ("at",),
    "note": ("created_at", "done_at", "updated_at"),
    "note_revision": ("at",),
    "tag": ("created_at", "updated_at"),
    "invitation": ("created_at", "revoked_at", "used_at", "seen_at"),
}


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        for table, columns in _TIMES.items():
            for column in columns:
                op.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamp with time zone "
                    f"USING {column}::timestamp with time zone"
                )
    for table in change_seq.TRACKED:
        op.add_column(table, sa.Column("added_seq", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("change_seq", sa.BigInteger(), nullable=True))
    offset = 0
    for table in change_seq.TRACKED:
        if postgres:
            order = f"row_number() OVER (ORDER BY {_TIME[table]}, id)"
            op.execute(
                f"UPDATE {table} SET added_seq = s.n + {offset}, change_seq = s.n + {offset} "
                f"FROM (SELECT id, {order} AS n FROM {table}) AS s WHERE {table}.id = s.id"
            )
        else:
            op.execute(
                f"UPDATE {table} SET added_seq = rowid + {offset}, change_seq = rowid + {offset}"
            )
        top = bind.execute(sa.text(f"SELECT max(added_seq) FROM {table}")).scalar()
        offset = max(offset, int(top or 0))
    for table in change_seq.TRACKED:
        op.create_index(f"ix_{table}_change_seq", table, ["change_seq"])
    change_seq.install(bind)
    if postgres:
        if offset:
            op.execute(f"SELECT setval('{change_seq.SEQUENCE}', {offset})")
    else:
        op.execute(f"UPDATE {change_seq.COUNTER_TABLE} SET value = {offset} WHERE id = 1")


def downgrade() -> None:  # pragma: no cover - samverkan only migrates forwards
    raise NotImplementedError
