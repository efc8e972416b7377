"""Last use of team keys, kept in memory and written in batches.

Verifying a key is a read. Writing its last use on the request path would cost a write
transaction (about 40 times the read), so each use is noted in a dictionary and a flush
writes the newest use of every key at once, off the request path: every few seconds in
``auxot serve-api``, and when a process that verified keys in-process ends.

Each process keeps its own notes; the database keeps the newest time any process flushed
(a flush never moves a key's last use backwards), so several servers on one database agree
to within one flush interval.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, or_, update

from core.db import Database
from core.models import TeamApiKey

# The column fits any IPv6 address with a zone; longer text is cut.
MAX_ADDRESS = 64


class KeyUsage:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        # key row id → (time, caller address) of its newest use not yet written.
        self._pending: dict[int, tuple[datetime, str | None]] = {}

    def note(self, key_pk: int, at: datetime, address: str | None) -> None:
        """Remember one use; costs a dictionary store."""
        with self._lock:
            self._pending[key_pk] = (at, address[:MAX_ADDRESS] if address else address)

    def last_use(self, key_pk: int) -> datetime | None:
        """This process's newest unwritten use of a key, if any."""
        with self._lock:
            noted = self._pending.get(key_pk)
        return noted[0] if noted else None

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write every noted use in one transaction; how many keys it wrote. On a database
        error the notes are kept (newer ones made meanwhile win) and the error is raised."""
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return 0
        rows = [{"pk": pk, "at": at, "address": address} for pk, (at, address) in batch.items()]
        stmt = (
            update(TeamApiKey)
            .where(TeamApiKey.id == bindparam("pk"))
            .where(
                or_(
                    TeamApiKey.last_used_at.is_(None),
                    TeamApiKey.last_used_at < bindparam("at"),
                )
            )
            .values(last_used_at=bindparam("at"), last_used_from=bindparam("address"))
        )
        try:
            with self._db.engine.begin() as connection:
                connection.execute(stmt, rows)
        except Exception:
            with self._lock:
                for pk, noted in batch.items():
                    newer = self._pending.get(pk)
                    if newer is None or newer[0] < noted[0]:
                        self._pending[pk] = noted
            raise
        return len(batch)


class Periodic:
    """A daemon thread that calls ``work`` every ``interval`` seconds until stopped, and once
    more on stopping (so a server's last uses are written at shutdown). A failing call is
    counted and tried again next time: flushing keeps its notes on an error."""

    def __init__(self, work: Callable[[], object], interval: float) -> None:
        self._work = work
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="key-usage-flush", daemon=True)
        self.errors = 0

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._once()

    def _once(self) -> None:
        try:
            self._work()
        except Exception:  # noqa: BLE001 - counted; the next call tries again
            self.errors += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._once()
