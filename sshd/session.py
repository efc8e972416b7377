"""One SSH session channel: the app in its own PTY, acting as the signed-in account, with
bytes passed through both ways and the process reaped when the client leaves."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from typing import TYPE_CHECKING, Any

import asyncssh

from sshd.crash_log import CRASH_FD_ENV, CrashPipe
from sshd.limits import session_refusal
from sshd.logs import log, one_line
from sshd.pty_process import PtyProcess

if TYPE_CHECKING:
    from core.views import Principal
    from sshd.connection import AppConnection

# What an exec request may ask for: the app, under the names people type.
APP_COMMANDS = frozenset({"", "auxot", "auxot tui", "tui"})
NO_PTY = "This server runs the Auxot app only and needs a terminal; connect with `ssh -t`."
NOT_READY = "The server could not sign you in just now; try again in a moment."
DEFAULT_TERM = "xterm-256color"
_TERMINAL_RESET = b"\x1b[0m\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?25h\x1b[?1049l\r\n"
_TERM_VALUE = re.compile(r"[A-Za-z0-9._+-]{1,64}")
_COLORTERM_VALUE = re.compile(r"[A-Za-z0-9._+-]{1,32}")


class AppSession(asyncssh.SSHServerSession):
    """One session channel: the app in its own PTY, bytes passed through both ways."""

    def __init__(self, connection: AppConnection) -> None:
        self.connection = connection
        self.server = connection.server
        self.chan: asyncssh.SSHServerChannel | None = None
        self.process: PtyProcess | None = None
        self._early_input = bytearray()
        self._output_closed: asyncio.Event = asyncio.Event()
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._hangup: asyncio.Task[Any] | None = None
        self._started_at = time.monotonic()
        self._ended_because: str | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        if " ".join(command.split()) in APP_COMMANDS:
            return True
        log.info("refused command %r from %s", command[:80], self.connection.peer)
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem %r from %s", subsystem[:40], self.connection.peer)
        return False

    def session_started(self) -> None:
        self._task = self.server.spawn(self._run())

    async def _run(self) -> None:
        assert self.chan is not None
        await self.connection.ready
        if self._closed:
            return
        principal = self.connection.principal
        if principal is None:
            self._refuse(self.connection.refusal or NOT_READY)
            return
        term = self.chan.get_terminal_type()
        if not term:
            log.info("refused session without a terminal for %s", principal.email)
            self._refuse(NO_PTY)
            return
        refusal = self._over_a_limit(principal)
        if refusal is not None:
            log.warning("refused session for %s: %s", principal.email, refusal)
            self._refuse(refusal)
            return
        self.server.sessions.add(self)  # holds its place while the app starts
        if not _TERM_VALUE.fullmatch(term):
            term = DEFAULT_TERM
        colorterm = self.chan.get_environment().get("COLORTERM")
        if colorterm is not None and not _COLORTERM_VALUE.fullmatch(colorterm):
            colorterm = None
        width, height, xpixels, ypixels = self.chan.get_terminal_size()
        env = self.server.session_env(principal, self.connection.fingerprint, term, colorterm)
        crashes = CrashPipe()
        env[CRASH_FD_ENV] = str(crashes.write_fd)
        self.process = PtyProcess(
            self.server.options.app_argv,
            env,
            (width, height, xpixels, ypixels),
            self._on_output,
            cwd=self.server.options.cwd,
            pass_fds=(crashes.write_fd,),
            warm=self.server.warm,
        )
        try:
            await self.process.start()
        except OSError as error:
            crashes.abandon()
            log.error("could not start the app for %s: %s", principal.email, one_line(error))
            self.server.sessions.discard(self)
            self.process = None
            self._refuse("The app could not be started; the server's log says why.")
            return
        assert self.process.pid is not None and self.process.exited is not None
        crashes.started()
        self.server.spawn(crashes.report(principal.email, self.process.pid))
        self.server.started_pids.append(self.process.pid)
        log.info(
            "session for %s (key %s, from %s): app pid %s (%s), %s %sx%s%s",
            principal.email,
            self.connection.fingerprint,
            self.connection.peer,
            self.process.pid,
            "warm" if self.process.started_warm else "cold",
            term,
            width,
            height,
            f", COLORTERM={colorterm}" if colorterm else "",
            extra={"fields": {"event": "session.start", **self._who(principal.email)}},
        )
        if self._early_input:
            self.process.write(bytes(self._early_input))
            self._early_input.clear()
        if self._closed or self._ended_because:  # gone or ended while the app was starting
            self._start_hangup()
        status = await self.process.exited
        try:
            await asyncio.wait_for(self._output_closed.wait(), 1.0)
        except TimeoutError:
            pass
        self.server.sessions.discard(self)
        lasted = time.monotonic() - self._started_at
        log.info(
            "session for %s (key %s, from %s) ended: app pid %s %s after %.1fs",
            principal.email,
            self.connection.fingerprint,
            self.connection.peer,
            self.process.pid,
            _describe_status(status),
            lasted,
            extra={
                "fields": {
                    "event": "session.end",
                    **self._who(principal.email),
                    "status": status,
                    "duration_s": round(lasted, 3),
                }
            },
        )
        if self._ended_because is not None:
            self._say_after_app(self._ended_because)
        elif not self._closed:
            self._exit(status if status >= 0 else 128 - status)

    def end(self, message: str) -> None:
        """End the session (its access has ended): hang up the app, then show ``message``."""
        if self._ended_because is None and not self._closed:
            self._ended_because = message
            self._start_hangup()

    def _who(self, account: str) -> dict[str, object]:
        """The fields a session's log events carry in JSON lines."""
        pid = self.process.pid if self.process is not None else None
        return {
            "account": account,
            "key": self.connection.fingerprint,
            "address": self.connection.peer,
            "pid": pid,
        }

    def _say_after_app(self, message: str) -> None:
        """One line after the app is gone, on a terminal the app may have left in its own
        state: back to the main screen, cursor shown, mouse reporting off."""
        if self.chan is not None and not self._closed:
            try:
                self.chan.write(_TERMINAL_RESET)
            except OSError:
                return
        self._refuse(message)

    def _over_a_limit(self, principal: Principal) -> str | None:
        sessions = self.server.sessions
        return session_refusal(
            self.server.options.limits,
            in_all=len(sessions),
            of_account=sum(
                1
                for s in sessions
                if s.connection.principal is not None
                and s.connection.principal.user_id == principal.user_id
            ),
            of_connection=sum(1 for s in sessions if s.connection is self.connection),
        )

    def _refuse(self, message: str) -> None:
        if self.chan is not None and not self._closed:
            try:
                self.chan.write(f"auxot: {message}\r\n".encode())
            except OSError:
                return
            self._exit(1)

    def _exit(self, status: int) -> None:
        assert self.chan is not None
        try:
            self.chan.exit(status & 0xFF)
        except OSError:
            pass

    def _on_output(self, data: bytes | None) -> None:
        if data is None:
            self._output_closed.set()
            return
        if self.chan is not None and not self._closed:
            try:
                self.chan.write(data)
            except OSError:  # the channel is closing; the hang-up follows
                pass

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self.process is not None:
            self.process.write(data)
        elif len(self._early_input) < 65536:
            self._early_input += data

    def eof_received(self) -> bool:
        return True  # a terminal app keeps running until the client disconnects

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self.process is not None:
            self.process.resize(width, height, pixwidth, pixheight)

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        log.info("ignored signal %s from %s", signal[:16], self.connection.peer)

    def pause_writing(self) -> None:
        if self.process is not None:
            self.process.pause_output()

    def resume_writing(self) -> None:
        if self.process is not None:
            self.process.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._start_hangup()

    def _start_hangup(self) -> None:
        if self.process is not None and self.process.pid is not None and self._hangup is None:
            self._hangup = self.server.spawn(self.process.hangup(self.server.options.hangup_grace))

    async def finish(self) -> None:
        """Hang up (if the client has not already) and wait until the app is reaped."""
        self._closed = True
        self._start_hangup()
        if self._hangup is not None:
            await self._hangup
        if self._task is not None:
            await self._task


def _describe_status(status: int) -> str:
    if status < 0:
        try:
            return f"ended by {signal.Signals(-status).name}"
        except ValueError:
            return f"ended by signal {-status}"
    return f"exit {status}"
