"""The hot path of key verification: one prepared primary-key-style read per call.

Verification runs on every service-to-service request, so it skips the ORM session and the
pool checkout: each thread keeps one driver connection and runs one statement compiled once by
SQLAlchemy for the backend. Nothing is cached but the statement: every call reads the row.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select

from core.db import Database
from core.models import Team, TeamApiKey, Workspace


class KeyRow(NamedTuple):
    id: int
    secret_hash: str
    team_id: int
    name: str
    revoked_at: datetime | None
    expires_at: datetime | None
    last_used_at: datetime | None
    team_name: str
    archived_at: datetime | None
    plan: str | None


def _moment(value: Any) -> datetime | None:
    # SQLite's driver hands back the stored text; PostgreSQL's a datetime.
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


class KeyLookup:
    def __init__(self, db: Database) -> None:
        self._db = db
        # One workspace per database: an aggregate reads its plan without a LIMIT parameter.
        plan = select(func.min(Workspace.plan)).scalar_subquery()
        stmt = (
            select(
                TeamApiKey.id,
                TeamApiKey.secret_hash,
                TeamApiKey.team_id,
                TeamApiKey.name,
                TeamApiKey.revoked_at,
                TeamApiKey.expires_at,
                TeamApiKey.last_used_at,
                Team.name,
                Team.archived_at,
                plan,
            )
            .join(Team, Team.id == TeamApiKey.team_id)
            .where(TeamApiKey.key_id == bindparam("key_id"))
        )
        compiled = stmt.compile(dialect=db.engine.dialect)
        self._sql = str(compiled)
        # key_id is the statement's only parameter: positional or named, per the driver.
        self._named = not compiled.positiontup
        self._local = threading.local()

    def lookup(self, key_id: str) -> KeyRow | None:
        for attempt in (1, 2):
            connection = self._connection()
            try:
                params: Any = {"key_id": key_id} if self._named else (key_id,)
                # sqlite3 and psycopg connections both execute on an implicit cursor.
                row = connection.execute(self._sql, params).fetchone()
                break
            except Exception:
                # A dropped connection (a restarted server): start a new one, once.
                self._drop()
                if attempt == 2:
                    raise
        if row is None:
            return None
        return KeyRow(
            row[0], row[1], row[2], row[3], _moment(row[4]), _moment(row[5]), _moment(row[6]),
            row[7], _moment(row[8]), row[9],
        )  # fmt: skip

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            fairy = self._db.engine.raw_connection()
            driver = fairy.driver_connection
            if not self._db.is_sqlite:
                driver.autocommit = True  # each read sees the latest committed row
            self._local.fairy, self._local.connection = fairy, driver
            connection = driver
        return connection

    def _drop(self) -> None:
        fairy = getattr(self._local, "fairy", None)
        self._local.fairy = self._local.connection = None
        if fairy is not None:
            try:
                fairy.invalidate()
            except Exception:
                pass
