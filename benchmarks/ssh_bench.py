"""SSH benchmark: how long until a person sees the team list, and what each session costs.

    .venv/bin/python benchmarks/ssh_bench.py               # 5 rounds, 8 concurrent sessions
    .venv/bin/python benchmarks/ssh_bench.py --rounds 10 --crowd 16

Builds the demo workspace in a temporary SQLite file, starts ``auxot serve-ssh`` twice as
processes of their own on free loopback ports, one with warm sessions (the default) and one
with ``AUXOT_SSH_WARM=0`` (each session execs a fresh interpreter), and measures in the same run:

- first frame: from starting to connect (SSH) or starting the process (local) until a team
  name the user can see is on the screen, one session at a time and ``--crowd`` at once;
- memory: the app process of each session (RSS, and PSS, which splits shared pages fairly),
  and what the whole server (the server, its warm process and every app, in PSS) grows by per
  session while the sessions are open.

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
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from ssh_sessions import (
    ROOT,
    TIMEOUT,
    Person,
    Sample,
    app_env,
    descendants_of,
    local_session,
    ssh_session,
    tree_pss_kib,
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

    def __init__(self, url: str, data_dir: Path, *, warm: bool) -> None:
        env = app_env(url, data_dir, "")
        env.pop("AUXOT_USER")
        env["AUXOT_SSH_WARM"] = "1" if warm else "0"
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
        if warm:  # give the warm process time to import the app before the first session
            deadline = time.monotonic() + TIMEOUT
            while not any(_is_warm_process(p) for p in descendants_of(self.pid)):
                if time.monotonic() > deadline:
                    raise SystemExit("the server started no warm process")
                time.sleep(0.05)
            time.sleep(3.0)
        # What the server runs with no session open: its warm process, or nothing.
        self.idle_processes = len(descendants_of(self.pid))

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


def _is_warm_process(pid: int) -> bool:
    try:
        return b"sshd.warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


# -- rounds ---------------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    sessions: int
    samples: list[Sample]
    server_growth_kib: float | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(s.seconds for s in self.samples) * 1000

    @property
    def max_ms(self) -> float:
        return max(s.seconds for s in self.samples) * 1000

    @property
    def growth_mib(self) -> float:
        """PSS per added session: the server tree's growth, or the app's own (local)."""
        if self.server_growth_kib is None:
            return statistics.median(s.pss_kib for s in self.samples) / 1024
        return self.server_growth_kib / 1024

    def cells(self) -> list[str]:
        seconds = [s.seconds for s in self.samples]
        rss = statistics.median(s.rss_kib for s in self.samples) / 1024
        pss = statistics.median(s.pss_kib for s in self.samples) / 1024
        growth = f"{pss:.1f}" if self.server_growth_kib is None else f"{self.growth_mib:.1f}"
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
    make, count: int, server: ServerProcess | None = None
) -> tuple[list[Sample], float | None]:
    """Start ``count`` sessions at once; once all show their first frame, note the server's
    growth, then let them all go. A session that fails stops the run with its error."""
    hold = asyncio.Event()
    drawn = [asyncio.Event() for _ in range(count)]
    server_pid = server.pid if server else None
    if server is not None:
        await _until_idle(server)
    idle = tree_pss_kib(server_pid) if server_pid else 0
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
        growth = (tree_pss_kib(server_pid) - idle) / count if server_pid else None
    finally:
        hold.set()
    samples = await asyncio.gather(*tasks)
    return list(samples), growth


async def _until_idle(server: ServerProcess, timeout: float = 15.0) -> None:
    """Wait until the last round's sessions have ended, so that the idle figure the growth
    is measured from holds no app still on its way out."""
    deadline = time.monotonic() + timeout
    while len(descendants_of(server.pid)) > server.idle_processes:
        if time.monotonic() > deadline:
            raise SystemExit("the last round's sessions did not end")
        await asyncio.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="single-session rounds of each kind")
    parser.add_argument("--crowd", type=int, default=8, help="sessions at once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="auxot-ssh-bench-") as tmp:
        data_dir = Path(tmp)
        url, people = build_workspace(data_dir, args.crowd)
        servers: dict[str, ServerProcess] = {}
        try:
            servers["warm"] = ServerProcess(url, data_dir, warm=True)
            servers["cold"] = ServerProcess(url, data_dir, warm=False)
            rows = asyncio.run(_measure(url, data_dir, people, servers, args))
        finally:
            for server in servers.values():
                server.stop()
        leftovers = [p for s in servers.values() for p in _descendants_alive(s.pid)]
    _print(rows, args)
    if leftovers:
        print(f"\nprocesses left behind: {leftovers}")
        return 1
    return 0


def _descendants_alive(pid: int) -> list[int]:
    try:
        return sorted(descendants_of(pid))
    except OSError:
        return []


async def _measure(
    url: str, data_dir: Path, people: list[Person], servers: dict[str, ServerProcess], args
) -> list[Row]:
    def local(i: int, drawn: asyncio.Event, hold: asyncio.Event):
        return local_session(url, data_dir, people[i % len(people)], drawn, hold)

    def over_ssh(server: ServerProcess):
        def remote(i: int, drawn: asyncio.Event, hold: asyncio.Event):
            return ssh_session(server.port, people[i % len(people)], server.pid, drawn, hold)

        return remote

    kinds = [
        ("local PTY (python -m cli tui)", local, None),
        ("SSH, warm (default)", over_ssh(servers["warm"]), servers["warm"]),
        ("SSH, cold (AUXOT_SSH_WARM=0)", over_ssh(servers["cold"]), servers["cold"]),
    ]
    # Warm-up: the first start pays for cold caches; it is not counted.
    for _name, make, server in kinds:
        await run_round(make, 1, server)

    rows: list[Row] = []
    for name, make, server in kinds:
        samples: list[Sample] = []
        growths: list[float] = []
        for _ in range(args.rounds):
            round_samples, growth = await run_round(make, 1, server)
            samples += round_samples
            if growth is not None:
                growths.append(growth)
        rows.append(Row(name, 1, samples, statistics.median(growths) if growths else None))
    for name, make, server in kinds:
        samples, growth = await run_round(make, args.crowd, server)
        rows.append(Row(f"{name}, at once", args.crowd, samples, growth))
    return rows


def _print(rows: list[Row], args) -> None:
    headers = [
        "scenario",
        "sessions",
        "sign-in ms",
        "first rows median ms",
        "max ms",
        "app RSS MiB",
        "app PSS MiB",
        "PSS MiB per added session",
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
    local, warm, _cold, _local_crowd, warm_crowd, _cold_crowd = rows
    floor = local.median_ms
    print(
        f"\nTargets for warm sessions, against one local cold start ({floor:.0f} ms):\n"
        f"- one session's first rows: {warm.median_ms:.0f} ms = "
        f"{warm.median_ms / floor:.2f}x (target <= 0.5x)\n"
        f"- {args.crowd} at once, all showing rows: {warm_crowd.max_ms:.0f} ms = "
        f"{warm_crowd.max_ms / floor:.2f}x (target <= 2x)\n"
        f"- PSS per added session, {args.crowd} at once: {warm_crowd.growth_mib:.1f} MiB "
        f"(target <= 25 MiB)"
    )


if __name__ == "__main__":
    sys.exit(main())
