"""What the benchmark scripts share: the 95th percentile as they report it, the load
average they print beside their figures, and a process's peak memory."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile: the sample at that rank of the sorted samples (no interpolation)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_text(*, five_minutes: bool = False) -> str:
    """The 1-minute load average (and the 5-minute one) with the CPU count, printed because
    other work on the machine shows in the figures."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    also = f" (5 min {five:.2f})" if five_minutes else ""
    return f"{one:.2f}{also} on {os.cpu_count()} CPUs"


def peak_mib() -> float:
    """This process's peak resident memory. (Not getrusage's ru_maxrss: on Linux that keeps
    the parent's peak across fork and exec.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
