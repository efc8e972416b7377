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
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]
OWNER = "owner@seed.example.com"  # core.seeding.SEED_OWNER_EMAIL, without importing core here
SIZE = (120, 36)
REACTION = 0.3  # seconds between seeing rows and pressing the next key (see reaction())
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DATABASE = "auxot_ui_bench"


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
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


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


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} (5 min {five:.2f}) on {os.cpu_count()} CPUs"


# -- the data sets --------------------------------------------------------------------------


SMALL = {"teams": 50, "users": 1_000, "members_per_team": 10, "big_team": 500}


def small_args(args: argparse.Namespace) -> argparse.Namespace:
    """The same run on a small workspace: the app's memory without the data set."""
    return argparse.Namespace(**{**vars(args), **SMALL})


def sqlite_url(args: argparse.Namespace) -> str:
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / (
        f"ui-bench-{args.teams}-{args.users}-{args.members_per_team}-{args.big_team}.db"
    )
    url = f"sqlite:///{path}"
    if path.exists() and not args.reseed:
        return url
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    seed(url, args)
    return url


def postgres_url(args: argparse.Namespace) -> str:
    """A database of the benchmark's own on the --postgres server, seeded once."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.postgres).set(drivername="postgresql+psycopg")
    url = server.set(database=PG_DATABASE).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": PG_DATABASE}
            )
            if exists and (args.reseed or not seeded_as_asked(url, args)):
                conn.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                exists = False
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
                seed(url, args)
    finally:
        admin.dispose()
    # Seeded by an earlier version: its schema brought up to this one, as `auxot db upgrade`.
    from core.db import open_database

    open_database(url, auto_upgrade=True).engine.dispose()
    return url


def drop_postgres(args: argparse.Namespace) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.postgres).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    admin.dispose()


def seeded_as_asked(url: str, args: argparse.Namespace) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            teams = conn.scalar(text("SELECT count(*) FROM teams"))
            users = conn.scalar(text("SELECT count(*) FROM users"))
    except Exception:  # noqa: BLE001 - a half-made database is simply made again
        return False
    finally:
        engine.dispose()
    return teams == args.teams + 1 and users == args.users + 1


def seed(url: str, args: argparse.Namespace) -> None:
    from core.db import open_database
    from core.seeding import seed_workspace

    print(f"seeding {url} ...", flush=True)
    db = open_database(url, auto_upgrade=True)
    try:
        result = seed_workspace(
            db, args.teams, args.users, args.members_per_team, big_team_members=args.big_team
        )
        if db.is_sqlite:
            import sqlite3

            with sqlite3.connect(db.engine.url.database) as conn:  # type: ignore[arg-type]
                conn.execute("ANALYZE")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # What autovacuum does on a live server soon after a bulk load: statistics and
            # the visibility map (for index-only scans).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        print(
            f"seeded {result.users:,} users, {result.teams:,} teams, "
            f"{result.memberships:,} memberships in {result.seconds:.1f} s",
            flush=True,
        )
    finally:
        db.dispose()


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


def peak_mib() -> float:
    """This process's peak resident memory. (Not getrusage's ru_maxrss: on Linux that keeps
    the parent's peak across fork and exec.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Frames:
    """When the app last put a frame together. Headless, Textual still composes every
    update (each widget's lines) and hands it to ``App._display``; only the terminal write
    is skipped. Timing to a frame times what a person would see."""

    def __init__(self, app: Any) -> None:
        self.at = 0.0  # time.monotonic() of the last frame
        self.log: list[tuple[float, str]] = []  # (time, screen class) of the first frames
        self.showing: Callable[[], bool] | None = None  # what a frame is awaited to show
        self.shown = 0.0  # the first frame made while ``showing`` held
        shown = app._display

        def display(screen: Any, renderable: Any) -> None:
            shown(screen, renderable)
            if renderable is not None:
                self.at = time.monotonic()
                if len(self.log) < 100:
                    self.log.append((self.at, type(screen).__name__))
                # Asked right after the frame is made, before anything else runs: what
                # holds now is what the frame was made from.
                if self.showing is not None and self.showing():
                    self.shown, self.showing = self.at, None

        app._display = display

    def first_of(self, screen: str) -> float | None:
        return next((at for at, name in self.log if name == screen), None)

    async def next(self, after: float) -> float:
        """The time of the first frame made after ``after``."""
        await until(lambda: self.at > after)
        return self.at

    def watch(self, condition: Callable[[], bool]) -> None:
        """Look out for the first frame from now that is made while ``condition`` holds."""
        self.shown, self.showing = 0.0, condition

    async def first_showing(self) -> float:
        """The time of that frame."""
        await until(lambda: self.showing is None)
        return self.shown


