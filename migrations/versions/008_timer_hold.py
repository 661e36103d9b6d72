"""Guided timers per hold: which hold of the step the timer is for, and at which level.

Revision ID: 008
Revises: 006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "008"
down_revision: str | None = "007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timer_hold", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("timer_level", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("timer_level")
        batch_op.drop_column("timer_hold")
