"""Weekly summary: the user's chosen day and the instant of their next summary.

Revision ID: 003
Revises: 002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "003"
down_revision: str | None = "002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing users get the default day (Sunday); their first summary is planned at their
    # next daily session.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("summary_day", sa.SmallInteger(), server_default=sa.text("6"), nullable=True)
        )
        batch_op.add_column(sa.Column("next_summary_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_users_next_summary_at"), ["next_summary_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_next_summary_at"))
        batch_op.drop_column("next_summary_at")
        batch_op.drop_column("summary_day")
