"""schema_releases: the release of Auxot Teams that brought each schema revision

So that a release meeting a newer schema can say which release it needs, not only that one is
newer. Each release that upgrades a database records its own row (core.db.upgrade).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 23:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "schema_releases",
        sa.Column("revision", sa.String(length=32), nullable=False),
        sa.Column("release", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_schema_releases")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("schema_releases")
