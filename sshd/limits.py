"""The server's limits: connections that have not signed in yet (in all and per source
address, as OpenSSH's MaxStartups), and live sessions (in all, per account, per connection).

Refused connections are logged as one summary line per interval, so that a flood of them
cannot flood the log too.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sshd.logs import log

SUMMARY_INTERVAL = 10.0  # seconds between two summary lines about refused connections


@dataclass(frozen=True)
class Limits:
    max_startups: int = 50
    max_startups_per_source: int = 10
    login_grace_time: float = 30.0
    max_sessions: int = 100
    max_sessions_per_account: int = 5
    max_sessions_per_connection: int = 3


class RefusalLog:
    """The first refusal of an interval is logged as it happens; the rest of that interval
    are counted and logged as one line when it ends."""

    def __init__(
        self, interval: float = SUMMARY_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self._window_start: float | None = None
        self._flush: asyncio.TimerHandle | None = None

    def note(self, reason: str) -> None:
        now = self.clock()
        if self._window_start is None or now - self._window_start >= self.interval:
            self.flush()
            self._window_start = now
            log.warning("refused a connection: %s", reason)
            return
        self.counts[reason] += 1
        if self._flush is None:
            remaining = self.interval - (now - self._window_start)
            self._flush = asyncio.get_running_loop().call_later(remaining, self.flush)

    def flush(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        if not self.counts:
            return
        total = sum(self.counts.values())
        reasons = "; ".join(f"{count} {reason}" for reason, count in self.counts.most_common())
        log.warning(
            "refused %d more connection(s) in the last %.0fs: %s", total, self.interval, reasons
        )
        self.counts.clear()


class StartupGate:
    """Counts connections that have not signed in yet, by source address."""

    def __init__(self, limits: Limits, refusals: RefusalLog) -> None:
        self.limits = limits
        self.refusals = refusals
        self.by_source: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_source.values())

    def admit(self, source: str) -> bool:
        """Take a place for a new connection from ``source``; False when there is none."""
        if self.total >= self.limits.max_startups:
            self.refusals.note(f"over the cap of {self.limits.max_startups} unauthenticated")
            return False
        if self.by_source[source] >= self.limits.max_startups_per_source:
            self.refusals.note(
                f"over the cap of {self.limits.max_startups_per_source} unauthenticated "
                f"per address (from {source})"
            )
            return False
        self.by_source[source] += 1
        return True

    def release(self, source: str) -> None:
        """The connection signed in or went away: its place is free."""
        self.by_source[source] -= 1
        if self.by_source[source] <= 0:
            del self.by_source[source]


def session_refusal(limits: Limits, in_all: int, of_account: int, of_connection: int) -> str | None:
    """Why one more session may not start, as the one line its client sees; None if it may."""
    if of_connection >= limits.max_sessions_per_connection:
        return (
            f"This connection already has {of_connection} sessions open, the most it may have; "
            "close one first."
        )
    if of_account >= limits.max_sessions_per_account:
        return (
            f"Your account already has {of_account} sessions open on this server, the most it "
            "may have; close one first."
        )
    if in_all >= limits.max_sessions:
        return "The server is at its limit of sessions; try again later."
    return None
