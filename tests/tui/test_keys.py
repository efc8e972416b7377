"""Pilot tests for the API keys tab and the one-time reveal, checked in core's state: keys
really are created, rotated and revoked, and the plaintext is gone once the dialog closes."""

from __future__ import annotations

from datetime import timedelta

from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static, TabbedContent

from core.services import Core
from tests.conftest import FakeClock
from tests.tui.conftest import Workspace
from tests.tui.helpers import (
    move_to,
    notifications,
    screen_text,
    settle,
    static_text,
    table_column,
    type_text,
    wait_for,
    wait_until,
)
from tui.app import AuxotApp
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.help import HelpModal
from tui.dialogs.key_reveal import KeyRevealModal
from tui.dialogs.new_key import NewKeyModal
from tui.dialogs.rotate_key import RotateKeyModal
from tui.team.keys_tab import KeysTab
from tui.team.screen import TeamScreen

SIZE = (100, 30)


async def open_keys(pilot, team: str = "Platform Engineering") -> TeamScreen:
    await settle(pilot)
    await move_to(pilot, "#teams-table", team)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    await wait_for("TabPane#keys")(pilot)
    await pilot.press("5")
    await settle(pilot)
    assert screen.query_one(TabbedContent).active == "keys"
    await wait_until(pilot, lambda: screen.query_one(KeysTab).has_focus_within)
    return screen


def widget_text(app: AuxotApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render()).strip()


def shown_key(app: AuxotApp) -> str:
    """The key as the reveal modal shows it (what a person would copy)."""
    assert isinstance(app.screen, KeyRevealModal)
    return widget_text(app, "#key-value")


def rendered_texts(app: AuxotApp) -> str:
    """Everything every widget of every open screen renders, and the screenshot's text."""
    parts = [screen_text(app)]
    for screen in app.screen_stack:
        for widget in screen.walk_children(Widget, with_self=True):
            parts.append(str(widget.render()))
    return "\n".join(parts)


def held_by(app: AuxotApp, secret: str) -> list[str]:
    """Attributes of the app, its screens and the keys tab whose value holds ``secret``."""
    holders = [app, *app.screen_stack, *app.screen.query(KeysTab)]
    return [
        f"{type(holder).__name__}.{name}"
        for holder in holders
        for name, value in vars(holder).items()
        if secret in repr(value)
    ]


def status(core: Core, ws: Workspace, name: str) -> list[str]:
    return [key.status for key in core.list_keys(ws.ada, ws.platform.id).items if key.name == name]


# -- create and reveal ------------------------------------------------------------------------------


async def test_new_key_is_shown_once_and_works(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_keys(pilot)
        assert "This team has no API keys yet." in screen_text(app)
        await pilot.press("n")
        modal = app.screen
        assert isinstance(modal, NewKeyModal)
        assert modal.focused is modal.query_one("#name")
        await type_text(pilot, "CI pipeline")
        await pilot.press("tab")
        await type_text(pilot, "30")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, KeyRevealModal)
        key = shown_key(app)
        check = core.verify_key(key)
        assert check.ok and check.team_id == ws.platform.id and check.key_name == "CI pipeline"
        text = screen_text(app)
        assert key in text
        assert "will not be shown again" in text

        # Escape does not close it; it says why.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        assert "stays open until you choose “I have stored it”" in screen_text(app)

        await pilot.press("c")
        assert app.clipboard == key
        assert "Copied the key to the clipboard." in notifications(app)
        assert not [message for message in notifications(app) if key in message]

        # Copy moved the focus to "I have stored it".
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert key not in rendered_texts(app)
        assert held_by(app, key) == []
        assert app.clipboard == ""
        assert table_column(app, "#keys-table") == ["CI pipeline"]

    [listed] = core.list_keys(ws.ada, ws.platform.id).items
    assert listed.status == "active" and listed.created_by == ws.ada.email
    assert listed.expires_at == listed.created_at + timedelta(days=30)
    assert key.startswith(f"team.{listed.key_id}.")


