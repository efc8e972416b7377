"""The warm process's rehearsal (sshd.rehearsal): it runs the app once on a throwaway demo
workspace and leaves nothing of it behind (no thread, descriptor, connection, app, directory or
environment), and a session forked afterwards sees its own workspace, not the demo's."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.demo import TEAMS
from sshd.pty_process import set_window_size
from sshd.rehearsal import leftovers, open_descriptors
from sshd.warm_client import WarmProcess
from tests.integration.ssh_helpers import OWNER, TEAM, make_workspace, visible
from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
# Demo teams that the test workspace does not have (it has only TEAM).
DEMO_ONLY = [team.name for team in TEAMS if team.name != TEAM]

_PROBE = """
import gc, json, os, sqlite3, sys, threading
from sshd.warm import warm_up
gc.disable()
warm_up()
def fds():
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(f"{fd}:{os.readlink('/proc/self/fd/' + fd)}")
        except FileNotFoundError:
            pass  # the directory listing's own
    return sorted(found)
env, switch, thresholds, before = dict(os.environ), sys.getswitchinterval(), gc.get_threshold(), fds()
from sshd.rehearsal import rehearse
ok = rehearse()
after = fds()
frozen = gc.get_freeze_count()
gc.unfreeze()  # so that the scan below sees every object
from sqlalchemy.engine import Engine
from textual.app import App
alive = [type(o).__name__ for o in gc.get_objects() if isinstance(o, (App, Engine, sqlite3.Connection))]
print(json.dumps({
    "ok": ok,
    "fds_before": before,
    "fds_after": after,
    "threads": [t.name for t in threading.enumerate()],
    "tasks": len(os.listdir("/proc/self/task")),
    "alive": alive,
    "env_same": dict(os.environ) == env,
    "switch_same": sys.getswitchinterval() == switch,
    "thresholds_same": gc.get_threshold() == thresholds,
    "frozen": frozen,
}))
"""


def test_the_rehearsal_runs_and_leaves_nothing_behind(tmp_path, smtp: SmtpServer):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "AUXOT_CONFIG_DIR": str(tmp_path / "config")}
    env.pop("AUXOT_DATABASE_URL", None)
    # The server's own mail settings: the demo's queued invitations must not go out there.
    env.update(
        AUXOT_SMTP_HOST="127.0.0.1", AUXOT_SMTP_PORT=str(smtp.port), AUXOT_SMTP_STARTTLS="false"
    )
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] is True, done.stderr[-2000:]
    assert report["fds_after"] == report["fds_before"]
    assert report["threads"] == ["MainThread"] and report["tasks"] == 1
    assert report["alive"] == []  # no app, engine or SQLite connection survives it
    assert report["env_same"] and report["switch_same"] and report["thresholds_same"]
    assert report["frozen"] == 0  # what the app's collector froze was given back
    assert list(scratch.iterdir()) == []  # its workspace is gone
    assert not (tmp_path / "config").exists()  # and it read no one's preferences
    assert smtp.inbox.messages == []  # and it sent no mail


def test_what_a_rehearsal_could_leave_behind_is_seen():
    before = open_descriptors()
    stop = threading.Event()
    straggler = threading.Thread(target=stop.wait, name="straggler")
    straggler.start()
    read_end, write_end = os.pipe()
    try:
        left = leftovers(before)
        assert "thread straggler" in left
        assert f"descriptor {read_end}" in left and f"descriptor {write_end}" in left
    finally:
        stop.set()
        straggler.join()
        os.close(read_end)
        os.close(write_end)
    assert not [item for item in leftovers(before) if "straggler" in item or "descriptor" in item]


async def _ready(warm: WarmProcess) -> int:
    warm.start()
    deadline = time.monotonic() + 90
    while not warm.available:
        assert time.monotonic() < deadline, "the warm process did not become ready"
        await asyncio.sleep(0.05)
    assert warm.pid is not None
    return warm.pid


def _descriptors(pid: int) -> list[str]:
    """What the process's descriptors point at, with socket and pipe inode numbers dropped."""
    targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    return sorted(t.split(":")[0] if t.startswith(("socket:", "pipe:")) else t for t in targets)