def press(app: Any, key: str) -> None:
    """A key press as the terminal sends it, without Pilot's wait for an idle process (which
    waits for the CPU to go quiet: on a busy machine that is most of what it would time)."""
    from textual import events

    char = {"space": " "}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)


async def reaction(pilot: Any) -> None:
    """The pause before a person's next key: they react to what the last one brought
    (a few hundred milliseconds), so that key does not land on the tail of the last."""
    await pilot.pause(REACTION)
    await pilot.pause()


async def settle_frames(pilot: Any) -> None:
    """Let a popped screen finish going (its header's callbacks run) before the next key."""
    await pilot.pause(REACTION)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def timed(frames: Frames, action: Callable[[], None], done: Callable[[], bool]) -> float:
    """Milliseconds from ``action`` to the first frame made once ``done`` holds. (Not the
    first frame after this coroutine sees ``done``: it runs among the app's own tasks and
    may see it a frame late.)"""
    started = time.monotonic()
    frames.watch(done)
    action()
    return (await frames.first_showing() - started) * 1000


def run_floor(pushes: int = 5) -> dict[str, Any]:
    """The floor: a Header, a 50-row DataTable and a Footer; when its first frame is up.
    Then the same pushed as a screen ``pushes`` times: a key to the frame with its rows."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header

    def widgets() -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def fill(table: DataTable[str]) -> None:
        table.add_columns("Name", "Description", "Members", "Your role")
        for n in range(50):
            table.add_row(f"Team {n:02d}", "A team of the floor app", str(n), "Owner")

    class Pushed(Screen[None]):
        BINDINGS: ClassVar = [("escape", "app.pop_screen", "Back")]

        def compose(self) -> ComposeResult:
            return widgets()

        def on_mount(self) -> None:
            fill(self.query_one(DataTable))

    class Floor(App[None]):
        BINDINGS: ClassVar = [("o", "open", "Open")]

        def compose(self) -> ComposeResult:
            return widgets()

        def on_mount(self) -> None:
            fill(self.query_one(DataTable))

        def action_open(self) -> None:
            self.push_screen(Pushed())

    async def main() -> dict[str, Any]:
        app = Floor()
        frames = Frames(app)
        pushed: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            table = app.query_one(DataTable)
            await until(lambda: table.row_count == 50)
            frame = await frames.next(0)
            for _ in range(pushes):
                await reaction(pilot)

                def shown() -> bool:
                    if not isinstance(app.screen, Pushed):
                        return False
                    tables = app.screen.query(DataTable)
                    return bool(tables) and tables.first().row_count == 50

                pushed.append(await timed(frames, partial(press, app, "o"), shown))
                await reaction(pilot)
                await pilot.press("escape")
                await until(lambda: not isinstance(app.screen, Pushed))
                await settle_frames(pilot)
        return {"frame": frame, "memory": peak_mib(), "pushed": pushed}

    return asyncio.run(main())


def build_app(url: str):  # type: ignore[no-untyped-def]
    """The app as `auxot --db URL --user OWNER tui` runs it (without its terminal check):
    it connects (settings, database, account) in a worker behind its first frame."""
    from functools import partial

    from cli.commands.app import connect
    from cli.context import Context
    from cli.main import build_parser
    from tui.app import AuxotApp

    ctx = Context(build_parser().parse_args(["--db", url, "--user", OWNER, "tui"]))
    return AuxotApp.connecting(partial(connect, ctx))


def run_start(url: str) -> dict[str, Any]:
    """Start the app: when the team list's first frame is up, and when its first rows are."""

    async def main() -> dict[str, Any]:
        from tui.screens.team_list import TeamListScreen, TeamTable

        app = build_app(url)
        frames = Frames(app)

        def rows_shown() -> bool:
            screen = app.screen
            return isinstance(screen, TeamListScreen) and (
                screen.query_one(TeamTable).row_at(0) is not None
            )

        frames.watch(rows_shown)
        async with app.run_test(size=SIZE):
            rows = await frames.first_showing()
        return {"frame": frames.first_of("TeamListScreen"), "rows": rows, "memory": peak_mib()}

    return asyncio.run(main())


