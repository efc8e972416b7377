"""Open sessions follow their grants: removing the key a session signed in with, or
deactivating its account, ends the session with one line, also when the change is made by
another process (the command line) on the same database."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Iterator

import asyncssh
import pytest

from sshd.background import BackgroundServer
from tests.integration.ssh_helpers import (
    CROWD,
    MEMBER,
    OWNER,
    SCREEN_TIMEOUT,
    TEAM,
    Workspace,
    connect,
    make_workspace,
    new_pids,
    open_app,
    process_state,
    run,
    serve_options,
    wait_gone,
)

KEY_REMOVED = "auxot: The SSH key this session signed in with was removed; the session has ended."
DEACTIVATED = "auxot: Your account was deactivated; the session has ended."


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    space = make_workspace(tmp_path_factory.mktemp("ssh-access"))
    yield space
    space.core.db.dispose()


@pytest.fixture(scope="module")
def server(workspace: Workspace) -> Iterator[BackgroundServer]:
    options = serve_options(
        workspace,
        access_check_interval=1.0,
    )
    with BackgroundServer(workspace.core, options) as background:
        yield background


def cli(workspace: Workspace, *args: str, user: str = OWNER) -> subprocess.CompletedProcess[str]:
    """``auxot ARGS… --db URL --user USER`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args, "--db", workspace.url, "--user", user],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def ended_with(chan, screen, mark: int) -> str:  # type: ignore[no-untyped-def]
    await asyncio.wait_for(chan.wait_closed(), SCREEN_TIMEOUT)
    assert chan.get_exit_status() == 1
    return screen.text(mark).strip().splitlines()[-1]


def test_removing_the_key_from_the_command_line_ends_the_session(server, workspace):
    core = workspace.core
    key = asyncssh.generate_private_key("ssh-ed25519")
    owner = core.principal_for(OWNER)
    view = core.add_ssh_key(owner, MEMBER, key.export_public_key())
    before = len(server.server.started_pids)

    async def session() -> None:
        async with connect(server.port, key) as conn:
            chan, screen = await open_app(conn)
            mark = await screen.wait_for(TEAM)
            # Another session of the same account, with its other key, is not affected.
            async with connect(server.port, workspace.keys[MEMBER]) as other_conn:
                other, other_screen = await open_app(other_conn)
                await other_screen.wait_for(TEAM)
                done = await asyncio.to_thread(
                    cli, workspace, "ssh-keys", "remove", "--yes", MEMBER, view.fingerprint
                )
                assert done.returncode == 0, done.stderr
                assert await ended_with(chan, screen, mark) == KEY_REMOVED
                assert not other.is_closing()

    run(session())
    removed_pid, other_pid = new_pids(server, before)
    wait_gone(removed_pid)
    wait_gone(other_pid)


def test_deactivating_the_account_ends_its_sessions(server, workspace):
    email = CROWD[0]
    before = len(server.server.started_pids)

    async def session() -> None:
        async with connect(server.port, workspace.keys[email]) as conn:
            chan, screen = await open_app(conn)
            mark = await screen.wait_for(TEAM)
            done = await asyncio.to_thread(cli, workspace, "users", "deactivate", "--yes", email)
            assert done.returncode == 0, done.stderr
            assert await ended_with(chan, screen, mark) == DEACTIVATED

    run(session())
    (pid,) = new_pids(server, before)
    wait_gone(pid)
    assert process_state(pid) is None


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")
def test_registering_your_own_key_needs_its_signature(server, workspace, tmp_path):
    """A member registers a key for themselves from the command line only with the key's
    signature over the challenge (made by the real ssh-keygen); then it signs them in."""
    email = CROWD[1]
    private = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(private)], check=True)
    public = f"{private}.pub"
    refused = cli(workspace, "ssh-keys", "add", email, public, user=email)
    assert refused.returncode == 1 and "ssh-keygen -Y sign" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    challenge = cli(workspace, "ssh-keys", "challenge", email, public, user=email)
    assert challenge.returncode == 0, challenge.stderr
    signature = tmp_path / "id.sig"
    with signature.open("w") as out:
        subprocess.run(
            ["ssh-keygen", "-Y", "sign", "-n", "auxot-ssh-key", "-f", str(private)],
            input=challenge.stdout,
            stdout=out,
            stderr=subprocess.DEVNULL,
            text=True,
            check=True,
        )
    # A signature over another account's challenge proves nothing for this one.
    stolen = cli(workspace, "ssh-keys", "add", MEMBER, public, "--signature", str(signature))
    assert stolen.returncode == 1 and "does not sign the line" in stolen.stderr
    added = cli(
        workspace, "ssh-keys", "add", email, public, "--signature", str(signature), user=email
    )
    assert added.returncode == 0, added.stderr

    async def session() -> None:
        async with connect(server.port, asyncssh.read_private_key(private)) as conn:
            _chan, screen = await open_app(conn)
            await screen.wait_for(email)

    run(session())
