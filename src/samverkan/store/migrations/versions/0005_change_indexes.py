"""Index notes and tags by ``updated_at``, so a screen following a meeting live reads
only the rows changed since its last look instead of every row of the meeting.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_note_updated", "note", ["updated_at"])
    op.create_index("ix_tag_updated", "tag", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_tag_updated", table_name="tag")
    op.drop_index("ix_note_updated", table_name="note")
