"""UI benchmark: the app on a large workspace, beside a minimal Textual app, headless.

    .venv/bin/python benchmarks/ui_bench.py                  # SQLite and PostgreSQL
    .venv/bin/python benchmarks/ui_bench.py --no-postgres
    .venv/bin/python benchmarks/ui_bench.py --reseed         # rebuild the cached data sets
    .venv/bin/python benchmarks/ui_bench.py --postgres postgresql+psycopg://USER@HOST:PORT/DB

The data set is `auxot seed --teams 10000 --users 100000 --members-per-team 50` plus one
team of 20,000 members. It is seeded once and kept: a SQLite file under --cache, and a
PostgreSQL database of its own (auxot_ui_bench, created through the --postgres server;
--drop-after removes it at the end). Every figure is measured with Textual's run_test in
a fresh process, and the floor (a minimal Textual app: a Header, a 50-row DataTable and a
Footer) is measured in the same run, alternating with the app. Prints one table; not part
of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _measure import load_text, p95
from ui_data import drop_postgres, postgres_url, small_args, sqlite_url
from ui_scenarios import run_floor, run_scenario, run_start

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# -- figures and the table ------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str
    samples: list[float]  # milliseconds, or MiB for memory

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)


def p95_row(figure: Figure, target: float) -> tuple[str, str]:
    ok = "ok" if figure.p95 <= target else "MISS"
    return f"{figure.p95:.0f} ms (median {figure.median:.0f}) {ok}", f"<= {target:.0f} ms"


def ratio_row(ours: Figure, floor: Figure, unit: str) -> tuple[str, str]:
    ratio = ours.median / floor.median
    ok = "ok" if ratio <= 1.5 else "MISS"
    return f"{ours.median:.0f} {unit} = {ratio:.2f}x floor {ok}", "<= 1.5x floor"


def print_table(results: dict[str, dict[str, Figure]], runs: dict[str, int]) -> None:
    backends = list(results)
    rows: list[tuple[str, ...]] = [("figure", *backends, "target")]

    def add(name: str, cells: list[tuple[str, str]]) -> None:
        rows.append((name, *[cell for cell, _ in cells], cells[0][1] if cells else ""))

    def each(fn: Callable[[dict[str, Figure]], tuple[str, str]]) -> list[tuple[str, str]]:
        return [fn(results[backend]) for backend in backends]

    add(
        "floor: start to first frame (minimal app)",
        each(lambda r: (f"{r['floor_start'].median:.0f} ms", "")),
    )
    add(
        "start to first frame of the team list",
        each(lambda r: ratio_row(r["start_frame"], r["floor_start"], "ms")),
    )
    add(
        "  and to its first rows (the database opened behind the first frame)",
        each(lambda r: (f"{r['start_rows'].median:.0f} ms", "")),
    )
    add("filter keystroke to updated list, p95", each(lambda r: p95_row(r["filter"], 50)))
    add(
        "floor: push a screen (Header, 50-row DataTable, Footer) to its rows, p95",
        each(lambda r: (f"{r['floor_push'].p95:.0f} ms (median {r['floor_push'].median:.0f})", "")),
    )
    add(
        "open the 20,000-member team to first rows, p95",
        each(lambda r: p95_row(r["open_team"], 150)),
    )
    add("End key to last rows of that team, p95", each(lambda r: p95_row(r["end_key"], 150)))
    add("role change key press to updated row, p95", each(lambda r: p95_row(r["role_change"], 50)))
    add(
        "floor: peak memory (minimal app)",
        each(lambda r: (f"{r['floor_memory'].median:.0f} MiB", "")),
    )
    add(
        "peak memory with the data set",
        each(lambda r: ratio_row(r["memory"], r["floor_memory"], "MiB")),
    )
    add(
        "  the same run on 50 teams / 1,000 people",
        each(lambda r: (f"{r['small_memory'].median:.0f} MiB" if "small_memory" in r else "", "")),
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(rows[0])) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(row)) + " |")
    print()
    print("samples per figure: " + ", ".join(f"{k} {v}" for k, v in runs.items()))


# -- child processes ------------------------------------------------------------------------


def child(mode: str, *extra: str) -> dict[str, Any]:
    """Run this script as ``--child mode`` in a fresh interpreter; its JSON answer, with
    ``started`` (time.monotonic() just before the process was made)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", mode, *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {mode} failed:\n{done.stderr[-3000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    answer["started"] = started
    return answer


