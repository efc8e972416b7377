"""The CLI sends an invitation's mail before the command returns: core does it after the
commit, not the command. Against a real SMTP server, with no `auxot outbox flush`."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli.conftest import Auxot
from tests.smtp_server import SmtpServer

TEAM = "Platform Engineering"


@pytest.fixture
def mailing(acme: Auxot, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Auxot:
    monkeypatch.setenv("AUXOT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AUXOT_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("AUXOT_SMTP_STARTTLS", "false")
    assert acme("teams", "create", TEAM).code == 0
    return acme


def test_members_add_mails_before_it_returns(mailing: Auxot, smtp: SmtpServer) -> None:
    run = mailing("members", "add", TEAM, "new@example.com", "alice@acme.example.com")
    assert run.code == 0, run.err
    # Both left before the command returned: an invitation and an "added" notice.
    assert sorted(smtp.inbox.recipients()) == ["alice@acme.example.com", "new@example.com"]
    listed = mailing("--json", "invites", "list", TEAM).json()
    assert [(i["email"], i["delivery"]) for i in listed] == [("new@example.com", "sent")]


def test_resend_and_the_agent_mail_before_they_return(mailing: Auxot, smtp: SmtpServer) -> None:
    run = mailing("ask", "--yes", f"Invite new@example.com to {TEAM}")
    assert run.code == 0, run.err
    assert smtp.inbox.recipients() == ["new@example.com"]
    assert mailing("invites", "resend", TEAM, "new@example.com").code == 0
    assert smtp.inbox.recipients() == ["new@example.com", "new@example.com"]


def test_a_refused_invitation_sends_nothing(mailing: Auxot, smtp: SmtpServer) -> None:
    run = mailing("members", "add", TEAM, "new@example.com", "--user", "bob@acme.example.com")
    assert run.code == 1
    assert smtp.inbox.messages == []


def test_each_command_says_what_became_of_the_mail(
    mailing: Auxot, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    """Sent, refused for good (with the reply, then resent), queued (with the reason), and
    written to a file (with its path): never "sent" for a mail that did not go."""
    smtp.inbox.unknown.add("typo@example.com")
    run = mailing("members", "add", TEAM, "new@example.com", "typo@example.com")
    assert run.out.splitlines() == [
        "Invited new@example.com as member.",
        "Invited typo@example.com as member.",
        "Email to new@example.com sent.",
    ]
    assert run.err.splitlines() == [
        (
            "The mail server refused the email to typo@example.com for good (recipient refused "
            "(typo@example.com: 550 5.1.1 No such user here)); check the address, then resend "
            "the invitation."
        )
    ]
    listed = mailing("outbox", "list").out
    assert "failed for good" in listed and "550 5.1.1 No such user here" in listed
    assert mailing("outbox", "flush").out == "Nothing was waiting to be sent.\n"
    smtp.inbox.unknown.clear()
    resent = mailing("invites", "resend", TEAM, "typo@example.com")
    assert resent.out.splitlines()[1] == "Email to typo@example.com sent."

    with socket.socket() as closed:  # a server that is down: queued, with the reason
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("AUXOT_SMTP_PORT", str(closed.getsockname()[1]))
        run = mailing("members", "add", TEAM, "later@example.com")
    assert run.out == "Invited later@example.com as member.\n"
    assert run.err.startswith("The email to later@example.com is not sent yet (cannot reach ")
    assert run.err.endswith("it stays queued and is tried again.\n")

    monkeypatch.delenv("AUXOT_SMTP_HOST")  # no server at all: a file, named
    run = mailing("outbox", "flush")
    [written] = (isolated / "outbox").glob("*.eml")
    assert run.out == (
        f"No mail server is set up: the email to later@example.com was written to {written}.\n"
    )
