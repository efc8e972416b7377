"""Shared fixtures: a fresh database per test on SQLite always, and on PostgreSQL too when
``AUXOT_TEST_DATABASE_URL`` is set (an unreachable server then fails the run, never skips).

The suite runs in parallel (pytest-xdist, see pyproject.toml) and may run beside another
run of itself: whatever a test writes is private to its worker process, its PostgreSQL schema
named after the worker and made unique per run, its files under pytest's per-worker
temporary directory, its data directory and ``AUXOT_`` settings set for the whole session."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from core.db import Database, create_engine_for, upgrade
from core.models import Base
from core.services import Core
from core.views import Principal

# Fixtures shared by every layer: a real SMTP server on loopback.
pytest_plugins = ["tests.smtp_server"]

PG_URL = os.environ.get("AUXOT_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])
# "gw0", "gw1"... under xdist; "main" when the suite runs in one process (-n 0, -p no:xdist)
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """pyproject.toml asks for xdist's ``-n`` and ``--dist``; with xdist switched off
    (``-p no:xdist``) they are accepted here and mean nothing, so the suite runs in one
    process."""
    if pluginmanager.is_blocked("xdist"):
        group = parser.getgroup("xdist switched off")
        # xdist declares -n the same way: short lowercase options are reserved otherwise
        group._addoption("-n", "--numprocesses", dest="numprocesses", default=None)
        group.addoption("--dist", dest="dist", default="no")


@pytest.fixture(scope="session", autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No ``AUXOT_`` setting of the machine leaks in, and a Core built without settings keeps
    its secret key and outbox in this worker's own data directory, not the user's."""
    data_dir = tmp_path_factory.mktemp("auxot-data")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AUXOT_") and name != "AUXOT_TEST_DATABASE_URL":
                patch.delenv(name)
        patch.setenv("AUXOT_DATA_DIR", str(data_dir))
        yield data_dir


@pytest.fixture(autouse=True)
def private_preferences(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The app's preferences (the theme) start empty in every test, and never touch the
    user's own: a test that switches the theme leaves the next one dark."""
    folder = tmp_path_factory.mktemp("auxot-config", numbered=True)
    monkeypatch.setenv("AUXOT_CONFIG_DIR", str(folder))
    return folder


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = datetime(2026, 1, 15, 9, 30)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for every test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_engine_for(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A private schema for this worker of this run on the test server, migrated once,
    dropped at the end."""
    schema = f"auxot_test_{WORKER}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_psycopg(PG_URL))
    with admin.begin() as conn:  # fails loudly when the server is down
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{_psycopg(PG_URL)}{sep}options=-csearch_path%3D{schema}"
    engine = create_engine_for(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _psycopg(url: str) -> str:
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty, migrated database of each backend under test."""
    if request.param == "sqlite":
        path = tmp_path / "auxot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_schema_url")
    yield url
    _empty(request.getfixturevalue("pg_cleaner"))


@pytest.fixture(scope="session")
def pg_cleaner(pg_schema_url: str) -> Iterator[Engine]:
    """One connection that empties the schema after each test."""
    engine = create_engine_for(pg_schema_url)
    yield engine
    engine.dispose()


def _empty(engine: Engine) -> None:
    """Every row gone and every id counting from 1 again, as after TRUNCATE ... RESTART
    IDENTITY, but about ten times faster on tables this small (TRUNCATE makes new files)."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(
            text(
                "SELECT setval(format('%I', sequencename)::regclass, 1, false)"
                " FROM pg_sequences WHERE schemaname = current_schema()"
            )
        )


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(create_engine_for(db_url))
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def core(database: Database, clock: FakeClock) -> Core:
    return Core(database, clock)


@pytest.fixture
def owner(core: Core) -> Principal:
    """The workspace owner of a fresh business-plan workspace."""
    return core.init_workspace("Acme", "owner@acme.example.com", "Olive Owner", plan="business")
