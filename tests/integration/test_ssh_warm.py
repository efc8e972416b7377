"""Warm sessions, through OpenSSH's client: each session is its own process forked from the
warm process, as isolated as a cold one; the warm process is rebuilt when it dies."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Iterator

import pytest

from sshd.background import BackgroundServer
from tests.integration.ssh_helpers import (
    MEMBER,
    OWNER,
    SCREEN_TIMEOUT,
    TEAM,
    Workspace,
    child_env,
    make_workspace,
    new_pids,
    process_state,
    serve_options,
    visible,
    wait_gone,
)

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="needs the OpenSSH client")


class OpenSsh:
    """OpenSSH's ``ssh -tt`` signed in as ``email``, on a PTY of its own."""

    def __init__(self, port: int, workspace: Workspace, email: str) -> None:
        command = ["ssh", "-tt", "-F", "/dev/null", "-p", str(port)]
        command += ["-i", str(workspace.key_files[email])]
        for option in (
            "StrictHostKeyChecking=no",
            "UserKnownHostsFile=/dev/null",
            "BatchMode=yes",
            "IdentitiesOnly=yes",
            "LogLevel=ERROR",
        ):
            command += ["-o", option]
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color"}
        env.pop("SSH_AUTH_SOCK", None)
        self.process = subprocess.Popen(
            [*command, f"{email}@127.0.0.1"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.received = bytearray()

    def text(self) -> str:
        return visible(bytes(self.received))

    def wait_for(self, needle: str, timeout: float = SCREEN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            assert time.monotonic() < deadline, f"no {needle!r}; got {self.text()[-600:]!r}"
            if not self._read(0.2):
                assert needle in self.text(), f"closed before {needle!r}: {self.text()[-600:]!r}"
                return

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return False
            if not data:
                return False
            self.received += data
        return True

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def exit_status(self, timeout: float = SCREEN_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "ssh did not end"
            self._read(0.1)
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        os.close(self.master)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    space = make_workspace(tmp_path_factory.mktemp("ssh-warm"))
    yield space
    space.core.db.dispose()


@pytest.fixture(scope="module")
def server(workspace: Workspace) -> Iterator[BackgroundServer]:
    options = serve_options(
        workspace,
        warm=True,
    )
    background = BackgroundServer(workspace.core, options).start()
    try:
        warm_pid(background)
        yield background
    finally:
        background.stop()
    for pid in background.server.started_pids:
        assert process_state(pid) is None, f"app process {pid} outlived the server"


def warm_pid(server: BackgroundServer, other_than: int | None = None) -> int:
    """The warm process's pid once it is ready (a new one, if ``other_than`` is given)."""
    assert server.server.warm is not None
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while True:
        pid = server.server.warm.pid
        if pid is not None and pid != other_than:
            return pid
        assert time.monotonic() < deadline, "no warm process became ready"
        time.sleep(0.05)


def parent_of(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])


def role_row(client: OpenSsh) -> str:
    lines = [line for line in client.text().splitlines() if TEAM in line]
    return lines[-1] if lines else ""


def test_two_accounts_each_see_their_own_role_and_one_killed_leaves_the_other(server, workspace):
    zygote = warm_pid(server)
    before = len(server.server.started_pids)
    owner, member = OpenSsh(server.port, workspace, OWNER), OpenSsh(server.port, workspace, MEMBER)
    try:
        owner.wait_for(TEAM)
        member.wait_for(TEAM)
        owner.wait_for(OWNER)  # the header names who is signed in
        member.wait_for(MEMBER)
        assert role_row(owner).split()[-1] == "Owner"
        assert role_row(member).split()[-1] == "Member"
        assert MEMBER not in owner.text() and OWNER not in member.text()
        pids = new_pids(server, before)
        assert len(pids) == 2
        pid_of = {child_env(pid)["AUXOT_USER"]: pid for pid in pids}
        assert sorted(pid_of) == sorted([OWNER, MEMBER])
        for pid in pids:  # forked from the warm process, each its own session on its own PTY
            assert parent_of(pid) == zygote
            assert os.getsid(pid) == pid
        assert os.readlink(f"/proc/{pid_of[OWNER]}/fd/0") != os.readlink(
            f"/proc/{pid_of[MEMBER]}/fd/0"
        )

        os.kill(pid_of[OWNER], signal.SIGKILL)
        assert owner.exit_status() == 128 + signal.SIGKILL  # the status reaches the client
        wait_gone(pid_of[OWNER])
        assert process_state(pid_of[MEMBER]) not in (None, "Z")
        member.press(b"\r")  # the other session still answers: its team opens
        member.wait_for("Max Member")
        member.press(b"\x11")  # ctrl+q, Textual's quit
        assert member.exit_status() == 0
        wait_gone(pid_of[MEMBER])
    finally:
        owner.close()
        member.close()


def test_a_killed_warm_process_is_rebuilt_and_sessions_go_on(server, workspace):
    zygote = warm_pid(server)
    before = len(server.server.started_pids)
    first = OpenSsh(server.port, workspace, MEMBER)
    try:
        first.wait_for(TEAM)
        os.kill(zygote, signal.SIGKILL)
        # The session it started is not its child any more, and still works.
        second = OpenSsh(server.port, workspace, OWNER)
        try:
            second.wait_for(TEAM)  # cold, or from the new warm process
            second.wait_for(OWNER)
        finally:
            second.close()
        first.press(b"\r")
        first.wait_for("Max Member")
        rebuilt = warm_pid(server, other_than=zygote)
        assert process_state(zygote) is None
        third = OpenSsh(server.port, workspace, OWNER)
        try:
            third.wait_for(TEAM)
            (*_, pid) = new_pids(server, before)
            assert parent_of(pid) == rebuilt
        finally:
            third.close()
        first.press(b"\x11")
        first.exit_status()
    finally:
        first.close()
    for pid in new_pids(server, before):
        wait_gone(pid)


def test_warm_sessions_can_be_turned_off(workspace, tmp_path, monkeypatch):
    from core.settings import Settings

    assert Settings().ssh_warm is True
    monkeypatch.setenv("AUXOT_SSH_WARM", "0")
    options = serve_options(
        workspace,
        host_key_path=tmp_path / "host_key",
        warm=Settings().ssh_warm,
    )
    with BackgroundServer(workspace.core, options) as background:
        assert background.server.warm is None
        client = OpenSsh(background.port, workspace, MEMBER)
        try:
            client.wait_for(TEAM)
            (pid,) = background.server.started_pids
            assert parent_of(pid) == os.getpid()  # exec'd by the server itself
            client.press(b"\x11")
            assert client.exit_status() == 0
        finally:
            client.close()
    wait_gone(pid)
