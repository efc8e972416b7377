"""Pilot tests for invitations in the app: the bulk invite dialog, the pending invitations
under the members, resend, revoke, copy link, and sending the emails off the UI thread.
Each flow is driven from the keyboard and then checked in core's state."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Button, Select

from core.services import Core
from core.views import DeliveryReport, InvitationView, TeamView
from tests.conftest import FakeClock
from tests.tui.conftest import Workspace
from tests.tui.helpers import (
    notifications,
    screen_text,
    settle,
    static_text,
    table_column,
    type_text,
)
from tests.tui.test_flows import SIZE, roles
from tui.app import AuxotApp
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.invitation_role import InvitationRoleModal
from tui.dialogs.invite import AddressArea, InviteModal
from tui.dialogs.invite_link import InviteLinkModal
from tui.team.invitations_panel import InvitationsPanel
from tui.team.screen import TeamScreen

ZED = "zed@nowhere.example.com"
PASTED = "eve@acme.example.com, ada@acme.example.com\nnot-an-address  zed@nowhere.example.com"


async def open_team(pilot, team: TeamView) -> TeamScreen:
    await settle(pilot)
    pilot.app.open_team(team)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    return screen


def pending(core: Core, ws: Workspace) -> dict[str, InvitationView]:
    return {view.email: view for view in core.list_invitations(ws.owner, ws.platform.id).items}


async def paste(pilot, text: str) -> None:
    """As a terminal delivers a paste: to the app, which hands it to the focused field."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def open_dialog(pilot) -> InviteModal:
    await pilot.press("i")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, InviteModal)
    return modal


async def focus_invitations(pilot) -> InvitationsPanel:
    await pilot.press("tab")  # from the members table to the invitations under it
    await pilot.pause()
    panel = pilot.app.screen.query_one(InvitationsPanel)
    assert panel.has_focus_within
    return panel


def outbox_files(core: Core) -> list[Path]:
    directory = core.settings.outbox_dir()
    return sorted(directory.glob("*.eml")) if directory.exists() else []


# -- the invite dialog --------------------------------------------------------------------------------


