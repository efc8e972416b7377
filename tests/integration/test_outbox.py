"""The outbox against a real SMTP server (aiosmtpd on loopback): everything waiting goes in
one pass over one connection a batch; a claim whose process was killed is taken back at
once; a permanent refusal is failed for good with the server's reply and can be resent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from core.models import OutboxMessage
from core.services import Core
from core.services.outbox import BATCH
from core.settings import Settings
from core.views import Principal
from tests.smtp_server import SmtpServer

TEAM = "Platform Engineering"
ROOT = Path(__file__).resolve().parents[2]


def _mailer(core: Core, tmp_path: Path, port: int) -> Core:
    settings = Settings(
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_timeout=5.0,
        secret_key="k" * 40,
    )
    return Core(core.db, core.clock, settings)


def _invite(mailer: Core, owner: Principal, count: int) -> list[str]:
    addresses = [f"person{n:03}@example.com" for n in range(count)]
    mailer.create_team(owner, TEAM)
    outcomes = mailer.invite_members(owner, TEAM, addresses)
    assert all(o.result == "invited" for o in outcomes)
    return addresses


def test_a_pass_delivers_everything_over_one_connection_a_batch(
    core: Core, owner: Principal, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = _mailer(core, tmp_path, smtp.port)
    addresses = _invite(mailer, owner, 2 * BATCH + 30)
    report = mailer.deliver_outbox()
    assert (report.sent, report.failed, report.left) == (len(addresses), 0, 0)
    assert sorted(smtp.inbox.recipients()) == addresses
    assert smtp.inbox.connections == 3  # 100 + 100 + 30
    assert mailer.deliver_outbox().outcomes == []


def test_a_limit_says_how_many_are_left(
    core: Core, owner: Principal, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = _mailer(core, tmp_path, smtp.port)
    _invite(mailer, owner, 130)
    report = mailer.deliver_outbox(limit=120)
    assert (report.sent, report.left) == (120, 10)
    assert mailer.deliver_outbox().sent == 10


def _claim_in_a_child(url: str, data_dir: Path) -> subprocess.Popen[str]:
    """Another process that claims every waiting message, says so, and then hangs."""
    script = (
        "import sys, time\n"
        "from core.db import open_database\n"
        "from core.claims import new_claim\n"
        "from core.services import Core\n"
        "from core.services.outbox import _Pass\n"
        "from core.settings import Settings\n"
        f"core = Core(open_database({url!r}), settings=Settings(data_dir={str(data_dir)!r}))\n"
        "print(len(core._claim(_Pass(new_claim()), False, 1000)), flush=True)\n"
        "time.sleep(600)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "3"
    return child


def test_a_claim_whose_process_was_killed_is_taken_back_at_once(
    core: Core, owner: Principal, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = _mailer(core, tmp_path, smtp.port)
    addresses = _invite(mailer, owner, 3)
    url = core.db.engine.url.render_as_string(hide_password=False)
    child = _claim_in_a_child(url, tmp_path)
    try:
        # Its claim holds while it lives: nothing is sent twice.
        assert mailer.deliver_outbox(due_only=False).outcomes == []
        os.kill(child.pid, signal.SIGKILL)  # as a Ctrl+C that never got to clean up
    finally:
        child.kill()
        child.wait()
    # No clock moved: the lease has five minutes to go, yet the next pass delivers.
    report = mailer.deliver_outbox()
    assert report.sent == 3
    assert sorted(smtp.inbox.recipients()) == addresses


def test_a_claim_from_another_host_waits_for_its_lease(
    core: Core, owner: Principal, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = _mailer(core, tmp_path, smtp.port)
    _invite(mailer, owner, 1)
    later = core.clock() + __import__("datetime").timedelta(minutes=5)
    with core.db.session() as session:
        session.execute(
            update(OutboxMessage).values(
                status="sending", claimed_by="elsewhere 4242 - 0a0b", next_attempt_at=later
            )
        )
    assert mailer.deliver_outbox().outcomes == []
    core.clock.advance(minutes=6)
    assert mailer.deliver_outbox().sent == 1


def test_a_permanent_refusal_fails_for_good_and_the_owner_resends(
    core: Core, owner: Principal, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = _mailer(core, tmp_path, smtp.port)
    mailer.create_team(owner, TEAM)
    mailer.invite_members(owner, TEAM, ["typo@example.com", "fine@example.com"])
    smtp.inbox.unknown.add("typo@example.com")
    report = mailer.deliver_outbox()
    assert report.sent == 1 and report.rejected == 1
    [rejected] = [o for o in report.outcomes if o.status == "rejected"]
    assert rejected.recipient == "typo@example.com" and "550 5.1.1 No such user here" in (
        rejected.detail
    )
    # Never asked again, not even by a pass that ignores the backoff.
    core.clock.advance(hours=3)
    assert mailer.deliver_outbox(due_only=False).outcomes == []
    listed = {m.recipient: m for m in mailer.list_outbox(owner).items}
    assert listed["typo@example.com"].final and listed["typo@example.com"].status == "failed"
    assert "550" in (listed["typo@example.com"].last_error or "")
    invite = next(
        i for i in mailer.list_invitations(owner, TEAM).items if i.email == "typo@example.com"
    )
    assert invite.delivery == "failed" and "No such user" in (invite.last_error or "")
    # The address is fixed at the server's end; resending makes a new message that goes.
    smtp.inbox.unknown.clear()
    mailer.resend_invitation(owner, TEAM, "typo@example.com")
    assert mailer.deliver_outbox().sent == 1
    assert smtp.inbox.recipients().count("typo@example.com") == 1


def test_a_server_that_cannot_be_reached_stops_the_pass(
    core: Core, owner: Principal, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        mailer = _mailer(core, tmp_path, closed.getsockname()[1])
        _invite(mailer, owner, BATCH + 5)
        report = mailer.deliver_outbox()
    # One connection attempt for the first batch, not one per message; the rest wait.
    assert (report.sent, report.failed, report.left) == (0, BATCH, 5)
    assert all(o.status == "queued" and "cannot reach" in o.detail for o in report.outcomes)
