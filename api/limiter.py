"""Failed verifications per caller address: a token bucket each, in this process's memory.

Each address may fail ``burst`` times at once and then ``rate`` times a second. Good keys
neither spend nor need tokens. With several servers each keeps its own buckets, so one
address may fail ``burst`` times on each."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

# Past this many addresses, full buckets (addresses that stopped failing) are forgotten.
MAX_TRACKED = 10_000


class FailureLimiter:
    def __init__(
        self, rate: float = 1.0, burst: float = 20.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, as of)

    def _tokens(self, address: str, now: float) -> float:
        tokens, then = self._buckets.get(address, (self.burst, now))
        return min(self.burst, tokens + (now - then) * self.rate)

    def retry_after(self, address: str) -> int:
        """Seconds until ``address`` may fail again; 0 when it may now."""
        now = self._clock()
        tokens = self._tokens(address, now)
        return 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) / self.rate))

    def failed(self, address: str) -> None:
        now = self._clock()
        self._buckets[address] = (max(0.0, self._tokens(address, now) - 1), now)
        if len(self._buckets) > MAX_TRACKED:
            self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        for address in [a for a in self._buckets if self._tokens(a, now) >= self.burst]:
            del self._buckets[address]
