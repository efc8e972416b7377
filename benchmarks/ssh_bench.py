"""SSH benchmark: how long until a person sees the team list, and what each session costs.

    .venv/bin/python benchmarks/ssh_bench.py               # 5 rounds, 8 concurrent sessions
    .venv/bin/python benchmarks/ssh_bench.py --rounds 10 --crowd 16

Builds the demo workspace in a temporary SQLite file, starts ``auxot serve-ssh`` as its own
process on a free loopback port, and measures in the same run:

- first frame: from starting to connect (SSH) or starting the process (local) until a team
  name the user can see is on the screen, one session at a time and ``--crowd`` at once;
- memory: the app process of each session (RSS, and PSS, which splits shared pages fairly),
  and what the server process itself grows by while the sessions are open.

"Local" runs the app the way a person on the machine would (``python -m cli tui``) in a PTY
of its own. Prints one table. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from ssh_sessions import (
    ROOT,
    TIMEOUT,
    Person,
    Sample,
    app_env,
    children_of,
    local_session,
    memory_kib,
    ssh_session,
)

from core.db import open_database
from core.demo import build_demo
from core.services import Core
from core.settings import Settings

# -- the workspace and the server ------------------------------------------------------------------


def build_workspace(data_dir: Path, crowd: int) -> tuple[str, list[Person]]:
    url = f"sqlite:///{data_dir / 'auxot.db'}"
    core = Core(open_database(url), settings=Settings(data_dir=data_dir))
    owner = build_demo(core)
    people = []
    for user in core.list_users(owner).items:
        if not user.active:
            continue
        actor = core.principal_for(user.email)
        teams = core.list_teams(actor).items
        if not teams:
            continue
        key = asyncssh.generate_private_key("ssh-ed25519")
        core.add_ssh_key(owner, user.email, key.export_public_key())
        people.append(Person(user.email, teams[0].name, key))
        if len(people) == crowd:
            break
    core.db.dispose()
    if len(people) < crowd:
        raise SystemExit(
            f"the demo workspace has only {len(people)} people in teams; use --crowd {len(people)}"
        )
    return url, people


class ServerProcess:
    """``auxot serve-ssh`` in its own process, on a free port."""

    def __init__(self, url: str, data_dir: Path) -> None:
        env = app_env(url, data_dir, "")
        env.pop("AUXOT_USER")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve-ssh", "--db", url, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"on 127\.0\.0\.1:(\d+)", line)
        if not match:
            self.stop()
            raise SystemExit(f"the server did not start: {line.strip()!r}")
        self.port = int(match.group(1))

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- rounds ---------------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    sessions: int
    samples: list[Sample]
    server_growth_kib: float | None = None

    def cells(self) -> list[str]:
        seconds = [s.seconds for s in self.samples]
        rss = statistics.median(s.rss_kib for s in self.samples) / 1024
        pss = statistics.median(s.pss_kib for s in self.samples) / 1024
        growth = "" if self.server_growth_kib is None else f"{self.server_growth_kib / 1024:.1f}"
        signins = [s.signin for s in self.samples if s.signin is not None]
        signin = f"{statistics.median(signins) * 1000:.0f}" if signins else ""
        return [
            self.scenario,
            str(self.sessions),
            signin,
            f"{statistics.median(seconds) * 1000:.0f}",
            f"{max(seconds) * 1000:.0f}",
            f"{rss:.1f}",
            f"{pss:.1f}",
            growth,
        ]


async def run_round(
    make, count: int, server_pid: int | None = None
) -> tuple[list[Sample], float | None]:
    """Start ``count`` sessions at once; once all show their first frame, note the server's
    growth, then let them all go. A session that fails stops the run with its error."""
    hold = asyncio.Event()
    drawn = [asyncio.Event() for _ in range(count)]
    idle = memory_kib(server_pid)[0] if server_pid else 0
    tasks = [asyncio.ensure_future(make(i, drawn[i], hold)) for i in range(count)]
    all_drawn = asyncio.ensure_future(asyncio.gather(*(event.wait() for event in drawn)))
    try:
        while not all_drawn.done():
            done, _ = await asyncio.wait(
                [all_drawn, *tasks], timeout=TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                raise SystemExit(f"no first frame within {TIMEOUT:.0f}s")
            for task in tasks:
                if task.done():
                    task.result()  # a session ended before its frame: raise its error
        growth = (memory_kib(server_pid)[0] - idle) / count if server_pid else None
    finally:
        hold.set()
    samples = await asyncio.gather(*tasks)
    return list(samples), growth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="single-session rounds of each kind")
    parser.add_argument("--crowd", type=int, default=8, help="sessions at once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="auxot-ssh-bench-") as tmp:
        data_dir = Path(tmp)
        url, people = build_workspace(data_dir, args.crowd)
        server = ServerProcess(url, data_dir)
        try:
            rows = asyncio.run(_measure(url, data_dir, people, server, args))
        finally:
            server.stop()
        leftovers = [p for p in _descendants_alive(server.pid)]
    _print(rows, args)
    if leftovers:
        print(f"\nprocesses left behind: {leftovers}")
        return 1
    return 0


def _descendants_alive(pid: int) -> list[int]:
    try:
        return sorted(children_of(pid))
    except OSError:
        return []


async def _measure(
    url: str, data_dir: Path, people: list[Person], server: ServerProcess, args
) -> list[Row]:
    def local(i: int, drawn: asyncio.Event, hold: asyncio.Event):
        return local_session(url, data_dir, people[i % len(people)], drawn, hold)

    def remote(i: int, drawn: asyncio.Event, hold: asyncio.Event):
        return ssh_session(server.port, people[i % len(people)], server.pid, drawn, hold)

    # Warm-up: the first start pays for cold caches; it is not counted.
    await run_round(local, 1)
    await run_round(remote, 1, server.pid)

    rows: list[Row] = []
    for name, make, pid in (
        ("local PTY (python -m cli tui)", local, None),
        ("SSH (asyncssh client)", remote, server.pid),
    ):
        samples: list[Sample] = []
        growths: list[float] = []
        for _ in range(args.rounds):
            round_samples, growth = await run_round(make, 1, pid)
            samples += round_samples
            if growth is not None:
                growths.append(growth)
        rows.append(Row(name, 1, samples, statistics.median(growths) if growths else None))
    for name, make, pid in (
        ("local PTY, at once", local, None),
        ("SSH, at once", remote, server.pid),
    ):
        samples, growth = await run_round(make, args.crowd, pid)
        rows.append(Row(name, args.crowd, samples, growth))
    return rows


def _print(rows: list[Row], args) -> None:
    headers = [
        "scenario",
        "sessions",
        "sign-in ms",
        "first frame median ms",
        "max ms",
        "app RSS MiB",
        "app PSS MiB",
        "server growth MiB/session",
    ]
    table = [headers] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Auxot over SSH vs local, demo workspace, 120x40, {args.rounds} single rounds after a warm-up, "
        f"{os.cpu_count()} CPUs (load average {load}), Python {sys.version.split()[0]}"
    )
    for i, line in enumerate(table):
        print(
            "  ".join(
                cell.ljust(widths[j]) if j == 0 else cell.rjust(widths[j])
                for j, cell in enumerate(line)
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    sys.exit(main())
