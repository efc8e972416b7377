"""The SSH server: public-key sign-in against core, one app process per session.

Every connection gets an :class:`~sshd.connection.AppConnection` (authentication and what
else it may ask for: nothing but sessions), every session channel an
:class:`~sshd.session.AppSession` (a PTY and the app in it, acting as the account that owns
the presented key). Core calls are blocking, so they run in the loop's thread pool.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from core.services import Core
from core.usecases.effects import DeliverNow
from core.views import Principal
from sshd.connection import AppConnection
from sshd.host_key import load_or_create_host_key
from sshd.limits import Limits, RefusalLog, StartupGate
from sshd.logs import log, one_line
from sshd.session import AppSession
from sshd.warm_client import WarmProcess, launcher_args
from sshd.watch import AccessWatch, deliver_mail

T = TypeVar("T")

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
    limits: Limits = field(default_factory=Limits)
    access_check_interval: float = 2.0  # seconds between checks that sessions may go on
    outbox_interval: float = 0.0  # seconds between deliveries of queued mail; 0: none
    cwd: str | None = None
    warm: bool = True  # fork sessions from a warm process (the launcher only), else exec each


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
        self.startups = StartupGate(options.limits, RefusalLog())
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loops: list[asyncio.Task[Any]] = []  # background work, cancelled on close
        self._unhook: Callable[[], None] | None = None
        self.warm: WarmProcess | None = None
        if options.warm and launcher_args(options.app_argv) is not None:
            self.warm = WarmProcess(self._base_env(), options.cwd)

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
            login_timeout=self.options.limits.login_grace_time,
            keepalive_interval=30,
            keepalive_count_max=3,
            reuse_address=True,
        )
        if self.warm is not None:
            self.warm.start()
        self._start_background_work()

    def _start_background_work(self) -> None:
        watch = AccessWatch(self, self.options.access_check_interval)
        loop = asyncio.get_running_loop()
        self._loops.append(loop.create_task(watch.run()))
        if self.options.outbox_interval > 0:
            self._loops.append(loop.create_task(deliver_mail(self, self.options.outbox_interval)))
        after_commit = self.core.after_commit
        if isinstance(after_commit, DeliverNow):  # access ended in this process: check now
            after_commit.on_access_ended.append(watch.poke)
            self._unhook = lambda: after_commit.on_access_ended.remove(watch.poke)

    async def close(self) -> None:
        """Stop listening, hang up every session, and reap every app process."""
        self.startups.refusals.flush()
        for task in self._loops:
            task.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops.clear()
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
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
        if self.warm is not None:
            await self.warm.close()

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run a blocking core call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    def spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(_logged(coroutine))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k.startswith("AUXOT_") or k in _INHERITED_ENV}
        env.update(LANG="C.UTF-8", PYTHONUTF8="1")
        return env

    def session_env(
        self, principal: Principal, fingerprint: str, term: str, colorterm: str | None
    ) -> dict[str, str]:
        env = self._base_env()
        env.update(
            AUXOT_USER=principal.email,
            AUXOT_DATABASE_URL=self.options.database_url,
            AUXOT_DATA_DIR=str(self.options.data_dir),
            AUXOT_SSH_FINGERPRINT=fingerprint,
            TERM=term,
        )
        env.pop("COLORTERM", None)
        if colorterm:
            env["COLORTERM"] = colorterm
        return env


async def _logged(coroutine: Any) -> Any:
    """Run a background task; a failure becomes one log line, never a traceback."""
    try:
        return await coroutine
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001
        log.error("session task failed: %s", one_line(error))
        return None
