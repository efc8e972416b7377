"""The service's counters in the Prometheus text format (version 0.0.4), per process."""

from __future__ import annotations

import bisect
from collections import Counter

# Latency buckets in seconds: the verify path takes tens of microseconds in process.
BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    def __init__(self) -> None:
        self.results: Counter[str] = Counter()  # verification result → count
        self.rate_limited = 0
        self._counts = [0] * (len(BUCKETS) + 1)  # the last one is +Inf
        self._sum = 0.0

    def observe(self, result: str, seconds: float) -> None:
        self.results[result] += 1
        self._counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self._sum += seconds

    def render(self, pending_uses: int) -> str:
        lines = [
            "# HELP auxot_key_verifications_total Key verifications by result.",
            "# TYPE auxot_key_verifications_total counter",
        ]
        lines += [
            f'auxot_key_verifications_total{{result="{result}"}} {count}'
            for result, count in sorted(self.results.items())
        ]
        lines += [
            "# HELP auxot_key_verify_seconds Time to answer a verification, in seconds.",
            "# TYPE auxot_key_verify_seconds histogram",
        ]
        running = 0
        for bound, count in zip((*BUCKETS, None), self._counts, strict=True):
            running += count
            le = "+Inf" if bound is None else repr(bound)
            lines.append(f'auxot_key_verify_seconds_bucket{{le="{le}"}} {running}')
        lines += [
            f"auxot_key_verify_seconds_sum {self._sum!r}",
            f"auxot_key_verify_seconds_count {running}",
            "# HELP auxot_key_rate_limited_total Failed verifications answered 429.",
            "# TYPE auxot_key_rate_limited_total counter",
            f"auxot_key_rate_limited_total {self.rate_limited}",
            "# HELP auxot_key_uses_pending Key uses noted but not yet written.",
            "# TYPE auxot_key_uses_pending gauge",
            f"auxot_key_uses_pending {pending_uses}",
        ]
        return "\n".join(lines) + "\n"
