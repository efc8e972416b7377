"""Engine and session factory built from Settings; schema brought up to date on open.

Nothing connects at import time: callers build a :class:`Database` and inject it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError

# The newest Alembic revision. A test checks that it matches the migration scripts, so that
# opening a database only runs one small query instead of importing Alembic on every start.
HEAD_REVISION = "0006"

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Database:
    """One engine and its session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(engine, expire_on_commit=False, autobegin=False)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[Session]:
        """A session inside one transaction. Writes on SQLite take the lock at BEGIN,
        so two writers queue instead of failing when one upgrades a read lock."""
        with self._sessions() as session:
            options = {"sqlite_begin": "IMMEDIATE" if write else "DEFERRED"}
            with session.begin():
                session.connection(execution_options=options)
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the raw DBAPI connection
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_engine_for(url: str) -> Engine:
    """An engine for ``url``, or one clear sentence about why the URL cannot be used."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"The database URL {url!r} is not valid; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB."
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"The database {backend!r} is not supported; use SQLite or PostgreSQL.")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=backend == "postgresql")
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(
            f"The database driver for {parsed.drivername!r} is missing: {exc}."
        ) from None
    if backend == "sqlite":
        _sqlite_hooks(engine)
    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Run every pending Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def backup_before_migrating(engine: Engine, revision: str) -> None:
    from core.sqlite_backup import backup_before_migrating as backup

    backup(engine, revision)


def open_database(url: str, *, auto_upgrade: bool | None = None) -> Database:
    """Open ``url``. SQLite (and an empty PostgreSQL database) is upgraded on open; an older
    PostgreSQL schema asks for ``auxot db upgrade`` so that shared databases change on purpose."""
    engine = create_engine_for(url)
    try:
        revision = current_revision(engine)
        if revision != HEAD_REVISION:
            allowed = auto_upgrade
            if allowed is None:
                allowed = engine.dialect.name == "sqlite" or revision is None
            if not allowed:
                raise ConfigError(
                    f"The database schema is at revision {revision}, this version needs "
                    f"{HEAD_REVISION}; run `auxot db upgrade`."
                )
            if revision is not None:
                backup_before_migrating(engine, revision)
            upgrade(engine)
    except ConfigError:
        engine.dispose()
        raise
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"Cannot open the database at {engine.url!r}: {reason}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise ConfigError(f"Cannot open the database: {exc.__class__.__name__}.") from None
    return Database(engine)
