"""Language per user: the content language the bot writes in (issue 15).

A new user's is stored by /start: the one Telegram reports when supported, else English;
/language changes it. Users from before keep English, the only language they have had, so
replies and scheduled sessions agree.

Revision ID: 009
Revises: 006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "009"
down_revision: str | None = "008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    op.execute("UPDATE users SET language = 'en'")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
