"""One session of the SSH benchmark, over SSH or in a local PTY: what it shows (the screen's
text without escape sequences), when its first frame is up, and what its app process costs."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60.0
_ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=$ ]*[A-Za-z~@`]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78DEHMc]"
)


def visible(data: bytes) -> str:
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


@dataclass
class Person:
    email: str
    team: str  # a team name that is on their first screen
    key: asyncssh.SSHKey


@dataclass
class Sample:
    seconds: float
    rss_kib: int
    pss_kib: int
    signin: float | None = None  # SSH only: connect, key exchange, sign-in and session open


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` in KiB."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(p) for p in text)
    return found


def descendants_of(pid: int) -> set[int]:
    """Children, their children and so on (warm sessions are the warm process's children)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        try:
            children = children_of(todo.pop()) - found
        except OSError:
            continue
        found |= children
        todo += children
    return found


def tree_pss_kib(pid: int) -> int:
    """PSS of ``pid`` and every descendant: what the whole server costs, shared pages split."""
    return sum(memory_kib(p)[1] for p in {pid, *descendants_of(pid)})


def app_env(url: str, data_dir: Path, email: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(
        AUXOT_DATABASE_URL=url,
        AUXOT_DATA_DIR=str(data_dir),
        AUXOT_USER=email,
        TERM="xterm-256color",
        LANG="C.UTF-8",
        PYTHONUTF8="1",
    )
    return env


class Screen(asyncssh.SSHClientSession):
    def __init__(self) -> None:
        self.data = bytearray()
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.data += data
        self.changed.set()


async def wait_text(screen: Screen, needle: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while needle not in visible(bytes(screen.data)):
        screen.changed.clear()
        await asyncio.wait_for(screen.changed.wait(), max(0.01, deadline - time.monotonic()))


async def ssh_session(
    port: int, person: Person, server_pid: int, drawn: asyncio.Event, hold: asyncio.Event
) -> Sample:
    start = time.perf_counter()
    before = descendants_of(server_pid)
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        username="bench",
        client_keys=[person.key],
        known_hosts=None,
        agent_path=None,
    ) as conn:
        _, screen = await conn.create_session(
            Screen, term_type="xterm-256color", term_size=(120, 40), encoding=None
        )
        assert isinstance(screen, Screen)
        signin = time.perf_counter() - start
        await wait_text(screen, person.team)
        seconds = time.perf_counter() - start
        app_pids = [p for p in descendants_of(server_pid) - before if _is_app_of(p, person.email)]
        rss, pss = memory_kib(app_pids[0]) if app_pids else (0, 0)
        drawn.set()
        await hold.wait()
    return Sample(seconds, rss, pss, signin)


def _is_app_of(pid: int, email: str) -> bool:
    try:
        return f"AUXOT_USER={email}".encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


async def local_session(
    url: str, data_dir: Path, person: Person, drawn: asyncio.Event, hold: asyncio.Event
) -> Sample:
    """The app started directly in a PTY of its own, as ``python -m cli tui``."""
    import fcntl
    import struct
    import termios

    start = time.perf_counter()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(  # noqa: ASYNC220 - starting it is what is being timed
        [sys.executable, "-m", "cli", "tui"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=app_env(url, data_dir, person.email),
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    os.set_blocking(master, False)
    loop = asyncio.get_running_loop()
    screen = Screen()

    def readable() -> None:
        try:
            screen.data_received(os.read(master, 65536), None)
        except OSError:
            loop.remove_reader(master)

    loop.add_reader(master, readable)
    try:
        await wait_text(screen, person.team)
        seconds = time.perf_counter() - start
        rss, pss = memory_kib(process.pid)
        drawn.set()
        await hold.wait()
    finally:
        loop.remove_reader(master)
        # A hang-up, as when a terminal window closes.
        os.killpg(process.pid, signal.SIGHUP)
        os.close(master)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return Sample(seconds, rss, pss)
