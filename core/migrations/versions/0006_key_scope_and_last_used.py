"""team_api_keys: scope, last_used_from, quiet_seconds

A key now carries its scope (full, what every existing key gets, or read), the address of
its last caller next to the time, and, for a rotation that ends itself, how long the old key
must go unused before it is revoked.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 12:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("team_api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_from", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("scope", sa.String(length=8), server_default="full", nullable=False)
        )
        batch_op.add_column(sa.Column("quiet_seconds", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("scope", "scope IN ('full', 'read')")
        batch_op.create_index("ix_team_api_keys_quiet_seconds", ["quiet_seconds"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("team_api_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_team_api_keys_quiet_seconds")
        batch_op.drop_constraint("scope", type_="check")
        batch_op.drop_column("quiet_seconds")
        batch_op.drop_column("scope")
        batch_op.drop_column("last_used_from")
