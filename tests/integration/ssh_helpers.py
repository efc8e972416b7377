"""What the SSH integration tests share: a business workspace with a key per account, a
client session that records the screen, and waits for app processes to come and go."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh
from sqlalchemy import select as sql_select

from core.db import open_database
from core.models import AuditEvent
from core.services import Core
from core.settings import Settings
from sshd.background import BackgroundServer
from sshd.server import ServeOptions

TEAM = "Platform Engineering"
DOMAIN = "acme.example.com"
OWNER = f"olive@{DOMAIN}"
MEMBER = f"max@{DOMAIN}"
RETIRED = f"dee@{DOMAIN}"
CROWD = [f"uma{n}@{DOMAIN}" for n in range(1, 9)]
SCREEN_TIMEOUT = 30.0  # generous: eight apps starting at once on a slow CI machine
HANGUP_DEADLINE = 2.0  # the app ends within 2 s of a disconnect (SIGHUP, then SIGKILL)


@dataclass
class Workspace:
    url: str
    data_dir: Path
    core: Core
    keys: dict[str, asyncssh.SSHKey]
    key_files: dict[str, Path]


def make_workspace(data_dir: Path) -> Workspace:
    """Olive owns the team, Max is a member, Dee is deactivated, eight more members for the
    crowd; each with a registered ed25519 key (its private half written beside the database)."""
    url = f"sqlite:///{data_dir / 'auxot.db'}"
    core = Core(open_database(url), settings=Settings(data_dir=data_dir))
    owner = core.init_workspace("Acme", OWNER, "Olive Owner", plan="business")
    core.create_team(owner, TEAM, "Runs the platform")
    people = {MEMBER: "Max Member", RETIRED: "Dee Parted"}
    people.update({email: f"Uma {n}" for n, email in enumerate(CROWD, 1)})
    for email, name in people.items():
        core.add_user(owner, email, name)
        if email != RETIRED:
            core.add_member(owner, TEAM, email, "member")
    keys, key_files = {}, {}
    for email in [OWNER, *people]:
        key = asyncssh.generate_private_key("ssh-ed25519", comment=email)
        core.add_ssh_key(owner, email, key.export_public_key().decode())
        path = data_dir / f"id_{email.split('@')[0]}"
        key.write_private_key(path)
        path.chmod(0o600)
        keys[email], key_files[email] = key, path
    core.deactivate_user(owner, RETIRED)
    return Workspace(url, data_dir, core, keys, key_files)


class Screen(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """Everything the server sent, and a way to wait for some text in it."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        self.data += data
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    def text(self, since: int = 0) -> str:
        return visible(bytes(self.data[since:]))

    async def wait_for(self, needle: str, since: int = 0, timeout: float = SCREEN_TIMEOUT) -> int:
        """Wait until ``needle`` shows in the text sent after offset ``since``; returns the
        offset at which the wait ended."""
        deadline = time.monotonic() + timeout
        while needle not in self.text(since):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed.is_set():
                tail = self.text(since)[-600:]
                raise AssertionError(
                    f"{needle!r} did not appear on the screen; it ends with {tail!r}"
                )
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                pass
        return len(self.data)


_ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=$ ]*[A-Za-z~@`]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78DEHMc]"
)


def serve_options(workspace: Workspace, **overrides: Any) -> ServeOptions:
    """A server for ``workspace`` on a port the kernel picks, its host key in the data
    directory; ``overrides`` set anything else (limits, a stand-in app, warm sessions)."""
    fields: dict[str, Any] = {
        "database_url": workspace.url,
        "data_dir": workspace.data_dir,
        "host_key_path": workspace.data_dir / "ssh_host_ed25519_key",
        "port": 0,
    }
    return ServeOptions(**{**fields, **overrides})


def visible(data: bytes) -> str:
    """The text in a stream of terminal output, escape sequences removed."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


async def press_until(chan, screen: Screen, key: bytes, needle: str, since: int) -> int:  # type: ignore[no-untyped-def]
    """Press ``key`` until ``needle`` shows (at most every second, for SCREEN_TIMEOUT)."""
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while True:
        chan.write(key)
        try:
            return await screen.wait_for(needle, since, timeout=1.0)
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def connect(port: int, key: asyncssh.SSHKey | None, username: str = "auxot", **options: object):  # type: ignore[no-untyped-def]
    return asyncssh.connect(
        "127.0.0.1",
        port,
        username=username,
        client_keys=[key] if key else None,
        known_hosts=None,
        agent_path=None,
        connect_timeout=10,
        **options,
    )


async def open_app(
    conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (100, 30), **options: object
):  # type: ignore[no-untyped-def]
    return await conn.create_session(
        Screen, term_type="xterm-256color", term_size=size, encoding=None, **options
    )


def process_state(pid: int) -> str | None:
    """The state letter of ``pid`` (``Z`` for a zombie), or None once it is gone and reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def wait_gone(pid: int, timeout: float = HANGUP_DEADLINE) -> float:
    """Seconds until ``pid`` is gone and reaped; fails after ``timeout``."""
    start = time.monotonic()
    while process_state(pid) is not None:
        if time.monotonic() - start > timeout:
            raise AssertionError(
                f"app process {pid} is still there ({process_state(pid)}) after {timeout}s"
            )
        time.sleep(0.02)
    return time.monotonic() - start


async def wait_gone_async(pid: int, timeout: float = HANGUP_DEADLINE) -> None:
    """:func:`wait_gone` for use inside a client's event loop (which must keep running for
    an aborted connection's socket to close)."""
    start = time.monotonic()
    while process_state(pid) is not None:
        if time.monotonic() - start > timeout:
            raise AssertionError(
                f"app process {pid} is still there ({process_state(pid)}) after {timeout}s"
            )
        await asyncio.sleep(0.02)


def new_pids(server: BackgroundServer, before: int) -> list[int]:
    return server.server.started_pids[before:]


def child_env(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(
        item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item
    )


def audit_rows(core: Core, action: str) -> list[AuditEvent]:
    with core.db.session(write=False) as session:
        return list(session.scalars(sql_select(AuditEvent).where(AuditEvent.action == action)))


def role_of(core: Core, email: str) -> str:
    owner = core.principal_for(OWNER)
    return {m.email: m.role for m in core.list_members(owner, TEAM).items}[email]


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(asyncio.wait_for(coroutine, 120))