async def test_new_key_refusals_appear_next_to_the_field(core: Core, ws: Workspace) -> None:
    core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, NewKeyModal)
        await pilot.press("enter")
        await settle(pilot)
        assert modal.error_for("name") == "A key name cannot be empty."

        await type_text(pilot, "webhook")
        await pilot.press("enter")
        await settle(pilot)
        assert "already has a key named 'Webhook'" in modal.error_for("name")
        assert modal.focused is modal.query_one("#name")

        modal.query_one("#name", Input).value = "Nightly export"
        modal.query_one("#expires", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "whole number of days, from 1 to 3,650" in modal.error_for("expires")
        assert modal.error_for("name") == ""
        assert modal.focused is modal.query_one("#expires")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert [key.name for key in core.list_keys(ws.ada, ws.platform.id).items] == ["Webhook"]


async def test_refusal_from_core_is_a_sentence_and_changes_nothing(
    core: Core, ws: Workspace
) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_keys(pilot)
        await pilot.press("n")
        await type_text(pilot, "CI pipeline")
        core.change_role(ws.owner, ws.platform.id, ws.ada.email, "member")  # meanwhile
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewKeyModal)
        assert "Only the team's admins and owners can manage the API keys" in modal.error_for(
            "form"
        )
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await settle(pilot)
        # Now a member: the tab and its data are gone.
        assert not screen.query(KeysTab)
        assert screen.query_one(TabbedContent).active != "keys"
    assert core.list_keys(ws.owner, ws.platform.id).items == []


# -- rotate -------------------------------------------------------------------------------------------


async def test_rotate_shows_the_new_key_and_the_old_keys_end(
    core: Core, ws: Workspace, clock: FakeClock
) -> None:
    old = core.create_key(ws.ada, ws.platform.id, "Webhook")
    core.create_key(ws.ada, ws.platform.id, "CI pipeline")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await move_to(pilot, "#keys-table", "Webhook")
        await pilot.press("o")
        modal = app.screen
        assert isinstance(modal, RotateKeyModal)
        assert modal.query_one("#grace", Input).value == "24"
        assert modal.focused is modal.query_one("#grace")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, KeyRevealModal)
        new = shown_key(app)
        end = clock.now + timedelta(hours=24)
        assert widget_text(app, "#key-old-end") == (
            f"The old key {old.key.masked} keeps working until {end:%Y-%m-%d %H:%M} UTC, "
            "then stops."
        )
        assert core.verify_key(new).ok
        assert core.verify_key(old.plaintext).ok  # the grace period
        assert status(core, ws, "Webhook") == ["active", "rotated"]
        await pilot.press("tab", "enter")  # Copy → I have stored it
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert new not in rendered_texts(app)
        assert held_by(app, new) == []
        assert table_column(app, "#keys-table", 2) == ["active", "active", "rotated"]

    clock.advance(hours=24)
    assert core.verify_key(old.plaintext).reason == "rotated-out"
    assert core.verify_key(new).ok


async def test_rotate_with_no_grace_ends_the_old_key_at_once(core: Core, ws: Workspace) -> None:
    old = core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("o")
        await type_text(pilot, "0")  # the field's text is selected: this replaces it
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        new = shown_key(app)
        assert widget_text(app, "#key-old-end") == (
            f"The old key {old.key.masked} stopped working at once."
        )
        assert core.verify_key(old.plaintext).reason == "rotated-out"
        assert core.verify_key(new).ok
        app.screen.query_one("#key-stored").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert new not in rendered_texts(app)


async def test_rotate_until_unused_ends_the_old_key_once_it_goes_quiet(
    core: Core, ws: Workspace, clock
) -> None:
    old = core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("o")
        app.screen.query_one("#until-unused", Checkbox).value = True
        app.screen.query_one("#grace", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        app.screen.query_one("#key-stored").focus()
        await pilot.press("enter")
        await settle(pilot)
    old_view = next(k for k in core.list_keys(ws.owner, ws.platform.id).items if k.id == old.key.id)
    assert (old_view.status, old_view.quiet_seconds) == ("rotated", 3600)
    assert core.verify_key(old.plaintext).ok  # inside its quiet hour, well before 24 h
    clock.advance(minutes=61)  # an hour without a call: it ends, long before its grace
    assert core.verify_key(old.plaintext).reason == "rotated-out"


async def test_rotate_refuses_a_bad_grace_next_to_the_field(core: Core, ws: Workspace) -> None:
    core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("o")
        await type_text(pilot, "1000")
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RotateKeyModal)
        assert "between 0 and 720 hours" in modal.error_for("grace")
        await pilot.press("escape")
        await settle(pilot)
    assert status(core, ws, "Webhook") == ["active"]


