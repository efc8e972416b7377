"""The footer keeps every key it shows whole, "? Help" above all: when the keys do not fit the
width it packs them closer, then leaves out the command palette's hint (issue: at 80 columns,
with the pending invitations focused, "esc Back" and "? Help" were cut)."""

from __future__ import annotations

from typing import Any

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle
from tests.tui.test_invitations import ZED, focus_invitations, open_team
from tui.app import AuxotApp
from tui.widgets.footer import AuxotFooter


def footer_keys(app: AuxotApp) -> list[Any]:
    """The footer's keys (Textual's FooterKey, asked for by name: its module is private)."""
    return list(app.screen.query_one(AuxotFooter).query("FooterKey"))


def cut_or_covered(app: AuxotApp) -> list[str]:
    """Keys that do not show whole: past the screen's edge, or under another key."""
    width = app.screen.size.width
    keys = [key for key in footer_keys(app) if key.display]
    problems = [f"{key.key_display} cut" for key in keys if key.region.right > width]
    for n, key in enumerate(keys):
        problems += [
            f"{key.key_display} under {other.key_display}"
            for other in keys[n + 1 :]
            if key.region.overlaps(other.region)
        ]
    return problems


def descriptions(app: AuxotApp) -> list[str]:
    return [f"{key.key_display} {key.description}" for key in footer_keys(app)]


async def test_every_key_shows_whole_at_80_columns(core: Core, ws: Workspace) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "? Help" in descriptions(app) and not cut_or_covered(app)  # the team list
        await open_team(pilot, ws.platform)
        assert "? Help" in descriptions(app) and not cut_or_covered(app)  # members
        await focus_invitations(pilot)
        await settle(pilot)
        shown = descriptions(app)
        assert shown[-2:] == ["esc Back", "? Help"], shown
        assert "c Copy link" in shown
        assert not cut_or_covered(app)
        footer = app.screen.query_one(AuxotFooter)
        assert footer.compact  # packed closer, and without the palette's hint
        assert not footer.query(".-command-palette")


async def test_the_roomy_footer_comes_back_when_the_terminal_widens(
    core: Core, ws: Workspace
) -> None:
    core.invite_member(ws.owner, ws.platform.id, ZED)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        await settle(pilot)
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        footer = app.screen.query_one(AuxotFooter)
        assert not footer.compact
        assert footer.query(".-command-palette")
        assert not cut_or_covered(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        footer = app.screen.query_one(AuxotFooter)
        assert footer.compact and not footer.query(".-command-palette")
        assert "? Help" in descriptions(app) and not cut_or_covered(app)


async def test_a_footer_that_fits_is_left_as_it_was(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(AuxotFooter)
        assert not footer.compact
        assert footer.query(".-command-palette")