def run_scenario(url: str, runs: int) -> dict[str, Any]:
    """Filter keystrokes, opening the big team, End there, role changes; peak memory."""

    async def main() -> dict[str, Any]:
        from tui.dialogs.role_picker import RolePickerModal
        from tui.screens.team_list import TeamListScreen, TeamTable
        from tui.team.screen import TeamScreen
        from tui.widgets.virtual_table import VirtualTable

        app = build_app(url)
        frames = Frames(app)
        out: dict[str, list[float]] = {
            "filter": [],
            "open_team": [],
            "end_key": [],
            "role_change": [],
        }
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: isinstance(app.screen, TeamListScreen))
            teams = app.screen.query_one(TeamTable)
            await until(lambda: teams.total is not None and not teams.reading)

            def answered(table: VirtualTable[Any], generation: int) -> Callable[[], bool]:
                return lambda: table._generation > generation and not table.reading

            # Filter keystrokes: a word at a time, each key timed to the list it brings.
            words = ["atlas", "pay", "orbit sec", "zeph", "delta 0", "nimbus"]
            await pilot.press("slash")
            while len(out["filter"]) < runs * 2:
                for word in words:
                    for char in word:
                        key = "space" if char == " " else char
                        done = answered(teams, teams._generation)
                        typed = partial(press, app, key)
                        out["filter"].append(await timed(frames, typed, done))
                    done = answered(teams, teams._generation)
                    await timed(frames, lambda: press(app, "escape"), done)  # clear it
            done = answered(teams, teams._generation)
            for key in "all hands":
                press(app, "space" if key == " " else key)
            await until(lambda: teams.total == 1 and done())
            await pilot.press("down")  # to the list, on the one team

            def members() -> VirtualTable[Any] | None:
                if not isinstance(app.screen, TeamScreen):
                    return None
                found = app.screen.query("#members-table")
                table = found.first() if found else None
                return table if isinstance(table, VirtualTable) else None

            def rows_in_view(table: VirtualTable[Any] | None) -> bool:
                if table is None or table.total is None or table.reading:
                    return False
                top = int(table.scroll_y)
                bottom = min(table.total - 1, top + table.scrollable_content_region.height - 2)
                return table.row_at(top) is not None and table.row_at(bottom) is not None

            async def visit() -> None:
                """Open the big team, End, change a role near the end; back to the list."""
                out["open_team"].append(
                    await timed(
                        frames, partial(press, app, "enter"), lambda: rows_in_view(members())
                    )
                )
                table = members()
                assert table is not None and table.total is not None
                last = table.total - 1
                await reaction(pilot)
                out["end_key"].append(
                    await timed(
                        frames,
                        partial(press, app, "end"),
                        lambda: table.cursor_row == last and rows_in_view(table),
                    )
                )
                # A member near the end, member <-> admin on every run.
                table.move_cursor(last - 4)
                await until(lambda: table.current_row is not None)
                await pilot.press("r")
                await until(lambda: isinstance(app.screen, RolePickerModal))
                await pilot.pause()
                target = "admin" if table.current_row.role == "member" else "member"
                await pilot.press("up" if target == "admin" else "down")
                await reaction(pilot)
                out["role_change"].append(
                    await timed(
                        frames,
                        partial(press, app, "enter"),
                        lambda: getattr(table.current_row, "role", None) == target,
                    )
                )
                await pilot.pause()

            for _ in range(runs):
                await visit()
                await pilot.press("escape")
                await until(lambda: isinstance(app.screen, TeamListScreen) and not teams.reading)
                await pilot.pause()
        return {**out, "memory": peak_mib()}

    return asyncio.run(main())


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
        f"{sys.version.split()[0]}; load average {load()}",
        flush=True,
    )
    urls = {"SQLite": sqlite_url(args)}
    small_url = sqlite_url(small_args(args))
    if not args.no_postgres:
        urls["PostgreSQL"] = postgres_url(args)
    results: dict[str, dict[str, Figure]] = {}
    try:
        for name, url in urls.items():
            print(f"measuring on {name} (load {load()}) ...", flush=True)
            results[name] = measure(url, args, small_url if name == "SQLite" else None)
    finally:
        if args.drop_after and not args.no_postgres:
            drop_postgres(args)
    print(f"\nload average at the end: {load()}\n")
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
