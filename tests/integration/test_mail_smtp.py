"""Invitation mail through a real SMTP server (aiosmtpd on loopback), including the faults a
real server produces: down, slow, refusing the sender or a recipient, dropping mid-message."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from core.services import Core
from core.settings import Settings
from core.tokens import token_hash

TEAM = "Platform Engineering"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound, never listening, and held for the
    test so that no other process can start listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _core(core: Core, tmp_path: Path, port: int, **extra: object) -> Core:
    settings = Settings(
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_timeout=1.0,
        secret_key="k" * 40,
        **extra,
    )
    return Core(core.db, core.clock, settings)


def _text(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_invitation_is_delivered_and_its_link_joins_the_team(core, owner, tmp_path, smtp):
    inbox, port = smtp
    mailer = _core(core, tmp_path, port)
    mailer.create_team(owner, TEAM)
    outcome = mailer.invite_member(owner, TEAM, "alice@example.com", "admin")
    assert outcome.result == "invited"
    report = mailer.deliver_outbox()
    assert (report.sent, report.failed) == (1, 0)
    [message] = inbox.messages
    assert message["To"] == "alice@example.com"
    assert message["From"] and message["Date"] and message["Message-ID"]
    assert " ".join(message["Subject"].split()) == f"Olive Owner invited you to {TEAM} on Auxot"
    body = _text(message)
    assert TEAM in body and "an admin" in body and "Olive Owner (owner@acme.example.com)" in body
    token = body.split("/invite/")[1].split()[0]
    assert f"auxot accept {token}" in body
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert token in html.get_payload(decode=True).decode()
    [invite] = mailer.list_invitations(owner, TEAM).items
    assert (invite.delivery, invite.attempts) == ("sent", 1)
    result = mailer.accept_invitation(token, "Alice Liddell")
    assert (result.team_name, result.role, result.created_account) == (TEAM, "admin", True)
    roles = {m.email: m.role for m in mailer.list_members(owner, TEAM).items}
    assert roles["alice@example.com"] == "admin"


def test_existing_account_is_added_at_once_and_told(core, owner, tmp_path, smtp):
    inbox, port = smtp
    mailer = _core(core, tmp_path, port)
    mailer.create_team(owner, TEAM)
    mailer.add_user(owner, "bob@example.com", "Bob Builder")
    assert mailer.invite_member(owner, TEAM, "BOB@example.com", "member").result == "added"
    mailer.deliver_outbox()
    [message] = inbox.messages
    assert "added you to the team Platform Engineering" in _text(message)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("refuse_sender", "550"),
        ("busy", "451"),
        ("closing", "421"),
        ("drop", ""),
        ("slow", "did not answer"),
    ],
)
def test_a_failing_server_loses_nothing_and_a_retry_delivers(
    core, owner, tmp_path, smtp, mode, expected
):
    inbox, port = smtp
    mailer = _core(core, tmp_path, port)
    mailer.create_team(owner, TEAM)
    mailer.invite_member(owner, TEAM, "carol@example.com")
    inbox.mode = mode
    report = mailer.deliver_outbox()
    assert (report.sent, report.failed) == (0, 1)
    [invite] = mailer.list_invitations(owner, TEAM).items
    assert invite.status == "pending"
    assert invite.delivery == "failed" and invite.attempts == 1
    assert invite.last_error and expected in invite.last_error
    # Not due yet: the automatic retry waits for its backoff.
    assert mailer.deliver_outbox().sent == 0
    inbox.mode = "accept"
    core.clock.advance(minutes=2)
    assert mailer.deliver_outbox().sent == 1
    [invite] = mailer.list_invitations(owner, TEAM).items
    assert (invite.delivery, invite.attempts, invite.last_error) == ("sent", 2, None)
    assert len([m for m in inbox.messages if m["To"] == "carol@example.com"]) == 1


def test_server_down_keeps_the_invitation_for_later(core, owner, tmp_path, closed_port):
    mailer = _core(core, tmp_path, closed_port)
    mailer.create_team(owner, TEAM)
    mailer.invite_member(owner, TEAM, "dave@example.com")
    report = mailer.deliver_outbox()
    assert report.failed == 1 and "cannot reach" in report.errors[0]
    [invite] = mailer.list_invitations(owner, TEAM).items
    assert invite.status == "pending" and invite.delivery == "failed"


def test_without_smtp_messages_are_written_as_eml_files(core, owner, tmp_path):
    mailer = Core(core.db, core.clock, Settings(data_dir=tmp_path, secret_key="k" * 40))
    mailer.create_team(owner, TEAM)
    mailer.invite_member(owner, TEAM, "erin@example.com")
    report = mailer.deliver_outbox()
    assert report.sent == 1 and report.written_to == str(tmp_path / "outbox")
    [path] = (tmp_path / "outbox").glob("*.eml")
    assert path.stat().st_mode & 0o077 == 0
    message = email.message_from_bytes(path.read_bytes())
    token = _text(message).split("/invite/")[1].split()[0]
    # The database holds the token's hash only, never the token.
    db_path = Path(core.db.engine.url.database or "")
    if db_path.exists():
        stored = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
        assert token.encode() not in stored
        assert token_hash(token).encode() in stored


def test_a_team_named_like_an_encoded_word_reaches_the_subject_as_written(
    core, owner, tmp_path, smtp
):
    inbox, port = smtp
    mailer = _core(core, tmp_path, port)
    name = "=?utf-8?q?Bcc=3A_x=40example.com?="
    mailer.create_team(owner, name)
    mailer.invite_member(owner, name, "alice@example.com")
    assert mailer.deliver_outbox().sent == 1
    [received] = inbox.messages
    parsed = email.message_from_bytes(received.as_bytes(), policy=email.policy.default)
    assert str(parsed["Subject"]) == f"Olive Owner invited you to {name} on Auxot"
    assert "Bcc" not in parsed and parsed["To"] == "alice@example.com"
