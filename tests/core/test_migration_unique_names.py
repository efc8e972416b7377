"""Revision 0005: unique live names and one workspace. A database that already holds
duplicates is not upgraded; the upgrade names each duplicate (table, name, rows)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text

from core.db import MIGRATIONS_DIR, create_engine_for, current_revision, open_database
from core.errors import ConfigError

PAST = "2026-01-01 00:00:00"
LATER = "2099-01-01 00:00:00"


@pytest.fixture
def at_0004(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A SQLite database at revision 0004 with a workspace, an owner and a team."""
    url = f"sqlite:///{tmp_path / 'auxot.db'}"
    engine = create_engine_for(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        conn.execute(
            text(
                "INSERT INTO workspaces (id, name, plan, created_at) VALUES (1, 'Acme', 'business', :t);"
            ),
            {"t": PAST},
        )
        conn.execute(
            text(
                "INSERT INTO users (id, email, email_key, display_name, name_key, workspace_role, "
                "status, created_at) VALUES (1, 'o@x.example', 'o@x.example', 'O', 'o', 'owner', "
                "'active', :t)"
            ),
            {"t": PAST},
        )
        conn.execute(
            text(
                "INSERT INTO teams (id, name, name_key, description, created_at) "
                "VALUES (7, 'Platform', 'platform', '', :t)"
            ),
            {"t": PAST},
        )
    yield url, engine
    engine.dispose()


def _key(engine: Engine, pk: int, name: str, expires_at: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO team_api_keys (id, team_id, name, key_id, secret_hash, created_at, "
                "expires_at) VALUES (:id, 7, :name, :kid, 'h', :t, :e)"
            ),
            {"id": pk, "name": name, "kid": f"k{pk}", "t": PAST, "e": expires_at},
        )


def _invitation(engine: Engine, pk: int, email: str, expires_at: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO invitations (id, team_id, email, email_key, role, token_hash, "
                "token_nonce, created_at, expires_at, status, delivery, attempts) VALUES "
                "(:id, 7, :e, :e, 'member', :h, 'n', :t, :x, 'pending', 'queued', 0)"
            ),
            {"id": pk, "e": email, "h": f"hash{pk}", "t": PAST, "x": expires_at},
        )


def test_existing_duplicates_are_listed_and_nothing_changes(
    at_0004: tuple[str, Engine],
) -> None:
    url, engine = at_0004
    _key(engine, 3, "Deploy")
    _key(engine, 4, "deploy ")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspaces (id, name, plan, created_at) VALUES (2, 'Acme 2', 'free', :t)"
            ),
            {"t": PAST},
        )
        for pk in (11, 12):
            conn.execute(
                text(
                    "INSERT INTO resources (id, kind, name, name_key, scope, team_id, body, "
                    "created_at) VALUES (:id, 'agent', 'Reviewer', 'reviewer', 'team', 7, '', :t)"
                ),
                {"id": pk, "t": PAST},
            )
    _invitation(engine, 21, "new@x.example", LATER)
    _invitation(engine, 22, "new@x.example", LATER)

    with pytest.raises(ConfigError) as raised:
        open_database(url)

    message = str(raised.value)
    assert message.startswith("The database holds rows that must be unique from this version on")
    assert "workspaces: 'Acme' / 'Acme 2', more than one workspace, in rows 1, 2" in message
    assert (
        "team_api_keys: 'Deploy' / 'deploy ', one name on several live keys "
        "(team 'Platform' (#7)), in rows 3, 4" in message
    )
    assert (
        "resources: 'Reviewer', one name twice in a team (team 'Platform' (#7), kind agent), "
        "in rows 11, 12" in message
    )
    assert "invitations: 'new@x.example', several pending invitations" in message
    assert "in rows 21, 22" in message
    # Stopped before changing anything: still at 0004, without the new column.
    assert current_revision(engine) == "0004"
    columns = {c["name"] for c in inspect(engine).get_columns("team_api_keys")}
    assert "name_key" not in columns


def test_rows_that_no_longer_count_do_not_block_the_upgrade(
    at_0004: tuple[str, Engine],
) -> None:
    """An expired key sharing a live key's name, and a lapsed invitation with a newer one,
    are not duplicates: the first counts as replaced, the second is marked expired."""
    url, engine = at_0004
    _key(engine, 3, "Deploy", expires_at=PAST)
    _key(engine, 4, "Deploy")
    _invitation(engine, 21, "new@x.example", PAST)
    _invitation(engine, 22, "new@x.example", LATER)

    open_database(url).dispose()

    with engine.connect() as conn:
        keys = conn.execute(
            text("SELECT id, name_key, rotated_at IS NOT NULL FROM team_api_keys ORDER BY id")
        ).all()
        invitations = conn.execute(text("SELECT id, status FROM invitations ORDER BY id")).all()
        singleton = conn.scalar(text("SELECT singleton FROM workspaces"))
    assert [tuple(k) for k in keys] == [(3, "deploy", True), (4, "deploy", False)]
    assert [tuple(i) for i in invitations] == [(21, "expired"), (22, "pending")]
    assert singleton == 1
