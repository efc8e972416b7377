"""Account → SSH keys: your own keys, listed, added and removed from the app; checked in core."""

from __future__ import annotations

import asyncssh
import pytest
from textual import events
from textual.widgets import TextArea

from core.errors import InvalidInput
from core.services import Core
from core.ssh_public_keys import parse_public_key
from core.views import Principal, SshKeyView
from tests.ssh_signing import key_proof
from tests.tui.conftest import SnapshotWorld, Workspace
from tests.tui.helpers import notifications, screen_text, settle, table_column, type_text
from tui.app import AuxotApp
from tui.dialogs.add_ssh_key import AddSshKeyModal
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.help import HelpModal
from tui.dialogs.ssh_keys import SshKeysModal
from tui.screens.team_list import TeamListScreen

SIZE = (100, 30)
# A fixed key, so that the snapshot's fingerprint never changes.
FIXED_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIp1fWoBikUtszY50jc8qeLFsNlvMXIqvuj7wQuupON+ olive@laptop"
)


def new_key(comment: str = "") -> str:
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment or None)
    return key.export_public_key().decode().strip()


def own_key(email: str, comment: str = "") -> tuple[str, str]:
    """A fresh key line and its proof (the signature that registers it to ``email``)."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment or None)
    return key.export_public_key().decode().strip(), key_proof(key, email)


def add_own(core: Core, actor: Principal, comment: str = "") -> SshKeyView:
    line, proof = own_key(actor.email, comment)
    return core.add_ssh_key(actor, actor.email, line, proof)


def fingerprints(core: Core, actor: Principal) -> set[str]:
    return {key.fingerprint for key in core.list_ssh_keys(actor, actor.email).items}


async def open_ssh_keys(pilot) -> SshKeysModal:
    await settle(pilot)
    await pilot.press("ctrl+k")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SshKeysModal)
    return screen


async def paste(pilot, text: str) -> None:
    area = pilot.app.screen.query_one("#public_key", TextArea)
    assert pilot.app.screen.focused is area  # the one field has the focus
    pilot.app.post_message(events.Paste(text))  # as the terminal driver sends a paste
    await pilot.pause()


async def test_lists_only_your_own_keys(core: Core, ws: Workspace) -> None:
    mine = core.add_ssh_key(ws.owner, ws.owner.email, new_key("olive@laptop"))
    add_own(core, ws.ada, "ada@desk")  # the owner may see it in core
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        assert table_column(app, "#ssh-keys-table", 1) == [mine.fingerprint]
        assert table_column(app, "#ssh-keys-table", 0) == ["ED25519"]
        assert table_column(app, "#ssh-keys-table", 2) == ["olive@laptop"]
        assert table_column(app, "#ssh-keys-table", 4) == ["never"]
        await pilot.press("escape")
        assert isinstance(app.screen, TeamListScreen)


async def test_no_keys_says_how_to_add_one(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ssh_keys(pilot)
        assert "You have no SSH keys yet" in screen_text(app)
        assert screen.focused is screen.query_one("#ssh-keys-add")
        assert not screen.query_one("#ssh-keys-table").display


async def test_add_a_key(core: Core, ws: Workspace) -> None:
    text, proof = own_key(ws.cyd.email, "cyd@laptop")
    fingerprint = parse_public_key(text).fingerprint
    app = AuxotApp(core, ws.cyd)  # a plain member manages their own keys
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddSshKeyModal)
        await paste(pilot, text + "\n" + proof + "\n")  # the key, its signature below it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert fingerprints(core, ws.cyd) == {fingerprint}
        assert isinstance(app.screen, SshKeysModal)
        assert table_column(app, "#ssh-keys-table", 1) == [fingerprint]
        assert app.screen.focused is app.screen.query_one("#ssh-keys-table")
        assert any(fingerprint in message for message in notifications(app))


async def test_a_bad_key_shows_cores_sentence_and_adds_nothing(core: Core, ws: Workspace) -> None:
    bad = "ssh-ed25519 not-a-key"
    with pytest.raises(InvalidInput) as refused:
        parse_public_key(bad)
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        await pilot.press("a")
        await paste(pilot, bad)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddSshKeyModal)
        assert form.error_for("public_key") == str(refused.value)
        assert form.focused is form.query_one("#public_key")
        assert fingerprints(core, ws.cyd) == set()


async def test_a_key_of_another_account_is_refused_next_to_the_field(
    core: Core, ws: Workspace
) -> None:
    text, proof = own_key(ws.bob.email)
    core.add_ssh_key(ws.bob, ws.bob.email, text, proof)
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        await pilot.press("a")
        await paste(pilot, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddSshKeyModal)
        # Without a signature by the key, nobody may bind it to their account.
        assert "prove you hold it" in form.error_for("public_key")
        assert fingerprints(core, ws.cyd) == set()
        await pilot.press("escape")
        assert isinstance(app.screen, SshKeysModal)


async def test_remove_a_key_after_confirming(core: Core, ws: Workspace) -> None:
    keep = add_own(core, ws.bob, "keep")
    gone = add_own(core, ws.bob, "gone")
    app = AuxotApp(core, ws.bob)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        await pilot.press("down")  # the newer key, "gone"
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # cancelled: nothing changes
        await settle(pilot)
        assert fingerprints(core, ws.bob) == {keep.fingerprint, gone.fingerprint}
        await pilot.press("x")
        await pilot.press("y")
        await settle(pilot)
        assert fingerprints(core, ws.bob) == {keep.fingerprint}
        assert table_column(app, "#ssh-keys-table", 1) == [keep.fingerprint]


async def test_removing_a_key_already_gone_is_reported_and_the_list_follows_core(
    core: Core, ws: Workspace
) -> None:
    key = add_own(core, ws.cyd)
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        core.remove_ssh_key(ws.owner, ws.cyd.email, key.fingerprint)  # from elsewhere
        await pilot.press("x", "y")
        await settle(pilot)
        assert any("has no SSH key with the fingerprint" in m for m in notifications(app))
        assert "You have no SSH keys yet" in screen_text(app)


async def test_user_text_is_shown_literally(core: Core, ws: Workspace) -> None:
    add_own(core, ws.cyd, "[b]cyd[/b]@[red]laptop")
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_ssh_keys(pilot)
        assert table_column(app, "#ssh-keys-table", 2) == ["[b]cyd[/b]@[red]laptop"]
        assert "[b]cyd[/b]@[red]laptop ·" in screen_text(app)  # the detail line


async def test_palette_opens_it(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "ssh keys")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SshKeysModal)


async def test_help_lists_the_key_and_no_dialog_opens_it_twice(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        described = {row.description: row.keys for row in app.screen.keys}
        assert described["SSH keys"] == "^k"
        await pilot.press("escape")
        modal = await open_ssh_keys(pilot)
        await pilot.press("ctrl+k")
        assert app.screen is modal and len(app.screen_stack) == 2


# -- what a person sees ------------------------------------------------------------------------


def test_ssh_keys_modal_snapshot(world: SnapshotWorld, snap_compare) -> None:
    from tests.tui.helpers import script

    key = world.core.add_ssh_key(world.ws.owner, world.ws.owner.email, FIXED_KEY)
    world.clock.advance(hours=2)
    session = world.ws.owner.over_ssh(key.fingerprint)
    world.core.record_ssh_login(session)
    assert snap_compare(world.app(session), terminal_size=(80, 24), run_before=script("ctrl+k"))
