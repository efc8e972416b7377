"""outbox_messages.claimed_by: which process is sending a message

A message being sent was held for five minutes whatever became of its sender, so after an
interrupted `auxot outbox flush` the next one found nothing waiting. The claim now names its
process (host, pid, the process's start time and a nonce): a claim whose process is gone on
this host is taken back at once; one from another host still lapses after its lease.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 12:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
