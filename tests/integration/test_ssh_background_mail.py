"""``auxot serve-ssh`` delivers queued mail in the background: invitation mail that failed
while the mail server was down is retried by the server, with nobody's app open, through a
real SMTP server (aiosmtpd); two servers on one database send each message once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import OutboxMessage
from core.services import Core
from core.settings import Settings
from sshd.background import BackgroundServer
from sshd.server import ServeOptions

TEAM = "Platform Engineering"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections, held for the test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def mailer(core: Core, tmp_path: Path, port: int) -> Core:
    settings = Settings(
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        # Generous: a send that times out on a busy machine would wait for a retry that the
        # test's frozen clock never brings (a refused port fails at once whatever this is).
        smtp_timeout=30.0,
        secret_key="k" * 40,
    )
    return Core(core.db, core.clock, settings)


def background(core: Core, tmp_path: Path, name: str) -> BackgroundServer:
    options = ServeOptions(
        database_url="(the test's database)",
        data_dir=tmp_path,
        host_key_path=tmp_path / f"host_key_{name}",
        port=0,
        outbox_interval=0.2,
    )
    return BackgroundServer(core, options)


def statuses(core: Core) -> list[str]:
    with core.db.session(write=False) as session:
        return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def wait_until_sent(core: Core, count: int, timeout: float = 20.0) -> None:
    """Until the outbox records ``count`` messages as sent (the mail server has each one a
    moment before the outbox notes it)."""
    deadline = time.monotonic() + timeout
    while statuses(core) != ["sent"] * count:
        assert time.monotonic() < deadline, f"the outbox reads {statuses(core)}"
        time.sleep(0.05)


def test_failed_invitation_mail_is_retried_by_the_server(
    core, owner, clock, tmp_path, smtp, closed_port
):
    inbox, port = smtp
    down = mailer(core, tmp_path, closed_port)
    down.create_team(owner, TEAM)
    down.invite_member(owner, TEAM, "alice@example.com", "member")
    assert down.deliver_outbox().failed == 1  # the mail server is down
    assert statuses(core) == ["failed"] and inbox.messages == []
    clock.advance(minutes=2)  # past the first retry's backoff
    with background(mailer(core, tmp_path, port), tmp_path, "one"):
        assert inbox.wait_for(1) == ["alice@example.com"]
        wait_until_sent(core, 1)
    assert len(inbox.messages) == 1


def test_two_servers_on_one_database_send_each_message_once(
    core, owner, clock, tmp_path, smtp, closed_port
):
    inbox, port = smtp
    down = mailer(core, tmp_path, closed_port)
    down.create_team(owner, TEAM)
    invited = [f"person{n}@example.com" for n in range(6)]
    for email in invited:
        down.invite_member(owner, TEAM, email, "member")
    assert down.deliver_outbox().failed == len(invited)
    assert statuses(core) == ["failed"] * len(invited)
    clock.advance(minutes=2)
    up = mailer(core, tmp_path, port)
    with background(up, tmp_path, "a"), background(up, tmp_path, "b"):
        assert sorted(inbox.wait_for(len(invited))) == sorted(invited)
        # Both servers go on for a few more rounds: nothing is sent again.
        for _ in range(5):
            inbox.wait_for(len(invited), timeout=0.2)
    assert sorted(inbox.recipients()) == sorted(invited)