# -- the run --------------------------------------------------------------------------------


def measure(url: str, args: argparse.Namespace, small_url: str | None) -> dict[str, Figure]:
    floor_start, floor_memory, start_frame, start_rows = [], [], [], []
    floor_push: list[float] = []
    for _ in range(args.starts):  # alternate, so a busy moment hits both alike
        floor = child("floor")
        floor_start.append((floor["frame"] - floor["started"]) * 1000)
        floor_memory.append(floor["memory"])
        floor_push.extend(floor["pushed"])
        ours = child("start", url)
        start_frame.append((ours["frame"] - ours["started"]) * 1000)
        start_rows.append((ours["rows"] - ours["started"]) * 1000)
    scenario = child("scenario", url, str(args.runs))
    small: dict[str, Figure] = {}
    if small_url is not None:
        small["small_memory"] = Figure(
            "memory, small", [child("scenario", small_url, str(args.runs))["memory"]]
        )
    return {
        **small,
        "floor_start": Figure("floor start", floor_start),
        "floor_push": Figure("floor push", floor_push),
        "floor_memory": Figure("floor memory", floor_memory),
        "start_frame": Figure("start to first frame", start_frame),
        "start_rows": Figure("start to first rows", start_rows),
        "filter": Figure("filter", scenario["filter"]),
        "open_team": Figure("open team", scenario["open_team"]),
        "end_key": Figure("end key", scenario["end_key"]),
        "role_change": Figure("role change", scenario["role_change"]),
        "memory": Figure("memory", [scenario["memory"]]),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--members-per-team", type=int, default=50)
    parser.add_argument("--big-team", type=int, default=20_000, metavar="N")
    parser.add_argument(
        "--cache", default="/tmp/auxot-ui-bench", help="where the SQLite file is kept"
    )
    parser.add_argument("--reseed", action="store_true", help="seed the data sets again")
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        metavar="URL",
        help="a server to create the benchmark's own database on",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--drop-after",
        action="store_true",
        help="drop the PostgreSQL database at the end instead of keeping it",
    )
    parser.add_argument("--starts", type=int, default=7, help="cold starts of each app")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each interaction")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        mode, *rest = args.child
        if mode == "floor":
            answer = run_floor()
        elif mode == "start":
            answer = run_start(rest[0])
        else:
            answer = run_scenario(rest[0], int(rest[1]))
        print(json.dumps(answer))
        return 0
    print(
        f"Auxot UI benchmark: {args.teams:,} teams x {args.members_per_team} members, "
        f"{args.users:,} users, one {args.big_team:,}-member team; Python "
        f"{sys.version.split()[0]}; load average {load_text(five_minutes=True)}",
        flush=True,
    )
    urls = {"SQLite": sqlite_url(args)}
    small_url = sqlite_url(small_args(args))
    if not args.no_postgres:
        urls["PostgreSQL"] = postgres_url(args)
    results: dict[str, dict[str, Figure]] = {}
    try:
        for name, url in urls.items():
            print(f"measuring on {name} (load {load_text(five_minutes=True)}) ...", flush=True)
            results[name] = measure(url, args, small_url if name == "SQLite" else None)
    finally:
        if args.drop_after and not args.no_postgres:
            drop_postgres(args)
    print(f"\nload average at the end: {load_text(five_minutes=True)}\n")
    print_table(
        results,
        {
            "starts": args.starts,
            "filter keystrokes": len(next(iter(results.values()))["filter"].samples),
            "team opens, End keys, role changes": args.runs,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
