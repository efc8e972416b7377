"""``auxot serve-ssh`` against real SSH clients on loopback: asyncssh's client and, when it is
installed, OpenSSH's ``ssh``. Each session runs the real app in its own PTY.

The server runs in a background thread of this process (so the tests can see which app
processes it started); every wait is bounded.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from asyncssh.packet import Boolean, String, UInt32

from core.db import open_database
from core.services import Core
from core.settings import Settings
from sshd.background import BackgroundServer
from sshd.server import ServeOptions
from tests.integration.ssh_helpers import (
    CROWD,
    HANGUP_DEADLINE,
    MEMBER,
    OWNER,
    RETIRED,
    SCREEN_TIMEOUT,
    TEAM,
    Screen,
    Workspace,
    audit_rows,
    child_env,
    connect,
    make_workspace,
    new_pids,
    open_app,
    press_until,
    process_state,
    role_of,
    run,
    serve_options,
    visible,
    wait_gone,
    wait_gone_async,
)

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs POSIX PTYs")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A business workspace with a key per account (see :func:`make_workspace`)."""
    space = make_workspace(tmp_path_factory.mktemp("ssh-workspace"))
    yield space
    space.core.db.dispose()


@pytest.fixture(scope="module")
def server(workspace: Workspace) -> Iterator[BackgroundServer]:
    options = serve_options(workspace)
    background = BackgroundServer(workspace.core, options).start()
    try:
        yield background
    finally:
        background.stop()
    for pid in background.server.started_pids:
        assert process_state(pid) is None, f"app process {pid} outlived the server"


# -- a session, end to end --------------------------------------------------------------------------


def test_owner_changes_a_role_resizes_and_hangs_up(server, workspace):
    before = len(server.server.started_pids)
    fingerprint = workspace.keys[OWNER].get_fingerprint("sha256")

    async def session() -> tuple[int, float]:
        conn = await connect(server.port, workspace.keys[OWNER])
        chan, screen = await open_app(conn, env={"COLORTERM": "truecolor"})
        mark = await screen.wait_for(TEAM)
        (pid,) = new_pids(server, before)
        env = child_env(pid)
        assert env["AUXOT_USER"] == OWNER
        assert env["TERM"] == "xterm-256color" and env["COLORTERM"] == "truecolor"
        assert env["AUXOT_SSH_FINGERPRINT"] == fingerprint
        assert os.getsid(pid) == pid  # its own session, the PTY its controlling terminal
        assert int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[4]) != 0

        chan.write(b"\r")  # open the team
        mark = await screen.wait_for("Max Member", mark)
        # Change the role of the highlighted member (Max sorts first). The key does nothing
        # until the app has loaded what the owner may do, so press it again until it opens.
        mark = await press_until(chan, screen, b"r", "Change the role of", mark)
        chan.write(b"\x1b[A")  # from member up to admin
        await asyncio.sleep(0.3)
        chan.write(b"\r")
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while role_of(workspace.core, MEMBER) != "admin":
            assert time.monotonic() < deadline, "the role change did not reach the database"
            await asyncio.sleep(0.1)

        # A new size reaches the app, which draws its screen again for 120x40.
        mark = len(screen.data)
        chan.change_terminal_size(120, 40)
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while b"\x1b[40;" not in screen.data[mark:]:
            assert time.monotonic() < deadline, "no redraw reached row 40 after the resize"
            await asyncio.sleep(0.05)
        assert "Max Member" in screen.text(mark)

        conn.abort()  # no goodbye: the TCP connection just drops
        dropped = time.monotonic()
        return pid, dropped

    pid, dropped = run(session())
    wait_gone(pid)
    assert time.monotonic() - dropped < HANGUP_DEADLINE
    (event,) = [
        e for e in audit_rows(workspace.core, "member.role") if e.target == f"user:{MEMBER}"
    ]
    assert event.actor_label == OWNER and event.outcome == "ok"
    assert event.details["via"] == f"ssh-key {fingerprint}"
    logins = audit_rows(workspace.core, "ssh.login")
    assert any(
        e.actor_label == OWNER and e.details.get("via") == f"ssh-key {fingerprint}" for e in logins
    )


