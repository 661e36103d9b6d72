"""Triage and privacy: consent before health data, the age band, the tiered red-flag screen.

Revision ID: 007
Revises: 006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "007"
down_revision: str | None = "006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table("users", sa.column("screen", sa.String(24)))


def upgrade() -> None:
    # privacy_agreed_at stays NULL for users created before this revision: an agreement is
    # recorded only when it was given. They see the notice (and tap "I agree") before their
    # next health question (a quiz retake, the re-check, or the rest of an unfinished
    # onboarding); backfilling "agreed at migration time" would claim a consent never asked.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_agreed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("age_band", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("cleared_at", sa.DateTime(), nullable=True))
        # The tiered screen's states ("ask_doctor_today") do not fit in eight characters.
        batch_op.alter_column(
            "screen", existing_type=sa.String(length=8), type_=sa.String(length=24)
        )
    # The old single-question screen's "flagged" answered a different list of flags: ask the
    # tiered screen again, which routes each flag to its own advice. "clear" and "cleared"
    # keep their meaning (the re-screen at the next retake asks the new flags anyway).
    op.execute(users.update().where(users.c.screen == "flagged").values(screen="pending"))


def downgrade() -> None:
    # The tiered states fold back into the old four: a stop at any tier is "flagged".
    stopped = ("emergency_now", "doctor_today", "book_first", "young")
    op.execute(users.update().where(users.c.screen.in_(stopped)).values(screen="flagged"))
    asking = ("ask_doctor_today", "ask_book_first")
    op.execute(users.update().where(users.c.screen.in_(asking)).values(screen="pending"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "screen", existing_type=sa.String(length=24), type_=sa.String(length=8)
        )
        batch_op.drop_column("cleared_at")
        batch_op.drop_column("age_band")
        batch_op.drop_column("privacy_agreed_at")
