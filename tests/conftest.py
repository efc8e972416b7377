"""Shared fixtures: a fresh database per test on SQLite always, and on PostgreSQL too when
``AUXOT_TEST_DATABASE_URL`` is set (an unreachable server then fails the run, never skips)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.db import Database, create_engine_for, upgrade
from core.models import Base
from core.services import Core
from core.views import Principal

# Fixtures shared by every layer: a real SMTP server on loopback.
pytest_plugins = ["tests.smtp_server"]

PG_URL = os.environ.get("AUXOT_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


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
    """A private schema for this run on the test server, migrated once, dropped at the end."""
    schema = f"auxot_test_{uuid.uuid4().hex[:10]}"
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
    engine = create_engine_for(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


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