def test_closing_the_channel_ends_the_app(server, workspace):
    before = len(server.server.started_pids)

    async def session() -> int:
        async with connect(server.port, workspace.keys[MEMBER]) as conn:
            chan, screen = await open_app(conn, size=(80, 24))
            await screen.wait_for(TEAM)
            chan.close()
            await chan.wait_closed()
        return new_pids(server, before)[0]

    pid = run(session())
    wait_gone(pid)


def test_quitting_the_app_ends_the_session_with_its_status(server, workspace):
    before = len(server.server.started_pids)

    async def session() -> int | None:
        async with connect(server.port, workspace.keys[MEMBER]) as conn:
            chan, screen = await open_app(conn)
            await screen.wait_for(TEAM)
            chan.write(b"\x11")  # ctrl+q, Textual's quit
            await asyncio.wait_for(chan.wait_closed(), SCREEN_TIMEOUT)
            return chan.get_exit_status()

    assert run(session()) == 0
    wait_gone(new_pids(server, before)[0])


def test_eight_sessions_side_by_side(server, workspace):
    before = len(server.server.started_pids)

    async def one(email: str):
        conn = await connect(server.port, workspace.keys[email])
        _chan, screen = await open_app(conn)
        await screen.wait_for(TEAM)
        await screen.wait_for(email)  # the header names who is signed in
        return email, conn, screen

    async def crowd() -> list[int]:
        sessions = await asyncio.gather(*(one(email) for email in CROWD))
        pids = new_pids(server, before)
        assert len(pids) == len(CROWD) == len(set(pids))
        assert all(process_state(pid) not in (None, "Z") for pid in pids)  # all alive at once
        pid_of = {child_env(pid)["AUXOT_USER"]: pid for pid in pids}
        assert sorted(pid_of) == sorted(CROWD)
        for email, _, screen in sessions:
            others = [e for e in CROWD if e != email]
            assert not any(other in screen.text() for other in others)
        # One session going away leaves the others running.
        first, conn, _ = sessions[0]
        conn.abort()
        await wait_gone_async(pid_of[first])
        assert all(process_state(pid_of[email]) not in (None, "Z") for email, _, _ in sessions[1:])
        for _, conn, _ in sessions[1:]:
            conn.close()
        return pids

    pids = run(crowd())
    for pid in pids:
        wait_gone(pid)


def test_an_app_that_ignores_the_hang_up_is_killed_and_reaped(workspace, tmp_path):
    """Whatever the app does with SIGHUP, the server ends it after its grace period."""
    stubborn = (
        "import signal, sys, time; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
        "sys.stdout.write('stubborn app ready\\r\\n'); sys.stdout.flush(); time.sleep(600)"
    )
    options = serve_options(
        workspace,
        host_key_path=tmp_path / "host_key",
        app_argv=[sys.executable, "-c", stubborn],
        hangup_grace=0.5,
    )
    with BackgroundServer(workspace.core, options) as background:

        async def session() -> None:
            conn = await connect(background.port, workspace.keys[MEMBER])
            _chan, screen = await open_app(conn)
            await screen.wait_for("stubborn app ready")
            conn.abort()
            await asyncio.sleep(0.1)

        run(session())
        (pid,) = background.server.started_pids
        assert wait_gone(pid, timeout=3.0) > 0.3  # it outlived the hang-up, then was killed


# -- refusals --------------------------------------------------------------------------------------


def test_unknown_key_is_refused(server):
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    with pytest.raises(asyncssh.PermissionDenied):
        run(connect(server.port, stranger, username=OWNER))


def test_deactivated_account_is_refused(server, workspace):
    with pytest.raises(asyncssh.PermissionDenied):
        run(connect(server.port, workspace.keys[RETIRED]))


def test_password_and_keyboard_interactive_are_refused(server):
    with pytest.raises(asyncssh.PermissionDenied):
        run(connect(server.port, None, username=OWNER, password="hunter2"))
    with pytest.raises(asyncssh.PermissionDenied):
        run(connect(server.port, None, username=OWNER, kbdint_auth=True, password="hunter2"))


def test_a_removed_key_stops_signing_in(server, workspace):
    core = workspace.core
    key = asyncssh.generate_private_key("ssh-ed25519")
    owner = core.principal_for(OWNER)
    view = core.add_ssh_key(owner, MEMBER, key.export_public_key())

    async def sign_in() -> None:
        async with connect(server.port, key):
            pass

    run(sign_in())
    core.remove_ssh_key(owner, MEMBER, view.fingerprint)
    with pytest.raises(asyncssh.PermissionDenied):
        run(sign_in())


