"""memberships.member_key and a (team_id, member_key, user_id) index

A team's member list is in name order. With the name only on users, a page of a
20,000-member team sorted all 20,000 members first (about 30 ms on SQLite). The member's
name key, copied onto the membership and indexed with the team, gives a page straight
from the index. Account names do not change once made, so the copy stays true.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 22:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("member_key", sa.String(length=80), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE memberships SET member_key = "
        "(SELECT users.name_key FROM users WHERE users.id = memberships.user_id)"
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_memberships_team_id_member_key", ["team_id", "member_key", "user_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_team_id_member_key")
        batch_op.drop_column("member_key")
