"""Sync: tombstones of deleted rows (they travel, so a deletion is not undone by the
other side) and each peer's change sequence at the last complete sync (a sync with
nothing new answers from these and the counters).

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Text in SQLite, timestamptz on a server (as migration 0006 left the other times).
from samverkan.store.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tombstone",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tombstone_project_id", "tombstone", ["project_id"], unique=False)
    op.create_table(
        "sync_peer",
        sa.Column("peer_id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("here_seq", sa.BigInteger(), nullable=False),
        sa.Column("peer_seq", sa.BigInteger(), nullable=False),
        sa.Column("synced_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", "project_id"),
    )
    op.create_table(
        "sync_identity",
        sa.Column("id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:  # pragma: no cover - samverkan only migrates forwards
    raise NotImplementedError