async def test_bulk_paste_gives_one_result_per_address(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        assert modal.focused is modal.query_one("#email")
        await paste(pilot, PASTED)
        assert modal.query_one(AddressArea).text == PASTED  # the paste keeps its new lines
        modal.query_one("#role", Select).value = "admin"
        await pilot.press("enter")  # Enter submits; it does not add a line
        await settle(pilot)
        assert app.screen is modal
        assert modal.result_lines == [
            ("added", "eve@acme.example.com added to Platform Engineering as admin."),
            (
                "already_member",
                "ada@acme.example.com is already a member of Platform Engineering as admin.",
            ),
            (
                "invalid",
                (
                    "'not-an-address' is not a valid email address: An email address must "
                    "have an @-sign."
                ),
            ),
            ("invited", f"Invited {ZED} as admin."),
        ]
        text = screen_text(app)
        assert "4 addresses: 1 added, 1 already a member, 1 invalid, 1 invited." in text
        assert modal.focused is modal.query_one("#done")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert "Eve Newcomer" in table_column(app, "#members-table")
        assert table_column(app, "#invitations-table") == [ZED]
    assert roles(core, ws, ws.platform.id)[ws.eve.email] == "admin"
    assert roles(core, ws, ws.platform.id)[ws.ada.email] == "admin"
    invitations = pending(core, ws)
    assert list(invitations) == [ZED]
    assert invitations[ZED].role == "admin"


async def test_invite_more_keeps_the_addresses_to_fix(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        await paste(pilot, "bogus eve@acme.example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [result for result, _ in modal.result_lines] == ["invalid", "added"]
        modal.query_one("#more").press()
        await settle(pilot)
        area = modal.query_one(AddressArea)
        assert area.text == "bogus"
        assert modal.focused is area
        assert modal.query_one("#invite-form").display


async def test_empty_dialog_says_so_and_changes_nothing(core: Core, ws: Workspace) -> None:
    before = roles(core, ws, ws.platform.id)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert modal.error_for("email") == "Enter at least one email address."
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert roles(core, ws, ws.platform.id) == before
    assert pending(core, ws) == {}


async def test_refused_invite_shows_cores_sentence_and_changes_nothing(
    core: Core, ws: Workspace
) -> None:
    app = AuxotApp(core, ws.bob)  # owner of Data Science
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.data)
        modal = await open_dialog(pilot)
        await paste(pilot, f"{ws.eve.email} {ZED}")
        core.change_role(ws.owner, ws.data.id, ws.bob.email, "member")  # meanwhile
        await pilot.press("enter")
        await settle(pilot)
        assert modal.result_lines == [
            (
                "refused",
                (
                    "Only the team's owners and workspace admins can manage members of "
                    "Data Science; you are a member."
                ),
            )
        ]
    assert ws.eve.email not in {m.email for m in core.list_members(ws.owner, ws.data.id).items}
    assert core.list_invitations(ws.owner, ws.data.id).items == []
    assert outbox_files(core) == []


async def test_markup_in_addresses_is_shown_literally(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_team(pilot, ws.platform)
        await open_dialog(pilot)
        await paste(pilot, "[b]x[/b]@acme")
        await pilot.press("enter")
        await settle(pilot)
        assert "'[b]x[/b]@acme' is not a valid email address" in screen_text(app)


# -- sending ---------------------------------------------------------------------------------------------


async def test_without_smtp_the_emails_are_written_and_the_dialog_says_where(
    core: Core, ws: Workspace
) -> None:
    outbox = str(core.settings.outbox_dir())
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        await paste(pilot, f"{ZED}, eve@acme.example.com")
        await pilot.press("enter")
        await settle(pilot)
        [zed, eve] = sorted(Path(outbox).glob("*.eml"))  # named by time, then message id
        assert modal.delivery_text == (
            f"No mail server is set up: the email to {ZED} was written to {zed}. "
            f"The email to eve@acme.example.com was written to {eve}. "
            "Press c on an invitation to copy its link."
        )
        assert not modal.query_one("#invite-sending").display
        # The dialog shows the outcome, so no toast covers it.
        assert not [message for message in notifications(app) if outbox in message]
        await pilot.press("escape")
        await settle(pilot)
        await focus_invitations(pilot)
        detail = str(app.screen.query_one("#invitation-detail").render())
        assert f"No mail server: emails go to {outbox}; press c to copy the link." in detail
        assert "written (.eml)" in table_column(app, "#invitations-table", 4)
    assert pending(core, ws)[ZED].delivery == "sent"
    files = outbox_files(core)
    assert len(files) == 2
    assert any(ZED in path.read_text() for path in files)


async def test_outcome_is_a_notification_once_the_dialog_is_closed(
    core: Core, ws: Workspace, monkeypatch
) -> None:
    outbox = str(core.settings.outbox_dir())
    gate = threading.Event()
    deliver = core.deliver_outbox

    def slow_deliver(**options: Any) -> DeliveryReport:
        gate.wait(5)
        return deliver(**options)

    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        monkeypatch.setattr(core, "deliver_outbox", slow_deliver)
        modal = await open_dialog(pilot)
        await paste(pilot, ZED)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if modal.result_lines:
                break
        assert modal.delivery_text == "Sending 1 email…"
        assert modal.query_one("#invite-sending").display  # the progress indicator
        await pilot.press("escape")  # before the email has gone
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert any(outbox in message for message in notifications(app))
    assert pending(core, ws)[ZED].delivery == "sent"


async def test_failed_delivery_is_shown_and_retried(
    core: Core, ws: Workspace, clock: FakeClock
) -> None:
    core.settings.smtp_host, core.settings.smtp_port = "127.0.0.1", 1  # nothing listens
    core.settings.smtp_timeout = 2
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_team(pilot, ws.platform)
        await open_dialog(pilot)
        await paste(pilot, ZED)
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, InviteModal)
        assert modal.delivery_text.startswith(
            "The email to zed@nowhere.example.com is not sent yet (cannot reach 127.0.0.1:1"
        )
        assert modal.delivery_text.endswith("The app tries again in the background.")
        await pilot.press("escape")
        await settle(pilot)
        view = pending(core, ws)[ZED]
        assert (view.delivery, view.attempts) == ("failed", 1)
        assert (view.last_error or "").startswith("cannot reach 127.0.0.1:1")
        await focus_invitations(pilot)
        assert table_column(app, "#invitations-table", 4)[0].startswith("failed: cannot reach")
        detail = str(app.screen.query_one("#invitation-detail").render())
        assert detail.startswith(
            "Not delivered after 1 attempt, retried in the background: cannot reach 127.0.0.1:1"
        )

        # The mail server is fixed; the retry timer's next pass delivers once it is due.
        core.settings.smtp_host = None
        app.outbox.retry()
        await settle(pilot)
        assert pending(core, ws)[ZED].delivery == "failed"
        clock.advance(minutes=2)
        app.outbox.retry()
        await settle(pilot)
        assert pending(core, ws)[ZED].delivery == "sent"
        assert table_column(app, "#invitations-table", 4) == ["written (.eml)"]
        assert any(
            f"the email to {ZED} was written to " in message for message in notifications(app)
        )
    assert len(outbox_files(core)) == 1


async def test_delivery_passes_never_overlap(core: Core, ws: Workspace, monkeypatch) -> None:
    release = threading.Event()
    running: list[int] = []
    calls: list[int] = []

    def slow_deliver(*, due_only: bool = True, limit: int = 100) -> DeliveryReport:
        running.append(1)
        calls.append(len(running))
        release.wait(5)
        running.pop()
        return DeliveryReport(len(calls), 0)  # the first pass sends 1 email, the second 2

    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(core, "deliver_outbox", slow_deliver)
        app.outbox.retry()  # a background pass
        await pilot.pause()
        assert app.outbox.state.busy
        app.outbox.retry()  # skipped: a pass is running
        app.outbox.send(2)  # these wait for the running pass to end, then go in one more
        app.outbox.send(1)
        await pilot.pause()
        release.set()
        await settle(pilot)
        state = app.outbox.state
        assert not state.busy
        # Both passes are told as one, to whoever waited for the three emails.
        assert state.announced == 3
        assert state.report is not None and state.report.sent == 3
        assert "Sent 3 emails." in notifications(app)
    assert calls == [1, 1]  # two passes, one after the other


# -- the pending invitations under the members ----------------------------------------------------------


async def test_resend_renews_the_expiry(core: Core, ws: Workspace, clock: FakeClock) -> None:
    first = core.invite_member(ws.owner, ws.platform.id, ZED).invitation
    assert first is not None
    clock.advance(days=2)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert any(
            message.startswith(f"New invitation link for {ZED}, valid until")
            for message in notifications(app)
        )
    renewed = pending(core, ws)[ZED]
    assert renewed.expires_at == first.expires_at + timedelta(days=2)
    assert renewed.delivery == "sent"


async def test_revoke_asks_then_removes_from_pending(core: Core, ws: Workspace) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    before = roles(core, ws, ws.platform.id)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        await pilot.press("x")  # revoke here, not remove a member
        assert isinstance(app.screen, ConfirmModal)
        assert ZED in screen_text(app)
        await pilot.press("escape")
        assert list(pending(core, ws)) == [ZED]
        await pilot.press("x", "y")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert f"Revoked the invitation of {ZED}." in notifications(app)
        panel = app.screen.query_one(InvitationsPanel)
        assert not panel.query_one("#invitations-table").display
        assert "No pending invitations" in screen_text(app)
    assert pending(core, ws) == {}
    assert roles(core, ws, ws.platform.id) == before


async def test_the_link_is_shown_as_text_and_copied_never_notified(
    core: Core, ws: Workspace
) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        await pilot.press("c")
        await settle(pilot)
        link = core.invitation_link(ws.owner, ws.platform.id, ZED)
        token = link.rsplit("/", 1)[1]
        assert isinstance(app.screen, InviteLinkModal)
        assert app.clipboard == link
        assert link in static_text(app)  # whole, to send by hand
        assert isinstance(app.focused, Button) and app.focused.id == "link-close"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert not [message for message in notifications(app) if token in message]
        assert token not in screen_text(app)


async def test_resend_of_a_revoked_invitation_is_refused(core: Core, ws: Workspace) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        core.revoke_invitation(ws.owner, ws.platform.id, ZED)  # by someone else, meanwhile
        await pilot.press("s")
        await settle(pilot)
        assert f"There is no open invitation for '{ZED}' to Platform Engineering." in notifications(
            app
        )
    assert pending(core, ws) == {}


async def test_palette_offers_invitation_actions_to_managers(core: Core, ws: Workspace) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, ws.platform)
        labels = {command.label for command in screen.palette_commands()}
        assert {
            "Members: Invite",
            "Invitations: Resend",
            "Invitations: Revoke",
            "Invitations: Copy link",
        } <= labels
        await pilot.press("ctrl+p")
        await type_text(pilot, "invitations copy")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard.startswith(core.settings.public_url)


async def test_people_who_cannot_manage_members_see_no_invitations(
    core: Core, ws: Workspace, monkeypatch
) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    asked: list[object] = []
    real_list_invitations = core.list_invitations
    monkeypatch.setattr(core, "list_invitations", lambda *args, **kw: asked.append(args))
    for who in (ws.cyd, ws.ada):  # a member, a team admin
        app = AuxotApp(core, who)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_team(pilot, ws.platform)
            assert not screen.query_one(InvitationsPanel).display
            assert ZED not in screen_text(app)
            labels = [command.label for command in screen.palette_commands()]
            assert not [label for label in labels if "nvit" in label]
            shown = {b.binding.action for b in screen.active_bindings.values()}
            assert not {"invite", "resend", "revoke", "copy_link"} & shown
            await pilot.press("tab", "s", "c", "x")
            await settle(pilot)
            assert isinstance(app.screen, TeamScreen)
            assert app.clipboard == ""
    assert asked == []
    assert [view.email for view in real_list_invitations(ws.owner, ws.platform.id).items] == [ZED]


async def test_an_invitation_role_is_changed_and_owner_is_asked_about(
    core: Core, ws: Workspace
) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, InvitationRoleModal)
        assert app.screen.query_one("#invitation-roles").highlighted == 2  # member, now
        await pilot.press("up", "enter")
        await settle(pilot)
        assert pending(core, ws)[ZED].role == "admin"
        assert table_column(app, "#invitations-table", 1) == ["Admin"]

        await pilot.press("r")
        await settle(pilot)
        await pilot.press("up", "up", "up", "enter")  # the list stops at Owner; then asks
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert pending(core, ws)[ZED].role == "admin"