def test_everything_but_a_terminal_session_is_refused(server, workspace):
    before = len(server.server.started_pids)

    async def attempts() -> None:
        async with connect(server.port, workspace.keys[OWNER]) as conn:
            # A session without a PTY: one line, then the channel closes.
            chan, screen = await conn.create_session(Screen, encoding=None)
            await asyncio.wait_for(chan.wait_closed(), 10)
            assert screen.text().count("\n") == 1 and "needs a terminal" in screen.text()
            assert chan.get_exit_status() == 1
            # Commands other than the app, SFTP and other subsystems.
            for command in ("ls", "sh -c id", "auxot users list"):
                with pytest.raises(asyncssh.ChannelOpenError):
                    await conn.create_session(Screen, command, term_type="xterm", encoding=None)
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.start_sftp_client()
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.create_session(Screen, subsystem="netconf", encoding=None)
            # Port forwarding either way, and to a UNIX socket.
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.open_connection("127.0.0.1", server.port)
            with pytest.raises(asyncssh.ChannelListenError):
                await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.open_unix_connection("/run/dbus/system_bus_socket")

    run(attempts())
    assert new_pids(server, before) == []  # nothing above started an app


def test_agent_and_x11_forwarding_are_refused(server, workspace):
    before = len(server.server.started_pids)

    async def session() -> None:
        async with connect(server.port, workspace.keys[MEMBER]) as conn:
            chan, screen = await open_app(conn)
            # asyncssh's client sends these without asking for a reply, so ask explicitly.
            assert await chan._make_request(b"auth-agent-req@openssh.com") is False
            x11 = Boolean(False) + String("MIT-MAGIC-COOKIE-1") + String("00" * 16) + UInt32(0)
            assert await chan._make_request(b"x11-req", x11) is False
            await screen.wait_for(TEAM)
            (pid,) = new_pids(server, before)
            env = child_env(pid)
            assert "SSH_AUTH_SOCK" not in env and "DISPLAY" not in env
            assert all(c.conn.get_agent_path() is None for c in server.server.connections if c.conn)

    run(session())


def test_exec_of_the_app_itself_is_allowed(server, workspace):
    async def session() -> None:
        async with connect(server.port, workspace.keys[MEMBER]) as conn:
            _chan, screen = await conn.create_session(
                Screen, "auxot", term_type="xterm-256color", term_size=(100, 30), encoding=None
            )
            await screen.wait_for(TEAM)

    run(session())


# -- first sign-in by invitation ------------------------------------------------------------------------


def test_an_invitation_signs_in_once(server, workspace):
    core = workspace.core
    owner = core.principal_for(OWNER)
    core.invite_member(owner, TEAM, "nina@example.com", "member")
    token = core.invitation_link(owner, TEAM, "nina@example.com").rsplit("/", 1)[1]
    key = asyncssh.generate_private_key("ssh-ed25519")

    async def first() -> None:
        async with connect(server.port, key, username=f"invite-{token}") as conn:
            _chan, screen = await open_app(conn)
            await screen.wait_for(TEAM)
            await screen.wait_for("nina@example.com")

    run(first())
    assert core.principal_for_ssh_key(key.export_public_key()).email == "nina@example.com"
    assert role_of(core, "nina@example.com") == "member"

    # The token is spent: neither another key nor the same one redeems it again.
    for again in (asyncssh.generate_private_key("ssh-ed25519"), key):
        with pytest.raises(asyncssh.PermissionDenied):
            run(connect(server.port, again, username=f"invite-{token}"))

    # From now on the key alone signs Nina in.
    async def later() -> None:
        async with connect(server.port, key, username="nina") as conn:
            _chan, screen = await open_app(conn)
            await screen.wait_for("nina@example.com")

    run(later())


def test_a_bad_invitation_is_refused(server):
    key = asyncssh.generate_private_key("ssh-ed25519")
    for username in ("invite-", "invite-" + "A" * 43, "invite-not-a-token"):
        with pytest.raises(asyncssh.PermissionDenied):
            run(connect(server.port, key, username=username))


