"""Retention: since when a user has blocked the bot, so they can be deleted RETENTION_DAYS later.

Revision ID: 005
Revises: 004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "005"
down_revision: str | None = "004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Users already inactive get no date: the first retention sweep gives them one, so their
    # time starts then rather than at some guessed earlier day.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inactive_since", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_users_inactive_since"), ["inactive_since"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_inactive_since"))
        batch_op.drop_column("inactive_since")
