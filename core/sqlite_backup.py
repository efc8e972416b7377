"""A copy of a SQLite database, made with SQLite's own backup API (consistent even while
another process writes): by hand (``auxot db backup``) and before a migration on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from core.errors import ConfigError


def sqlite_path(engine: Engine) -> Path | None:
    """The file behind a SQLite engine; None for other databases and in-memory ones."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).expanduser()


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy the database ``source`` to ``target`` (replacing it), made readable only by its
    owner, as the database holds key fingerprints and invitations."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        target.chmod(0o600)
    except (sqlite3.Error, OSError) as error:
        raise ConfigError(f"Cannot back up the database {source} to {target}: {error}.") from None
    return target


def backup_before_migrating(engine: Engine, revision: str) -> Path | None:
    """Before migrating an existing SQLite file from ``revision``: a copy beside it,
    ``auxot.db.bak-REVISION`` (a later migration from the same revision replaces it)."""
    path = sqlite_path(engine)
    if path is None or not path.is_file():
        return None
    return backup_sqlite(path, path.with_name(f"{path.name}.bak-{revision}"))
