"""unique live names and one workspace, enforced by the database

Names the product says are unique become unique indexes over live rows: a key name among a
team's live keys (a new name_key column holds the key the services compare), a resource name
per kind in its scope (team, workspace or account), one pending invitation per person and
team. The workspaces table gets a singleton column that must be 1 and is unique, so a second
workspace cannot be made even by two `auxot init` runs at once.

Rows that no longer count do not block: an expired key that shares its name with another
live key counts as replaced (its status still reads expired), and a lapsed pending invitation
with a newer one for the same person and team is marked expired. Any duplicate left is
listed (table, name, row ids) and the upgrade stops before changing anything.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 12:40:00

"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from core.errors import ConfigError
from core.validation import name_key

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_KEY = "revoked_at IS NULL AND rotated_at IS NULL"


def upgrade() -> None:
    """Upgrade schema."""
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    with op.batch_alter_table("team_api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_key", sa.String(length=80), server_default="", nullable=False)
        )
    for key_pk, name in conn.execute(sa.text("SELECT id, name FROM team_api_keys")).all():
        conn.execute(
            sa.text("UPDATE team_api_keys SET name_key = :key WHERE id = :id"),
            {"key": name_key(name), "id": key_pk},
        )
    _retire_superseded_rows(conn, now)
    duplicates = _duplicates(conn)
    if duplicates:
        raise ConfigError(
            "The database holds rows that must be unique from this version on; rename or "
            "remove all but one of each, then upgrade again:\n  " + "\n  ".join(duplicates)
        )
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("singleton", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
        batch_op.create_check_constraint("one_workspace", "singleton = 1")
        batch_op.create_unique_constraint(batch_op.f("uq_workspaces_singleton"), ["singleton"])
    _unique_index(
        "team_api_keys", "uq_team_api_keys_live_team_id_name_key", ["team_id", "name_key"], LIVE_KEY
    )
    _unique_index(
        "resources",
        "uq_resources_team_kind_name_key",
        ["team_id", "kind", "name_key"],
        "scope = 'team'",
    )
    _unique_index(
        "resources",
        "uq_resources_workspace_kind_name_key",
        ["kind", "name_key"],
        "scope = 'workspace'",
    )
    _unique_index(
        "resources",
        "uq_resources_user_owner_id_kind_name_key",
        ["owner_id", "kind", "name_key"],
        "scope = 'user'",
    )
    _unique_index(
        "invitations",
        "uq_invitations_pending_team_id_email_key",
        ["team_id", "email_key"],
        "status = 'pending'",
    )


def downgrade() -> None:
    """Downgrade schema."""
    for table, index in (
        ("invitations", "uq_invitations_pending_team_id_email_key"),
        ("resources", "uq_resources_user_owner_id_kind_name_key"),
        ("resources", "uq_resources_workspace_kind_name_key"),
        ("resources", "uq_resources_team_kind_name_key"),
        ("team_api_keys", "uq_team_api_keys_live_team_id_name_key"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_workspaces_singleton"), type_="unique")
        batch_op.drop_constraint("one_workspace", type_="check")
        batch_op.drop_column("singleton")
    with op.batch_alter_table("team_api_keys", schema=None) as batch_op:
        batch_op.drop_column("name_key")


def _unique_index(table: str, name: str, columns: list[str], where: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(
            name,
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def _retire_superseded_rows(conn: sa.Connection, now: datetime) -> None:
    """Mark rows that share a name with a live one but no longer count themselves, as the
    services do from this version on."""
    conn.execute(
        sa.text(
            "UPDATE team_api_keys SET rotated_at = expires_at "
            f"WHERE {LIVE_KEY} AND expires_at <= :now AND EXISTS ("
            " SELECT 1 FROM team_api_keys other WHERE other.id <> team_api_keys.id"
            " AND other.team_id = team_api_keys.team_id"
            " AND other.name_key = team_api_keys.name_key"
            " AND other.revoked_at IS NULL AND other.rotated_at IS NULL)"
        ),
        {"now": now},
    )
    conn.execute(
        sa.text(
            "UPDATE invitations SET status = 'expired' "
            "WHERE status = 'pending' AND expires_at <= :now AND EXISTS ("
            " SELECT 1 FROM invitations newer WHERE newer.id > invitations.id"
            " AND newer.team_id = invitations.team_id"
            " AND newer.email_key = invitations.email_key AND newer.status = 'pending')"
        ),
        {"now": now},
    )


# What each new unique index covers: the table, the grouping columns, the live rows, and how
# a group reads in the listing.
_GROUPS = (
    ("workspaces", "1", "1 = 1", "name", "more than one workspace"),
    ("team_api_keys", "team_id, name_key", LIVE_KEY, "name", "one name on several live keys"),
    ("resources", "team_id, kind, name_key", "scope = 'team'", "name", "one name twice in a team"),
    ("resources", "kind, name_key", "scope = 'workspace'", "name", "one name twice workspace-wide"),
    (
        "resources",
        "owner_id, kind, name_key",
        "scope = 'user'",
        "name",
        "one name twice for an account",
    ),
    (
        "invitations",
        "team_id, email_key",
        "status = 'pending'",
        "email",
        "several pending invitations",
    ),
)


def _duplicates(conn: sa.Connection) -> list[str]:
    """One line per group of rows that a new unique index would refuse."""
    lines = []
    for table, group_by, where, label_column, rule in _GROUPS:
        groups = conn.execute(
            sa.text(
                f"SELECT {group_by} FROM {table} WHERE {where} "  # names from _GROUPS only
                f"GROUP BY {group_by} HAVING COUNT(*) > 1"
            )
        ).all()
        columns = [c.strip() for c in group_by.split(",")]
        for group in groups:
            match = " AND ".join(
                f"{column} = :v{n}" for n, column in enumerate(columns) if column != "1"
            )
            values = {f"v{n}": value for n, value in enumerate(group)}
            rows = conn.execute(
                sa.text(
                    f"SELECT id, {label_column} FROM {table} "  # names from _GROUPS only
                    f"WHERE {where}{' AND ' + match if match else ''} ORDER BY id"
                ),
                values,
            ).all()
            ids = ", ".join(str(row[0]) for row in rows)
            names = sorted({str(row[1]) for row in rows})
            shown = " / ".join(repr(name) for name in names)
            context = _context(conn, columns, group)
            lines.append(f"{table}: {shown}, {rule}{context}, in rows {ids}")
    return lines


def _context(conn: sa.Connection, columns: list[str], group: sa.Row) -> str:
    parts = []
    for column, value in zip(columns, group, strict=True):
        if column == "team_id":
            team = conn.scalar(sa.text("SELECT name FROM teams WHERE id = :id"), {"id": value})
            parts.append(f"team {team!r} (#{value})")
        elif column == "owner_id":
            parts.append(f"account #{value}")
        elif column == "kind":
            parts.append(f"kind {value}")
    return f" ({', '.join(parts)})" if parts else ""
