"""The server's limits against real clients on loopback: connections that have not signed
in (in all and per source address), the login grace time, and sessions per account and per
connection. Sessions here run a small stand-in app (a real process in a real PTY) so that
several can be open at once without starting the whole app each time."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from sshd.background import BackgroundServer
from sshd.limits import Limits
from tests.integration.ssh_helpers import (
    CROWD,
    MEMBER,
    OWNER,
    SCREEN_TIMEOUT,
    Workspace,
    connect,
    make_workspace,
    open_app,
    run,
    serve_options,
)

STAND_IN = (
    "import sys, time; sys.stdout.write('app ready\\r\\n'); sys.stdout.flush(); time.sleep(600)"
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    space = make_workspace(tmp_path_factory.mktemp("ssh-limits"))
    yield space
    space.core.db.dispose()


def serve(workspace: Workspace, tmp_path: Path, limits: Limits) -> BackgroundServer:
    options = serve_options(
        workspace,
        host_key_path=tmp_path / "host_key",
        app_argv=[sys.executable, "-c", STAND_IN],
        hangup_grace=0.5,
        limits=limits,
    )
    return BackgroundServer(workspace.core, options)


def raw_connection(port: int, source: str) -> socket.socket:
    """A TCP connection from ``source`` (any 127.x.y.z is this machine) that never speaks."""
    sock = socket.create_connection(
        ("127.0.0.1", port), timeout=SCREEN_TIMEOUT, source_address=(source, 0)
    )
    return sock


def first_bytes(sock: socket.socket) -> bytes:
    """What the server sends first: its version line, or b"" when it closes the connection."""
    try:
        return sock.recv(256)
    except ConnectionResetError:
        return b""


def closed_by_server(sock: socket.socket) -> bool:
    """Reads until the server closes the connection (within SCREEN_TIMEOUT)."""
    while True:
        try:
            data = sock.recv(4096)
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
        if not data:
            return True


async def open_stand_in(conn: asyncssh.SSHClientConnection):  # type: ignore[no-untyped-def]
    chan, screen = await open_app(conn)
    await screen.wait_for("app ready")
    return chan, screen


async def refused_session(conn: asyncssh.SSHClientConnection) -> str:
    """The one line a refused session shows before its channel closes with status 1."""
    chan, screen = await open_app(conn)
    await asyncio.wait_for(chan.wait_closed(), SCREEN_TIMEOUT)
    assert chan.get_exit_status() == 1
    assert screen.text().count("\n") == 1
    return screen.text().strip()


def test_excess_unauthenticated_connections_from_one_address_are_closed_at_once(
    workspace, tmp_path
):
    limits = Limits(max_startups=10, max_startups_per_source=2)
    with serve(workspace, tmp_path, limits) as background:
        held = [raw_connection(background.port, "127.0.0.2") for _ in range(2)]
        try:
            assert all(first_bytes(sock).startswith(b"SSH-2.0-") for sock in held)
            excess = raw_connection(background.port, "127.0.0.2")
            assert first_bytes(excess) == b""  # closed before the server said anything
            excess.close()

            # Meanwhile an admin from another address signs in and gets a session.
            async def admin() -> None:
                async with connect(background.port, workspace.keys[OWNER]) as conn:
                    await open_stand_in(conn)

            run(admin())
            assert background.server.startups.by_source["127.0.0.2"] == 2
        finally:
            for sock in held:
                sock.close()


def test_excess_unauthenticated_connections_overall_are_closed_at_once(workspace, tmp_path):
    limits = Limits(max_startups=3, max_startups_per_source=10)
    with serve(workspace, tmp_path, limits) as background:
        held = [raw_connection(background.port, f"127.0.0.{n}") for n in (2, 3, 4)]
        try:
            assert all(first_bytes(sock).startswith(b"SSH-2.0-") for sock in held)
            excess = raw_connection(background.port, "127.0.0.5")
            assert first_bytes(excess) == b""
            excess.close()
        finally:
            for sock in held:
                sock.close()
        # Once they are gone, their places are free again.

        async def admin() -> None:
            async with connect(background.port, workspace.keys[OWNER]) as conn:
                await open_stand_in(conn)

        run(admin())


def test_signed_in_connections_do_not_count_against_the_startup_cap(workspace, tmp_path):
    limits = Limits(max_startups=1, max_startups_per_source=1)

    async def two_in_a_row() -> None:
        async with connect(background.port, workspace.keys[OWNER]) as first:
            await open_stand_in(first)
            async with connect(background.port, workspace.keys[MEMBER]) as second:
                await open_stand_in(second)

    with serve(workspace, tmp_path, limits) as background:
        run(two_in_a_row())


def test_the_login_grace_time_closes_a_silent_connection(workspace, tmp_path):
    limits = Limits(login_grace_time=0.5)
    with serve(workspace, tmp_path, limits) as background:
        silent = raw_connection(background.port, "127.0.0.2")
        try:
            assert first_bytes(silent).startswith(b"SSH-2.0-")
            assert closed_by_server(silent)
        finally:
            silent.close()
        assert background.server.startups.total == 0


def test_sessions_per_account_and_per_connection_are_capped(workspace, tmp_path):
    limits = Limits(max_sessions_per_account=5, max_sessions_per_connection=3)

    async def sessions() -> None:
        first = await connect(background.port, workspace.keys[MEMBER])
        second = await connect(background.port, workspace.keys[MEMBER])
        try:
            for _ in range(3):
                await open_stand_in(first)
            # The fourth on one connection is refused, with one line.
            line = await refused_session(first)
            assert line == (
                "auxot: This connection already has 3 sessions open, the most it may have; "
                "close one first."
            )
            for _ in range(2):
                await open_stand_in(second)
            # The sixth of the account, on another connection, is refused.
            line = await refused_session(second)
            assert line == (
                "auxot: Your account already has 5 sessions open on this server, the most it "
                "may have; close one first."
            )
            # Another account is not affected.
            async with connect(background.port, workspace.keys[CROWD[0]]) as other:
                await open_stand_in(other)
        finally:
            first.close()
            second.close()
            await first.wait_closed()
            await second.wait_closed()

    with serve(workspace, tmp_path, limits) as background:
        run(sessions())
        assert len(background.server.started_pids) == 6