# -- OpenSSH's client ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs the OpenSSH client")
def test_openssh_client_sees_the_team_list(server, workspace):
    before = len(server.server.started_pids)
    command = [
        "ssh",
        "-tt",
        "-F",
        "/dev/null",
        "-p",
        str(server.port),
        "-i",
        str(workspace.key_files[OWNER]),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "SendEnv=COLORTERM",
        "-o",
        "LogLevel=ERROR",
        f"{OWNER}@127.0.0.1",
    ]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "24bit"}
    env.pop("SSH_AUTH_SOCK", None)
    ssh = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    received = bytearray()
    try:
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while TEAM not in visible(bytes(received)):
            assert time.monotonic() < deadline, (
                f"no team list; got {visible(bytes(received))[-600:]!r}"
            )
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    received += os.read(master, 65536)
                except OSError:
                    break
        assert TEAM in visible(bytes(received))
        (pid,) = new_pids(server, before)
        assert child_env(pid)["COLORTERM"] == "24bit"
    finally:
        ssh.send_signal(signal.SIGKILL)
        ssh.wait(10)
        os.close(master)
    wait_gone(pid)


# -- PostgreSQL, the shared database ------------------------------------------------------------------


PG_URL = os.environ.get("AUXOT_TEST_DATABASE_URL", "").strip()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs AUXOT_TEST_DATABASE_URL")
def test_sessions_on_postgresql(tmp_path):
    """The server and its apps on PostgreSQL: sign in, see the team, the login audited."""
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"auxot_ssh_{uuid.uuid4().hex[:10]}"
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    core = Core(open_database(url), settings=Settings(data_dir=tmp_path))
    try:
        owner = core.init_workspace("Acme", OWNER, "Olive Owner", plan="business")
        core.create_team(owner, TEAM)
        key = asyncssh.generate_private_key("ssh-ed25519")
        core.add_ssh_key(owner, OWNER, key.export_public_key())
        options = ServeOptions(
            database_url=url, data_dir=tmp_path, host_key_path=tmp_path / "host_key", port=0
        )
        with BackgroundServer(core, options) as background:

            async def session() -> None:
                async with connect(background.port, key) as conn:
                    _chan, screen = await open_app(conn)
                    await screen.wait_for(TEAM)

            run(session())
            pids = list(background.server.started_pids)
        for pid in pids:
            wait_gone(pid)
        assert [e.actor_label for e in audit_rows(core, "ssh.login")] == [OWNER]
    finally:
        core.db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# -- auxot ssh-keys -------------------------------------------------------------------------------------


def test_ssh_keys_commands(workspace, tmp_path, capsys):
    from cli.main import main

    key = asyncssh.generate_private_key("ssh-ed25519", comment="cli laptop")
    pub = tmp_path / "id.pub"
    key.write_public_key(pub)
    fingerprint = key.get_fingerprint("sha256")
    common = ["--db", workspace.url, "--user", OWNER]
    assert main(["ssh-keys", "add", MEMBER, str(pub), *common]) == 0
    assert (
        capsys.readouterr().out
        == f"Added the ssh-ed25519 key {fingerprint} (cli laptop) for {MEMBER}.\n"
    )
    assert main(["ssh-keys", "list", MEMBER, *common]) == 0
    assert fingerprint in capsys.readouterr().out
    assert main(["ssh-keys", "list", "--json", *common]) == 0
    assert fingerprint in capsys.readouterr().out
    # Refusals are one sentence on stderr with exit 1: a member managing someone else's keys,
    # a missing file, a private key given by mistake.
    assert (
        main(
            [
                "ssh-keys",
                "remove",
                "--yes",
                OWNER,
                fingerprint,
                "--db",
                workspace.url,
                "--user",
                MEMBER,
            ]
        )
        == 1
    )
    assert main(["ssh-keys", "add", MEMBER, str(tmp_path / "missing.pub"), *common]) == 1
    private = tmp_path / "id"
    key.write_private_key(private)
    assert main(["ssh-keys", "add", MEMBER, str(private), *common]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all("Traceback" not in line for line in errors)
    assert "private key" in errors[2]
    assert main(["ssh-keys", "remove", "--yes", MEMBER, fingerprint, *common]) == 0
    remaining = workspace.core.list_ssh_keys(workspace.core.principal_for(OWNER), MEMBER).items
    assert fingerprint not in [k.fingerprint for k in remaining] and len(remaining) == 1
    assert main(["serve-ssh", "--listen", "nowhere", *common]) == 2
