"""Coach: guided mode, variants and levels, pain before/after, notes, red flags, schedule days.

Revision ID: 002
Revises: 001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "002"
down_revision: str | None = "001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("days", sa.SmallInteger(), server_default="127", nullable=False)
        )
        batch_op.add_column(sa.Column("second_reminder_hours", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("red_flag_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("level_changed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recheck_offered_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("note_day", sa.Date(), nullable=True))

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pain_before", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("guided_step", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("timer_due_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("timer_exercise", sa.String(length=32), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_sessions_timer_due_at"), ["timer_due_at"], unique=False
        )

    op.create_table(
        "exercise_choices",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("slot", sa.String(length=32), nullable=False),
        sa.Column("exercise_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_exercise_choices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "slot", name=op.f("pk_exercise_choices")),
    )


def downgrade() -> None:
    op.drop_table("exercise_choices")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_timer_due_at"))
        batch_op.drop_column("timer_exercise")
        batch_op.drop_column("timer_due_at")
        batch_op.drop_column("guided_step")
        batch_op.drop_column("note")
        batch_op.drop_column("pain_before")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("note_day")
        batch_op.drop_column("recheck_offered_on")
        batch_op.drop_column("level_changed_on")
        batch_op.drop_column("red_flag_at")
        batch_op.drop_column("second_reminder_hours")
        batch_op.drop_column("days")
