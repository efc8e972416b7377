"""The hot path of key verification: one prepared primary-key-style read per call.

Verification runs on every service-to-service request, so it skips the ORM session and the
pool checkout: each thread keeps one driver connection and runs one statement compiled once by
SQLAlchemy for the backend. Nothing is cached but the statement: every call reads the row.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, true

from core.db import Database
from core.models import Team, TeamApiKey, Workspace

# How long one verifying read may take on PostgreSQL before it fails (it takes well under a
# millisecond); the caller answers "try again" rather than waiting.
VERIFY_TIMEOUT_MS = 2000
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement that timed out

# One key as the verifier reads it, in the statement's column order: key pk, secret digest,
# team id, key name, revoked at, expires at, last used at, team name, team archived at, plan,
# rotated at, scope, quiet seconds.
# A plain tuple the caller unpacks: the cheapest shape for a row read on every request. Times
# arrive as the driver gives them (text on SQLite, datetimes on PostgreSQL); the verifier
# reads only those it needs, through ``moment``.
KeyRow = tuple[int, str, int, str, Any, Any, Any, str, Any, "str | None", Any, str, "int | None"]


def moment(value: Any) -> datetime:
    """A stored time as a datetime: SQLite's driver hands back the text, PostgreSQL's a
    datetime. Callers check for a missing (NULL) value first."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


class KeyLookup:
    def __init__(self, db: Database) -> None:
        self._db = db
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
                Workspace.plan,
                TeamApiKey.rotated_at,
                TeamApiKey.scope,
                TeamApiKey.quiet_seconds,
            )
            .join(Team, Team.id == TeamApiKey.team_id)
            # One workspace per database: joined on true, its plan costs no subquery.
            .join(Workspace, true())
            .where(TeamApiKey.key_id == bindparam("key_id"))
        )
        compiled = stmt.compile(dialect=db.engine.dialect)
        self._sql = str(compiled)
        # key_id is the statement's only parameter: positional or named, per the driver.
        self._named = not compiled.positiontup
        self._local = threading.local()

    def lookup(self, key_id: str) -> KeyRow | None:
        params: Any = {"key_id": key_id} if self._named else (key_id,)
        try:
            # sqlite3 and psycopg connections both execute on an implicit cursor.
            row = self._connection().execute(self._sql, params).fetchone()
        except Exception as error:  # the drivers' own error types differ
            # A dropped connection (a restarted server): start a new one, once. A read cut
            # off by the timeout is not tried again: the caller has waited long enough.
            self._drop()
            if getattr(error, "sqlstate", None) == QUERY_CANCELED:
                raise
            row = self._connection().execute(self._sql, params).fetchone()
        return row

    def ping(self) -> bool:
        """Whether the database answers, on this thread's verifying connection."""
        try:
            self._connection().execute("SELECT 1").fetchone()
        except Exception:  # noqa: BLE001 - any driver error means it does not answer
            self._drop()
            return False
        return True

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            fairy = self._db.engine.raw_connection()
            driver = fairy.driver_connection
            assert driver is not None  # a pooled connection always has its DBAPI connection
            if not self._db.is_sqlite:
                driver.autocommit = True  # each read sees the latest committed row
                # A read that waits (a lock, a stalled server) fails rather than holding up
                # the server that asked; verification is one indexed read.
                driver.execute(f"SET statement_timeout = {VERIFY_TIMEOUT_MS}")
            self._local.fairy, self._local.connection = fairy, driver
            connection = driver
        return connection

    def _drop(self) -> None:
        fairy = getattr(self._local, "fairy", None)
        self._local.fairy = self._local.connection = None
        if fairy is not None:
            with contextlib.suppress(Exception):  # it is being thrown away either way
                fairy.invalidate()
