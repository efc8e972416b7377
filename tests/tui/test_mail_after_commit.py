"""Mail leaves right after the commit, whatever front end made the invitation: core's
registry says an invitation mails, and ``Core.run`` hands it to the app's sender. Against a
real SMTP server, with no flush and well inside the app's one-minute retry."""

from __future__ import annotations

import asyncio
from pathlib import Path

from core.services import Core
from core.settings import Settings
from tests.smtp_server import SmtpServer
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, type_text
from tests.tui.test_flows import SIZE
from tests.tui.test_invitations import open_dialog, open_team, paste
from tui.app import AuxotApp
from tui.dialogs.agent import AgentModal
from tui.outbox_runner import DeliverInBackground

NEW = "newcomer@example.com"


def mailing(core: Core, tmp_path: Path, server: SmtpServer) -> Core:
    settings = Settings(
        data_dir=tmp_path / "mail",
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_starttls=False,
        smtp_timeout=5.0,
        secret_key="m" * 40,
    )
    return Core(core.db, core.clock, settings)


async def arrived(server: SmtpServer, count: int = 1, timeout: float = 20.0) -> list[str]:
    """Wait without blocking the app's loop, which sends from a worker thread."""
    return await asyncio.get_running_loop().run_in_executor(
        None, server.inbox.wait_for, count, timeout
    )


async def test_the_invite_dialog_mails_at_once(
    core: Core, ws: Workspace, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = mailing(core, tmp_path, smtp)
    app = AuxotApp(mailer, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(mailer.after_commit, DeliverInBackground)
        await open_team(pilot, ws.platform)
        await open_dialog(pilot)
        await paste(pilot, NEW)
        await pilot.press("ctrl+s")
        assert await arrived(smtp) == [NEW]
        await settle(pilot)
    [invitation] = core.list_invitations(ws.owner, ws.platform.id).items
    assert (invitation.email, invitation.delivery) == (NEW, "sent")


async def test_the_agent_bar_mails_at_once(
    core: Core, ws: Workspace, tmp_path: Path, smtp: SmtpServer
) -> None:
    mailer = mailing(core, tmp_path, smtp)
    app = AuxotApp(mailer, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon")
        await settle(pilot)
        assert isinstance(app.screen, AgentModal)
        await type_text(pilot, f"Invite {NEW} to Platform Engineering")
        await pilot.press("enter")  # the plan
        await settle(pilot)
        assert smtp.inbox.messages == []  # shown, not done
        await pilot.press("enter")  # confirmed
        assert await arrived(smtp) == [NEW]
        await settle(pilot)
    [invitation] = core.list_invitations(ws.owner, ws.platform.id).items
    assert invitation.delivery == "sent"
