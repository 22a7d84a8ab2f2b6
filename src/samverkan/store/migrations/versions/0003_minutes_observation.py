"""What the participants' minutes show of the observation: a project setting from project.md.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(
            sa.Column("minutes_observation", sa.String(), nullable=False, server_default="group")
        )


def downgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.drop_column("minutes_observation")
