"""The warm process on its own: a request in, the CLI run on the PTY it was given, the exit
status back, and the descriptors it was passed closed everywhere once the app has ended."""

from __future__ import annotations

import asyncio
import os
import pty
import sys
import time

from sshd.pty_process import set_window_size
from sshd.warm_client import WarmProcess, WarmUnavailable, launcher_args
from tests.integration.ssh_helpers import visible


async def ready(warm: WarmProcess) -> None:
    warm.start()
    deadline = time.monotonic() + 60
    while not warm.available:
        assert time.monotonic() < deadline, "the warm process did not become ready"
        await asyncio.sleep(0.05)


async def run_cli(warm: WarmProcess, args: list[str]) -> tuple[int, str, bytes]:
    """Run ``auxot ARGS`` forked from ``warm`` on a new PTY, with a pipe's write end passed as
    an extra descriptor; returns its status, what it printed, and what reached the pipe."""
    master, slave = pty.openpty()
    set_window_size(slave, 100, 30)
    read_end, write_end = os.pipe()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    env.update(LANG="C.UTF-8", PYTHONUTF8="1", TERM="dumb", CHECK_FD=str(write_end))
    try:
        pid, exited = await warm.spawn(args, env, None, (100, 30, 0, 0), slave, (write_end,))
    finally:
        os.close(slave)
        os.close(write_end)
    status = await asyncio.wait_for(exited, 30)
    output = b""
    os.set_blocking(master, False)
    try:
        while chunk := os.read(master, 65536):
            output += chunk
    except OSError:
        pass
    os.close(master)
    os.set_blocking(read_end, False)
    try:
        piped = os.read(read_end, 100)  # b"" (EOF): nobody holds the write end any more
    except BlockingIOError:
        piped = b"(still open)"
    os.close(read_end)
    assert pid > 0
    return status, visible(output), piped


def test_a_request_runs_the_cli_and_reports_its_status(tmp_path):
    async def scenario() -> None:
        warm = WarmProcess({**os.environ}, str(tmp_path))
        try:
            await ready(warm)
            status, shown, piped = await run_cli(warm, ["--version"])
            assert status == 0 and "auxot" in shown
            assert piped == b""
            status, shown, _ = await run_cli(warm, ["no-such-command"])
            assert status == 2 and "no-such-command" in shown
        finally:
            await warm.close()
        assert not warm.available
        try:
            await warm.spawn(["--version"], {}, None, (80, 24, 0, 0), 0)
        except WarmUnavailable:
            pass
        else:
            raise AssertionError("a closed warm process started a session")

    asyncio.run(asyncio.wait_for(scenario(), 120))


def test_only_the_session_launcher_is_forked():
    assert launcher_args([sys.executable, "-m", "sshd.launch", "tui"]) == ["tui"]
    assert launcher_args([sys.executable, "-c", "print(1)"]) is None


def test_an_exit_reported_with_the_start_still_reaches_the_caller(tmp_path):
    """A command that ends at once on a busy machine: the warm process reports its start and
    its exit before the caller has run again. The exit must not be lost (it once was, and
    the caller waited for it forever)."""

    async def scenario() -> None:
        warm = WarmProcess({**os.environ}, str(tmp_path))
        master, slave = pty.openpty()
        try:
            await ready(warm)
            env = {"PATH": os.environ["PATH"], "TERM": "dumb", "LANG": "C.UTF-8"}
            spawning = asyncio.create_task(
                warm.spawn(["--version"], env, None, (80, 24, 0, 0), slave)
            )
            await asyncio.sleep(0)  # the request is sent
            _hold_the_loop_until_output(master)  # both reports then wait on the socket
            _pid, exited = await spawning
            assert await asyncio.wait_for(exited, 30) == 0
        finally:
            os.close(slave)
            os.close(master)
            await warm.close()

    asyncio.run(asyncio.wait_for(scenario(), 120))


def _hold_the_loop_until_output(master: int) -> None:
    """Block (the caller's event loop with it) until the command has printed, and a little
    longer, so that it has ended and the warm process has reported both start and exit."""
    import select

    deadline = time.monotonic() + 30
    while not select.select([master], [], [], 0.05)[0] and time.monotonic() < deadline:
        pass
    time.sleep(0.5)
