"""Engine and session factory built from Settings; schema brought up to date on open.

Nothing connects at import time: callers build a :class:`Database` and inject it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError, DatabaseBusy
from core.release import this_release

# The newest Alembic revision. A test checks that it matches the migration scripts, so that
# opening a database only runs one small query instead of importing Alembic on every start.
HEAD_REVISION = "0008"

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# How long a SQLite writer waits for another one to finish before giving up, in ms.
BUSY_TIMEOUT_MS = 10_000

URL_HINT = "use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB"
NEWER_SCHEMA = (
    "The database was created by a newer version of Auxot (schema revision {revision}); "
    "upgrade Auxot to use it. Nothing changed."
)
NEWER_SCHEMA_RELEASE = (
    "The database was created by a newer version of Auxot (schema revision {revision}, from "
    "Auxot Teams {release}); upgrade Auxot to {release} or newer to use it. Nothing changed."
)


def known_revisions() -> set[str]:
    """The revisions this version has scripts for (each script is named after its id)."""
    return {path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("*.py")}


def _is_locked(error: OperationalError) -> bool:
    """SQLite's answer when another writer held the lock past the busy timeout."""
    return "database is locked" in str(error.orig) or "database table is locked" in str(error.orig)


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
            try:
                with session.begin():
                    session.connection(execution_options=options)
                    yield session
            except OperationalError as error:
                if self.is_sqlite and _is_locked(error):
                    raise DatabaseBusy() from None
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the raw DBAPI connection
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def invalid_url(url: str) -> ConfigError:
    """The one sentence for a database URL that cannot be read, naming where it came from."""
    return ConfigError(
        f"The database URL {url!r} (from --db or AUXOT_DATABASE_URL) is not valid; {URL_HINT}."
    )


CONNECT_TIMEOUT_SECONDS = 10


def create_engine_for(url: str, *, create_folder: bool = False) -> Engine:
    """An engine for ``url``, or one clear sentence about why the URL cannot be used.

    A SQLite file is created owner-only (0600) before SQLite opens it; SQLite gives its WAL
    and shared-memory files the same mode. Its folder is made only with ``create_folder``
    (the default data directory): a mistyped path is refused, not created."""
    invalid = invalid_url(url)
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ConfigError(
                f"The database {backend!r} is not supported; use SQLite or PostgreSQL."
            )
        if backend == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database).expanduser(), create_folder)
        connect_args = {}
        if backend == "postgresql" and "connect_timeout" not in parsed.query:
            # A server that does not answer is reported in seconds, not after TCP gives up.
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        engine = create_engine(
            parsed, pool_pre_ping=backend == "postgresql", connect_args=connect_args
        )
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"The database driver for {url!r} is missing: {exc}.") from None
    except (ArgumentError, ValueError):  # a malformed URL, a port that is not a number…
        raise invalid from None
    if backend == "sqlite":
        _sqlite_hooks(engine)
    return engine


def _private_file(path: Path, create_folder: bool) -> None:
    """Make an empty database file readable by its owner only, unless it exists."""
    if create_folder:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from None
    elif not path.parent.is_dir():
        raise ConfigError(
            f"The folder {path.parent} of the database does not exist; create it first, "
            "or correct --db or AUXOT_DATABASE_URL."
        )
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(f"Cannot create the database file {path}: {exc.strerror}.") from None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def release_of(engine: Engine, revision: str) -> str | None:
    """The release that brought ``revision``, as the database records it (None when it does
    not: a database from before releases were recorded, or a row that was never written)."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("schema_releases"):
                return None
            return _recorded_release(conn, revision)
    except SQLAlchemyError:
        return None


def _recorded_release(conn: Connection, revision: str) -> str | None:
    found = conn.execute(
        text("SELECT release FROM schema_releases WHERE revision = :revision"),
        {"revision": revision},
    ).scalar()
    return str(found) if found else None


def newer_schema(engine: Engine, revision: str) -> ConfigError:
    """The refusal of a schema this release has no script for, naming the release it needs
    where the database says."""
    release = release_of(engine, revision)
    if release is None:
        return ConfigError(NEWER_SCHEMA.format(revision=revision))
    return ConfigError(NEWER_SCHEMA_RELEASE.format(revision=revision, release=release))


def upgrade(engine: Engine) -> None:
    """Run every pending Alembic revision; refuse a schema newer than this version knows.
    The head revision is recorded as this release's (``schema_releases``)."""
    from alembic import command
    from alembic.config import Config

    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions():
        raise newer_schema(engine, revision)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    release = this_release()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        # A write only when there is one to make (a database at head may be locked by others).
        if release is not None and _recorded_release(conn, HEAD_REVISION) is None:
            conn.execute(
                text(
                    "INSERT INTO schema_releases (revision, release) VALUES (:revision, :release) "
                    "ON CONFLICT DO NOTHING"
                ),
                {"revision": HEAD_REVISION, "release": release},
            )


def backup_before_migrating(engine: Engine, revision: str) -> None:
    from core.sqlite_backup import backup_before_migrating as backup

    backup(engine, revision)


def open_database(
    url: str, *, auto_upgrade: bool | None = None, create_folder: bool = False
) -> Database:
    """Open ``url``. SQLite (and an empty PostgreSQL database) is upgraded on open; an older
    PostgreSQL schema asks for ``auxot db upgrade`` so that shared databases change on purpose."""
    engine = create_engine_for(url, create_folder=create_folder)
    try:
        revision = current_revision(engine)
        if revision is not None and revision not in known_revisions():
            raise newer_schema(engine, revision)
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
        if _is_locked(exc):
            raise DatabaseBusy() from None
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"Cannot open the database at {engine.url!r}: {reason}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise ConfigError(f"Cannot open the database: {exc.__class__.__name__}.") from None
    return Database(engine)