# -- revoke -------------------------------------------------------------------------------------------


async def test_revoke_asks_then_revokes(core: Core, ws: Workspace) -> None:
    kept = core.create_key(ws.ada, ws.platform.id, "CI pipeline")
    gone = core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_keys(pilot)
        await move_to(pilot, "#keys-table", "Webhook")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        assert f"Revoke Webhook ({gone.key.masked})?" in screen_text(app)
        await pilot.press("escape")  # cancel: nothing changes
        await settle(pilot)
        assert core.verify_key(gone.plaintext).ok

        await pilot.press("x", "y")
        await settle(pilot)
        assert "Revoked the key Webhook; it stops working at once." in notifications(app)
        assert core.verify_key(gone.plaintext).reason == "revoked"
        assert core.verify_key(kept.plaintext).ok
        assert table_column(app, "#keys-table", 2) == ["active", "revoked"]
        # A revoked key can be neither revoked nor rotated again.
        await move_to(pilot, "#keys-table", "Webhook")
        await pilot.press("x", "o")
        assert isinstance(app.screen, TeamScreen)


# -- who sees keys ----------------------------------------------------------------------------------


async def test_member_sees_no_key_data(core: Core, ws: Workspace) -> None:
    created = core.create_key(ws.ada, ws.platform.id, "CI pipeline")
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.team.id == ws.platform.id
        await pilot.press("5")
        await settle(pilot)
        assert not screen.query(KeysTab)
        assert screen.query_one(TabbedContent).active == "members"
        assert {pane.id for pane in screen.query("TabPane")} == {
            "members",
            "resources",
            "activity",
            "settings",
        }
        text = rendered_texts(app)
        assert "API keys" not in text and created.key.key_id not in text
        labels = [command.label for command in screen.palette_commands()]
        assert not [label for label in labels if "key" in label.lower()]
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpModal)
        described = {row.description for row in help_screen.keys}
        assert not {"API keys tab", "New key", "Rotate", "Revoke"} & described


async def test_palette_offers_key_actions_to_admins(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "#teams-table", "Platform Engineering")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        labels = {command.label for command in screen.palette_commands()}
        assert {
            "Navigate: API keys tab",
            "API keys: New key",
            "API keys: Rotate",
            "API keys: Revoke",
        } <= labels
        await pilot.press("ctrl+p")
        await type_text(pilot, "api keys new")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewKeyModal)
        assert screen.query_one(TabbedContent).active == "keys"


async def test_scope_asks_then_narrows_the_key_from_its_next_call(
    core: Core, ws: Workspace
) -> None:
    made = core.create_key(ws.ada, ws.platform.id, "Webhook")
    assert core.verify_key(made.plaintext).scope == "full"
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Make Webhook read-only?" in static_text(app)
        await pilot.press("escape")  # no: nothing changes
        await settle(pilot)
        assert core.verify_key(made.plaintext).scope == "full"
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#confirm", Button).press()
        await settle(pilot)
        assert core.verify_key(made.plaintext).scope == "read"
        assert "Read-only (read scope)." in widget_text(app, "#keys-detail")


async def test_ending_sooner_with_no_grace_is_refused_in_the_dialogs_words(
    core: Core, ws: Workspace
) -> None:
    core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        await pilot.press("o")
        await type_text(pilot, "0")
        app.screen.query_one("#until-unused", Checkbox).value = True
        app.screen.query_one("#grace", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RotateKeyModal)
        assert "grace period of at least 1 hour" in modal.error_for("grace")
    assert status(core, ws, "Webhook") == ["active"]
