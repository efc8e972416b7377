"""Core benchmark: seed a large workspace, then time the calls a screen makes.

    .venv/bin/python benchmarks/core_bench.py                 # full size, temp SQLite file
    .venv/bin/python benchmarks/core_bench.py --teams 500 --users 5000 --big-team 1000
    .venv/bin/python benchmarks/core_bench.py --db postgresql+psycopg://USER@HOST/DB

Prints one table: each figure with its target. Not part of the test suite. A --db database
must be empty (the workspace is seeded into it).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _measure import load_text, p95

from core.db import open_database
from core.seeding import SEED_OWNER_EMAIL, seed_workspace
from core.services import Core

PAGE = 50


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    cpu_ms: float  # median process CPU time: the code's own cost, apart from a busy machine
    target_ms: float

    @property
    def ok(self) -> bool:
        return self.p95_ms <= self.target_ms


def timed(call: Callable[[], object], runs: int, warmup: int = 3) -> tuple[float, float, float]:
    """Median and 95th percentile wall time of ``runs`` calls after a warm-up, and the median
    CPU time, in milliseconds."""
    for _ in range(warmup):
        call()
    gc.collect()  # each figure starts from a clean heap: no collection left over from the last
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(samples), p95(samples), statistics.median(cpu)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", metavar="URL", help="an empty database (default: a temp SQLite file)"
    )
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--members-per-team", type=int, default=50)
    parser.add_argument(
        "--big-team",
        type=int,
        default=5_000,
        metavar="N",
        help="members of the one large team (default 5000)",
    )
    parser.add_argument("--runs", type=int, default=50, help="timed calls per figure")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, url: str) -> list[Figure]:
    db = open_database(url)
    try:
        seeded = seed_workspace(
            db, args.teams, args.users, args.members_per_team, big_team_members=args.big_team
        )
        print(
            f"seeded {seeded.users:,} users, {seeded.teams:,} teams, "
            f"{seeded.memberships:,} memberships in {seeded.seconds:.1f} s",
            flush=True,
        )
        core = Core(db)
        owner = core.principal_for(SEED_OWNER_EMAIL)
        figures = [Figure("seed (s)", seeded.seconds, seeded.seconds, 0.0, 60.0)]

        teams = timed(lambda: core.list_teams(owner, limit=PAGE), args.runs)
        figures.append(Figure(f"team list, page of {PAGE} with counts", *teams, 20.0))

        big = core.list_teams(owner, "All Hands").items[0]
        members = timed(lambda: core.list_members(owner, big.id, limit=PAGE), args.runs)
        figures.append(
            Figure(
                f"member list of {big.member_count:,}-member team, page of {PAGE}", *members, 20.0
            )
        )

        # A plain member somewhere in the big team, switched member <-> admin on every call.
        target = core.list_members(owner, big.id, offset=big.member_count // 2, limit=1).items[0]
        roles = iter(["admin", "member"] * (args.runs + 10))
        change = timed(
            lambda: core.change_role(owner, big.id, target.email, next(roles)), args.runs
        )
        figures.append(Figure("change_role member <-> admin", *change, 10.0))
        return figures
    finally:
        db.dispose()


def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "median", "p95", "cpu median", "target", "")]
    for f in figures:
        if f.name.startswith("seed"):
            rows.append(
                (
                    f.name,
                    f"{f.median_ms:.1f} s",
                    "",
                    "",
                    f"<= {f.target_ms:.0f} s",
                    "ok" if f.ok else "MISS",
                )
            )
        else:
            rows.append(
                (
                    f.name,
                    f"{f.median_ms:.2f} ms",
                    f"{f.p95_ms:.2f} ms",
                    f"{f.cpu_ms:.2f} ms",
                    f"<= {f.target_ms:.0f} ms",
                    "ok" if f.ok else "MISS",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"Auxot core benchmark: {args.teams:,} teams x {args.members_per_team} members, "
        f"{args.users:,} users, one {args.big_team:,}-member team; Python {sys.version.split()[0]}; "
        f"load average {load_text()}",
        flush=True,
    )
    if args.db:
        figures = run(args, args.db)
    else:
        with tempfile.TemporaryDirectory(prefix="auxot-bench-") as folder:
            figures = run(args, f"sqlite:///{Path(folder) / 'bench.db'}")
    print()
    print_table(figures)
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
