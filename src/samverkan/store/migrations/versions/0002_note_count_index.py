"""Index notes by meeting and deleted flag, so the note counts of the home screen and
``samverkan list`` are read from the index alone instead of every note row.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_note_meeting_deleted", "note", ["meeting_id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_note_meeting_deleted", table_name="note")
