"""One app process in its own pseudo-terminal, driven from an asyncio loop.

The child is a session leader whose controlling terminal is the PTY (see :mod:`sshd.launch`),
forked by the warm process when there is one (:mod:`sshd.warm`) and exec'd here otherwise,
so the kernel signals it on window changes (TIOCSWINSZ → SIGWINCH) and on hang-up (closing the
master → SIGHUP). :meth:`PtyProcess.hangup` ends it within a deadline and always reaps it.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import logging
import os
import pty
import signal
import struct
import termios
from collections.abc import Callable, Mapping, Sequence

from sshd.warm_client import WarmProcess, WarmUnavailable, launcher_args

log = logging.getLogger("auxot.sshd")

READ_CHUNK = 65536
# Input the app has not read yet; beyond this, further keystrokes are dropped (a paste flood
# must not grow the server's memory without bound).
MAX_PENDING_INPUT = 1 << 20


def set_window_size(fd: int, columns: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> None:
    columns = max(1, min(int(columns or 80), 0xFFFF))
    rows = max(1, min(int(rows or 24), 0xFFFF))
    size = struct.pack(
        "HHHH", rows, columns, max(0, min(xpixels, 0xFFFF)), max(0, min(ypixels, 0xFFFF))
    )
    fcntl.ioctl(fd, termios.TIOCSWINSZ, size)


class PtyProcess:
    """A child process on a fresh PTY. Output goes to ``on_output(bytes)``; ``on_output(None)``
    says the terminal closed. :attr:`exited` resolves with the exit status once reaped."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        size: tuple[int, int, int, int],
        on_output: Callable[[bytes | None], None],
        *,
        cwd: str | None = None,
        pass_fds: Sequence[int] = (),
        warm: WarmProcess | None = None,
    ) -> None:
        self.argv = list(argv)
        self.pass_fds = tuple(pass_fds)
        self.env = dict(env)
        self.size = size
        self.cwd = cwd
        self.on_output = on_output
        self.warm = warm
        self.started_warm = False
        self.pid: int | None = None
        self.returncode: int | None = None
        self._master: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = bytearray()
        self._reading = False
        self._paused = False
        self._closing = False
        self.exited: asyncio.Future[int] | None = None
        self._warm_exit: asyncio.Future[int] | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.exited = self._loop.create_future()
        master, slave = pty.openpty()
        try:
            columns, rows, xpixels, ypixels = self.size
            set_window_size(slave, columns, rows, xpixels, ypixels)
            if not await self._start_warm(slave):
                await self._start_cold(slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._master = master
        os.set_blocking(master, False)
        self._start_reading()
        self._loop.create_task(self._reap())

    async def _start_warm(self, slave: int) -> bool:
        """Fork the app from the warm process; False when it is not there (started cold
        then, and the warm process started again in the background)."""
        args = launcher_args(self.argv)
        if self.warm is None or args is None:
            return False
        try:
            self.pid, self._warm_exit = await self.warm.spawn(
                args, self.env, self.cwd, self.size, slave, self.pass_fds
            )
        except WarmUnavailable:
            self.warm.start()
            return False
        self.started_warm = True
        return True

    async def _start_cold(self, slave: int) -> None:
        self._process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
            close_fds=True,
            pass_fds=self.pass_fds,
        )
        self.pid = self._process.pid

    # -- output ------------------------------------------------------------------------------

    def _start_reading(self) -> None:
        if self._master is not None and not self._reading and not self._paused:
            assert self._loop is not None
            self._loop.add_reader(self._master, self._on_readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._master is not None and self._reading:
            assert self._loop is not None
            self._loop.remove_reader(self._master)
            self._reading = False

    def pause_output(self) -> None:
        """The client is not keeping up: stop reading until :meth:`resume_output`."""
        self._paused = True
        self._stop_reading()

    def resume_output(self) -> None:
        self._paused = False
        self._start_reading()

    def _on_readable(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as error:
            if error.errno != errno.EIO:  # EIO is how Linux reports that the slave side closed
                log.warning("session pty read failed: %s", error.strerror)
            data = b""
        if data:
            self.on_output(data)
            return
        self._close_master()
        self.on_output(None)

    # -- input -------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self._master is None or not data:
            return
        room = MAX_PENDING_INPUT - len(self._pending)
        if room <= 0:
            return
        had_pending = bool(self._pending)
        self._pending += data[:room]
        if not had_pending:
            self._flush_input()

    def _flush_input(self) -> None:
        if self._master is None:
            self._pending.clear()
            return
        assert self._loop is not None
        try:
            written = os.write(self._master, self._pending)
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending.clear()
            self._loop.remove_writer(self._master)
            return
        del self._pending[:written]
        if self._pending:
            self._loop.add_writer(self._master, self._flush_input)
        else:
            self._loop.remove_writer(self._master)

    def resize(self, columns: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> None:
        """Set the PTY's size; the kernel sends SIGWINCH to the app when it changes."""
        self.size = (columns, rows, xpixels, ypixels)
        if self._master is not None:
            try:
                set_window_size(self._master, columns, rows, xpixels, ypixels)
            except OSError as error:
                log.warning("session resize failed: %s", error.strerror)

    # -- ending --------------------------------------------------------------------------------

    async def hangup(self, grace: float = 2.0) -> int | None:
        """The client is gone: hang up the terminal (SIGHUP to the app), SIGKILL it if it is
        still there after ``grace`` seconds, and reap it. Returns its exit status."""
        self._closing = True
        if self.pid is None or self.exited is None:
            self._close_master()
            return None
        self._signal(signal.SIGHUP)
        self._close_master()
        try:
            return await asyncio.wait_for(asyncio.shield(self.exited), grace)
        except TimeoutError:
            log.warning(
                "session app pid %s ignored the hang-up for %.1fs; killing it", self.pid, grace
            )
            self._signal(signal.SIGKILL)
            return await self.exited

    def _signal(self, signum: int) -> None:
        """Signal the app's process group (its own session), unless it is already reaped."""
        if self.pid is None or self.returncode is not None:
            return
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            pass
        except PermissionError:
            pass

    async def _reap(self) -> None:
        assert self.exited is not None
        if self._warm_exit is not None:
            status = await self._warm_exit
        else:
            assert self._process is not None
            status = await self._process.wait()
        self.returncode = status
        if not self.exited.done():
            self.exited.set_result(status)

    def _close_master(self) -> None:
        if self._master is None:
            return
        assert self._loop is not None
        self._stop_reading()
        self._loop.remove_writer(self._master)
        try:
            os.close(self._master)
        except OSError:
            pass
        self._master = None
        self._pending.clear()