def _read(master: int) -> bytes | None:
    """What is waiting on ``master``: b"" at its end, None when nothing is."""
    ready, _, _ = select.select([master], [], [], 0)
    if not ready:
        return None
    try:
        return os.read(master, 65536)
    except OSError:
        return b""


async def _session(
    warm: WarmProcess, args: list[str], env: dict[str, str], until: tuple[str, ...] = ()
) -> str:
    """Run ``auxot ARGS`` forked from ``warm`` on a new PTY until all of ``until`` shows
    (then quit it with ctrl+q) or it ends; what it showed."""
    master, slave = pty.openpty()
    set_window_size(slave, 120, 40)
    try:
        pid, exited = await warm.spawn(args, env, str(ROOT), (120, 40, 0, 0), slave)
    finally:
        os.close(slave)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while not (until and all(n in visible(shown) for n in until)) and not exited.done():
            assert time.monotonic() < deadline, f"no {until!r}: {visible(shown)[-600:]!r}"
            shown += _read(master) or b""
            await asyncio.sleep(0.02)
        if not exited.done():
            os.write(master, b"\x11")  # ctrl+q
        # Read on while it ends, so that its output can never fill the PTY and hold it up.
        deadline = time.monotonic() + 30
        while not exited.done():
            assert time.monotonic() < deadline, f"{_where(pid)}: {visible(shown)[-600:]!r}"
            shown += _read(master) or b""
            await asyncio.sleep(0.02)
        assert exited.result() == 0
        while chunk := _read(master):
            shown += chunk
    finally:
        os.close(master)
    return visible(shown)


def _where(pid: int) -> str:
    """What each thread of ``pid`` waits in, for a session that does not end."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
        return ", ".join(
            f"{Path(f'/proc/{pid}/task/{t}/comm').read_text().strip()}:"
            f"{Path(f'/proc/{pid}/task/{t}/wchan').read_text().strip()}"
            for t in tasks
        )
    except OSError as error:
        return f"(pid {pid}: {error})"


def test_sessions_of_a_rehearsed_warm_process_see_their_own_workspace(tmp_path):
    space = make_workspace(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    base = {**os.environ, "TMPDIR": str(scratch)}
    session_env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "LANG": "C.UTF-8",
        "PYTHONUTF8": "1",
        "TERM": "xterm-256color",
        "AUXOT_DATABASE_URL": space.url,
        "AUXOT_DATA_DIR": str(space.data_dir),
        "AUXOT_CONFIG_DIR": str(tmp_path / "config"),
        "AUXOT_USER": OWNER,
    }

    async def scenario() -> None:
        plain = WarmProcess({**base, "AUXOT_WARM_REHEARSAL": "0"}, str(ROOT))
        try:
            expected = _descriptors(await _ready(plain))
        finally:
            await plain.close()
        warm = WarmProcess(base, str(ROOT))
        try:
            pid = await _ready(warm)
            # Only its main thread, and the descriptors a warm process without a rehearsal has.
            assert os.listdir(f"/proc/{pid}/task") == [str(pid)]
            assert _descriptors(pid) == expected
            assert list(scratch.iterdir()) == []

            listed = await _session(warm, ["teams", "list"], session_env)
            assert TEAM in listed
            app = await _session(warm, ["tui"], session_env, (TEAM, OWNER, "Owner"))
            assert TEAM in app and OWNER in app
            for shown in (listed, app):
                assert not [name for name in DEMO_ONLY if name in shown], shown[-600:]
        finally:
            await warm.close()

    try:
        asyncio.run(asyncio.wait_for(scenario(), 240))
    finally:
        space.core.db.dispose()
