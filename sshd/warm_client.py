"""The server's side of the warm process (:mod:`sshd.warm`): starting it, rebuilding it when
it dies, and asking it for a session's app process.

Messages are JSON datagrams on a Unix ``SOCK_SEQPACKET`` socket pair, so that each request
arrives whole with its descriptors (SCM_RIGHTS). Requests: ``{"id", "args", "env", "cwd",
"size", "fds"}`` with the PTY slave and the extra descriptors attached. Replies: ``{"ready":
pid}`` once warm, ``{"started": id, "pid"}`` or ``{"error": id, "message"}`` per request, and
``{"exited": pid, "status"}`` when a session's process has been reaped (status as
:attr:`asyncio.subprocess.Process.returncode`: negative for a signal).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from sshd.logs import log

LAUNCHER = "sshd.launch"
REPLY_TIMEOUT = 10.0  # seconds for the warm process to answer a request
RESTART_DELAY = 1.0  # seconds before a warm process that died is started again…
MAX_RESTART_DELAY = 60.0  # …doubling, up to this, while each dies before it is ready
UNKNOWN_STATUS = 255  # a session whose warm process died before reporting its exit
# Room in the warm process's own environment block, which each session writes its
# environment over (see sshd.warm._show_environment).
ENV_ROOM = 32 * 1024


class WarmUnavailable(Exception):
    """The warm process cannot start a session now: start it cold."""


def launcher_args(argv: Sequence[str]) -> list[str] | None:
    """The CLI's arguments when ``argv`` runs the session launcher in this interpreter, else
    None (another program: it is started cold)."""
    if len(argv) >= 3 and list(argv[:3]) == [sys.executable, "-m", LAUNCHER]:
        return list(argv[3:])
    return None


class WarmProcess:
    """One warm process at a time, started by :meth:`start` and rebuilt whenever it dies."""

    def __init__(self, env: Mapping[str, str], cwd: str | None = None) -> None:
        self.env = dict(env)
        self.env["AUXOT_WARM_ROOM"] = "." * ENV_ROOM
        self.cwd = cwd
        self.pid: int | None = None  # of the warm process, once it is ready
        self.started = 0  # warm processes started so far
        self._sock: socket.socket | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closing = False
        self._was_ready = False  # the current warm process said it was ready
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[tuple[int, asyncio.Future[int]]]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def available(self) -> bool:
        return self.pid is not None and self._sock is not None

    def start(self) -> None:
        """Start the warm process in the background (again, if it is not running)."""
        if self._closing or (self._supervisor is not None and not self._supervisor.done()):
            return
        self._loop = asyncio.get_running_loop()
        self._supervisor = self._loop.create_task(self._supervise())

    async def _supervise(self) -> None:
        delay = RESTART_DELAY
        while not self._closing:
            was_ready = False
            try:
                was_ready = await self._run_one()
            except OSError as error:
                log.error("could not start the warm process: %s", error.strerror or error)
            if self._closing:
                return
            delay = RESTART_DELAY if was_ready else min(delay * 2, MAX_RESTART_DELAY)
            await asyncio.sleep(delay)

    async def _run_one(self) -> bool:
        """Run one warm process until it ends; True if it became ready."""
        assert self._loop is not None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "sshd.warm",
                str(theirs.fileno()),
                pass_fds=(theirs.fileno(),),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,  # a Ctrl+C meant for the server does not reach it
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.started += 1
        ours.setblocking(False)
        self._sock = ours
        self._was_ready = False
        self._loop.add_reader(ours.fileno(), self._on_readable)
        process = self._process
        status = await process.wait()
        was_ready = self.pid is not None or self._was_ready
        self._lost()
        if not self._closing:
            log.warning(
                "warm process pid %s ended (status %s); starting another", process.pid, status
            )
        return was_ready

    # -- requests ------------------------------------------------------------------------------

    async def spawn(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        cwd: str | None,
        size: tuple[int, int, int, int],
        slave: int,
        pass_fds: Sequence[int] = (),
    ) -> tuple[int, asyncio.Future[int]]:
        """Start a session's app on ``slave``; returns its pid and a future of its exit
        status. Raises :class:`WarmUnavailable` when the warm process cannot."""
        if not self.available or self._loop is None:
            raise WarmUnavailable
        assert self._sock is not None
        ident = next(self._ids)
        message = json.dumps(
            {
                "id": ident,
                "args": list(args),
                "env": dict(env),
                "cwd": cwd,
                "size": list(size),
                "fds": list(pass_fds),
            }
        ).encode()
        reply: asyncio.Future[tuple[int, asyncio.Future[int]]] = self._loop.create_future()
        self._pending[ident] = reply
        try:
            socket.send_fds(self._sock, [message], [slave, *pass_fds])
            pid, exited = await asyncio.wait_for(asyncio.shield(reply), REPLY_TIMEOUT)
        except (OSError, TimeoutError) as error:
            log.warning("the warm process did not start a session: %s", error)
            raise WarmUnavailable from None
        finally:
            self._pending.pop(ident, None)
        # The exit may have been reported already (a short command, a busy machine): the
        # future is the one made when the start was reported, done or not.
        exited.add_done_callback(lambda _done: self._exits.pop(pid, None))
        return pid, exited

    def _exit_of(self, pid: int) -> asyncio.Future[int]:
        assert self._loop is not None
        if pid not in self._exits:
            self._exits[pid] = self._loop.create_future()
        return self._exits[pid]

    def _on_readable(self) -> None:
        assert self._sock is not None
        try:
            data = self._sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
            return
        try:
            message: dict[str, Any] = json.loads(data)
        except ValueError:
            return
        if "ready" in message:
            self.pid = int(message["ready"])
            self._was_ready = True
            log.info("warm process pid %s is ready", self.pid)
        elif "started" in message:
            self._started(message["started"], int(message["pid"]))
        elif "error" in message:
            reply = self._pending.get(message["error"])
            if reply is not None and not reply.done():
                reply.set_exception(OSError(str(message.get("message"))))
        elif "exited" in message:
            exited = self._exits.get(int(message["exited"]))
            if exited is not None and not exited.done():
                exited.set_result(int(message["status"]))

    def _started(self, ident: int, pid: int) -> None:
        reply = self._pending.get(ident)
        if reply is None or reply.done():  # too late: the session started cold instead
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            return
        reply.set_result((pid, self._exit_of(pid)))

    def _lost(self) -> None:
        """The warm process is gone: fail what waits on it, and watch its orphaned sessions
        until they end (their exit status is lost with it)."""
        self.pid = None
        if self._sock is not None:
            assert self._loop is not None
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None
        for reply in self._pending.values():
            if not reply.done():
                reply.set_exception(OSError("the warm process ended"))
        exits, self._exits = self._exits, {}
        for pid, exited in exits.items():
            if not exited.done():
                self._watch_orphan(pid, exited)

    def _watch_orphan(self, pid: int, exited: asyncio.Future[int]) -> None:
        assert self._loop is not None
        loop = self._loop
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            exited.set_result(UNKNOWN_STATUS)
            return

        def gone() -> None:
            loop.remove_reader(pidfd)
            os.close(pidfd)
            if not exited.done():
                exited.set_result(UNKNOWN_STATUS)

        loop.add_reader(pidfd, gone)

    async def close(self, grace: float = 5.0) -> None:
        """Stop the warm process (sessions it started are hung up by then)."""
        self._closing = True
        process = self._process
        if self._sock is not None:
            self._sock.shutdown(socket.SHUT_RDWR)  # it ends when it sees the socket close
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), grace)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        self._lost()
