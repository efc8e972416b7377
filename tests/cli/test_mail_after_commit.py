"""The CLI sends an invitation's mail before the command returns: core does it after the
commit, not the command. Against a real SMTP server, with no `auxot outbox flush`."""

from __future__ import annotations

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
