"""The SSH server: public-key sign-in against core, one app process per session.

Every connection gets an :class:`AppConnection` (authentication and what else it may ask
for: nothing but sessions), every session channel an :class:`AppSession` (a PTY and the app in
it, acting as the account that owns the presented key). Core calls are blocking, so they run
in the loop's thread pool.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from core.errors import DomainError, NotFound
from core.services import Core
from core.views import Principal
from sshd.host_key import load_or_create_host_key
from sshd.pty_process import PtyProcess

log = logging.getLogger("auxot.sshd")
T = TypeVar("T")

INVITE_PREFIX = "invite-"
# What an exec request may ask for: the app, under the names people type.
APP_COMMANDS = frozenset({"", "auxot", "auxot tui", "tui"})
NO_PTY = "This server runs the Auxot app only and needs a terminal; connect with `ssh -t`."
NOT_READY = "The server could not sign you in just now; try again in a moment."
DEFAULT_TERM = "xterm-256color"
_TERM_VALUE = re.compile(r"[A-Za-z0-9._+-]{1,64}")
_COLORTERM_VALUE = re.compile(r"[A-Za-z0-9._+-]{1,32}")
# Environment the app process inherits from the server, besides every AUXOT_ setting.
_INHERITED_ENV = ("PATH", "HOME", "PYTHONPATH", "VIRTUAL_ENV", "TZ", "TMPDIR")


def app_command() -> list[str]:
    """The app, as ``python -m cli tui`` would run it, behind the session launcher."""
    return [sys.executable, "-m", "sshd.launch", "tui"]


@dataclass
class ServeOptions:
    database_url: str
    data_dir: Path
    host_key_path: Path
    host: str = "127.0.0.1"
    port: int = 2222
    app_argv: Sequence[str] = field(default_factory=app_command)
    hangup_grace: float = 2.0  # seconds between SIGHUP and SIGKILL on disconnect
    login_timeout: float = 60.0
    max_sessions: int = 100
    cwd: str | None = None


class SshServer:
    """Serves the app on one address until :meth:`close`."""

    def __init__(self, core: Core, options: ServeOptions) -> None:
        self.core = core
        self.options = options
        self.host_key: asyncssh.SSHKey | None = None
        self.host_key_created = False
        self.sessions: set[AppSession] = set()
        self.connections: set[AppConnection] = set()
        # Every app process started, for tests and benchmarks that check nothing is left.
        self.started_pids: list[int] = []
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def address(self) -> tuple[str, int]:
        assert self._acceptor is not None
        return self.options.host, self._acceptor.get_port()

    @property
    def host_fingerprint(self) -> str:
        assert self.host_key is not None
        return self.host_key.get_fingerprint("sha256")

    async def start(self) -> None:
        self.host_key, self.host_key_created = load_or_create_host_key(self.options.host_key_path)
        self._acceptor = await asyncssh.create_server(
            lambda: AppConnection(self),
            self.options.host,
            self.options.port,
            server_host_keys=[self.host_key],
            public_key_auth=True,
            password_auth=False,
            kbdint_auth=False,
            host_based_auth=False,
            gss_host=None,
            allow_pty=True,
            line_editor=False,
            encoding=None,
            x11_forwarding=False,
            agent_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            login_timeout=self.options.login_timeout,
            keepalive_interval=30,
            keepalive_count_max=3,
            reuse_address=True,
        )

    async def close(self) -> None:
        """Stop listening, hang up every session, and reap every app process."""
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None
        for connection in list(self.connections):
            connection.close()
        sessions = [s.finish() for s in list(self.sessions)]
        if sessions:
            await asyncio.gather(*sessions, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run a blocking core call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    def spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(_logged(coroutine))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def session_env(
        self, principal: Principal, fingerprint: str, term: str, colorterm: str | None
    ) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k.startswith("AUXOT_") or k in _INHERITED_ENV}
        env.update(
            AUXOT_USER=principal.email,
            AUXOT_DATABASE_URL=self.options.database_url,
            AUXOT_DATA_DIR=str(self.options.data_dir),
            AUXOT_SSH_FINGERPRINT=fingerprint,
            TERM=term,
            LANG="C.UTF-8",
            PYTHONUTF8="1",
        )
        env.pop("COLORTERM", None)
        if colorterm:
            env["COLORTERM"] = colorterm
        return env


@dataclass
class _Candidate:
    """A key accepted so far in authentication; used once its signature checks out."""

    key_text: str
    fingerprint: str
    principal: Principal | None = None
    token: str | None = None


class AppConnection(asyncssh.SSHServer):
    """One client connection: public keys only, sessions only."""

    def __init__(self, server: SshServer) -> None:
        self.server = server
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.principal: Principal | None = None
        self.refusal: str | None = None
        self._candidate: _Candidate | None = None
        self._banners: set[str] = set()
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    # -- connection ----------------------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        if not self.ready.done():
            self.ready.set_result(None)
        if exc is not None and not isinstance(exc, asyncssh.ConnectionLost):
            log.info("connection from %s ended: %s", self.peer, _one_line(exc))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    # -- authentication ----------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Called when a key is offered and again with its signature (checked by asyncssh
        afterwards). A key is acceptable when it belongs to an active account, or, with the
        user name ``invite-TOKEN``, when it is new and the token can still be redeemed."""
        fingerprint = key.get_fingerprint("sha256")
        key_text = key.export_public_key("openssh").decode()
        try:
            if username.startswith(INVITE_PREFIX):
                return await self._validate_invitation(
                    username[len(INVITE_PREFIX) :], key_text, fingerprint
                )
            principal = await self.server.call(self.server.core.principal_for_ssh_key, key_text)
        except DomainError as error:
            log.info("refused key %s from %s: %s", fingerprint, self.peer, error.message)
            return False
        except Exception as error:  # noqa: BLE001 - a database outage refuses, it does not crash
            log.error("refused key %s from %s: %s", fingerprint, self.peer, _one_line(error))
            return False
        self._candidate = _Candidate(key_text, fingerprint, principal=principal)
        return True

    async def _validate_invitation(self, token: str, key_text: str, fingerprint: str) -> bool:
        core = self.server.core
        try:
            await self.server.call(core.check_invitation_token, token)
        except DomainError as error:
            self._banner(error.message)
            log.info(
                "refused invitation from %s with key %s: %s", self.peer, fingerprint, error.message
            )
            return False
        try:
            await self.server.call(core.principal_for_ssh_key, key_text)
        except NotFound:
            pass
        except DomainError:
            return self._key_taken(fingerprint)
        else:
            return self._key_taken(fingerprint)
        self._candidate = _Candidate(key_text, fingerprint, token=token)
        return True

    def _key_taken(self, fingerprint: str) -> bool:
        message = "That SSH key is already registered to an account; connect without the invite- user name."
        self._banner(message)
        log.info("refused invitation from %s: key %s is already registered", self.peer, fingerprint)
        return False

    def _banner(self, message: str) -> None:
        """Tell the client why (only on the invitation path: the token holder may know)."""
        if self.conn is not None and message not in self._banners:
            self._banners.add(message)
            try:
                self.conn.send_auth_banner(f"auxot: {message}\r\n")
            except OSError:
                pass

    async def auth_completed(self) -> None:
        """The client proved it holds the key: redeem the invitation or record the login.
        Sessions wait for this before starting the app."""
        candidate = self._candidate
        core = self.server.core
        try:
            if candidate is None:
                self.refusal = NOT_READY
            elif candidate.token is not None:
                result = await self.server.call(
                    core.accept_invitation_with_ssh_key, candidate.token, candidate.key_text
                )
                self.principal = result.principal
                log.info(
                    "invitation redeemed by %s (key %s) from %s: joined %s as %s",
                    result.principal.email,
                    candidate.fingerprint,
                    self.peer,
                    result.team_name,
                    result.role,
                )
            else:
                assert candidate.principal is not None
                await self.server.call(core.record_ssh_login, candidate.principal)
                self.principal = candidate.principal
                log.info(
                    "%s signed in with key %s from %s",
                    self.principal.email,
                    candidate.fingerprint,
                    self.peer,
                )
        except DomainError as error:
            self.refusal = error.message
            log.info("refused %s after sign-in: %s", self.peer, error.message)
        except Exception as error:  # noqa: BLE001
            self.refusal = NOT_READY
            log.error("sign-in of %s failed: %s", self.peer, _one_line(error))
        finally:
            if not self.ready.done():
                self.ready.set_result(None)

    @property
    def fingerprint(self) -> str:
        return self._candidate.fingerprint if self._candidate else ""

    # -- what the client may open: sessions, nothing else ------------------------------------------

    def session_requested(self) -> AppSession:
        return AppSession(self)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        log.info("refused port forwarding to %s:%s from %s", dest_host, dest_port, self.peer)
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.info(
            "refused remote port forwarding on %s:%s from %s", listen_host, listen_port, self.peer
        )
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        log.info("refused socket forwarding from %s", self.peer)
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        log.info("refused socket forwarding from %s", self.peer)
        return False

    def tun_requested(self, unit: int | None) -> bool:
        return False

    def tap_requested(self, unit: int | None) -> bool:
        return False


class AppSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One session channel: the app in its own PTY, bytes passed through both ways."""

    def __init__(self, connection: AppConnection) -> None:
        self.connection = connection
        self.server = connection.server
        self.chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self.process: PtyProcess | None = None
        self._early_input = bytearray()
        self._output_closed: asyncio.Event = asyncio.Event()
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._hangup: asyncio.Task[Any] | None = None
        self._started_at = time.monotonic()

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
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
        if len(self.server.sessions) >= self.server.options.max_sessions:
            log.warning(
                "refused session for %s: %d sessions open",
                principal.email,
                len(self.server.sessions),
            )
            self._refuse("The server is at its limit of sessions; try again later.")
            return
        if not _TERM_VALUE.fullmatch(term):
            term = DEFAULT_TERM
        colorterm = self.chan.get_environment().get("COLORTERM")
        if colorterm is not None and not _COLORTERM_VALUE.fullmatch(colorterm):
            colorterm = None
        width, height, xpixels, ypixels = self.chan.get_terminal_size()
        env = self.server.session_env(principal, self.connection.fingerprint, term, colorterm)
        self.process = PtyProcess(
            self.server.options.app_argv,
            env,
            (width, height, xpixels, ypixels),
            self._on_output,
            cwd=self.server.options.cwd,
        )
        try:
            await self.process.start()
        except OSError as error:
            log.error("could not start the app for %s: %s", principal.email, _one_line(error))
            self.process = None
            self._refuse("The app could not be started; the server's log says why.")
            return
        assert self.process.pid is not None and self.process.exited is not None
        self.server.sessions.add(self)
        self.server.started_pids.append(self.process.pid)
        log.info(
            "session for %s: app pid %s, %s %sx%s%s",
            principal.email,
            self.process.pid,
            term,
            width,
            height,
            f", COLORTERM={colorterm}" if colorterm else "",
        )
        if self._early_input:
            self.process.write(bytes(self._early_input))
            self._early_input.clear()
        if self._closed:  # the client left while the app was starting
            self._start_hangup()
        status = await self.process.exited
        try:
            await asyncio.wait_for(self._output_closed.wait(), 1.0)
        except TimeoutError:
            pass
        self.server.sessions.discard(self)
        log.info(
            "session for %s ended: app pid %s %s after %.1fs",
            principal.email,
            self.process.pid,
            _describe_status(status),
            time.monotonic() - self._started_at,
        )
        if not self._closed:
            self._exit(status if status >= 0 else 128 - status)

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

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
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


async def _logged(coroutine: Any) -> Any:
    """Run a background task; a failure becomes one log line, never a traceback."""
    try:
        return await coroutine
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001
        log.error("session task failed: %s", _one_line(error))
        return None


def _describe_status(status: int) -> str:
    if status < 0:
        try:
            return f"ended by {signal.Signals(-status).name}"
        except ValueError:
            return f"ended by signal {-status}"
    return f"exit {status}"


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
