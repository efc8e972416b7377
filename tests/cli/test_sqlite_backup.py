"""SQLite backups: automatic, beside the file, before a migration on open; and by hand with
``auxot db backup PATH``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from cli.main import main
from core.db import HEAD_REVISION, MIGRATIONS_DIR, create_engine_for, open_database


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_an_older_sqlite_file_is_copied_before_it_is_migrated(tmp_path):
    path = tmp_path / "auxot.db"
    engine = create_engine_for(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    open_database(f"sqlite:///{path}").dispose()
    backup = tmp_path / "auxot.db.bak-0003"
    assert revision_of(path) == HEAD_REVISION
    assert revision_of(backup) == "0003"
    assert backup.stat().st_mode & 0o077 == 0
    # A database already at this version is opened without a copy.
    open_database(f"sqlite:///{path}").dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name) == [backup.name]


def test_db_backup_copies_a_sqlite_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'auxot.db'}"
    assert main(["init", "--db", url, "--workspace", "Acme", "--owner", "o@acme.example.com"]) == 0
    capsys.readouterr()
    target = tmp_path / "copies" / "auxot-copy.db"
    assert main(["db", "backup", str(target), "--db", url]) == 0
    assert capsys.readouterr().out.startswith("Copied the database")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM workspaces").fetchone()[0] == "Acme"
    assert main(["db", "backup", str(target), "--db", "postgresql+psycopg://x@127.0.0.1/x"]) == 1
    assert "pg_dump" in capsys.readouterr().err
