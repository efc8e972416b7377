"""What a person sees, screen by screen, at 80x24 (one at 120x36). Time is frozen: every date
comes from the FakeClock the workspace was built with. Snapshot tests stay synchronous."""

from __future__ import annotations

from tests.tui.conftest import SnapshotWorld
from tests.tui.helpers import move_to, script, shows

OPEN_PLATFORM = ("down", "down", "enter")  # the list reads: [b]x[/b], Data Science, Platform…
OPEN_MARKUP_TEAM = ("enter",)


def test_team_list(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=script())


def test_team_list_filtered(world: SnapshotWorld, snap_compare) -> None:
    run = script("slash", "text:dat", shows("1 of 3 teams"))
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_add_team_modal(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=script("a"))


def test_add_team_modal_with_error(world: SnapshotWorld, snap_compare) -> None:
    run = script("a", "text:Platform Engineering", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_team_members_tab(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(
        world.app(world.ws.owner), terminal_size=(80, 24), run_before=script(*OPEN_PLATFORM)
    )


def test_team_resources_tab(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, "2")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_team_activity_tab(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, "3")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_team_settings_tab(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, "4")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_role_picker(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, lambda pilot: move_to(pilot, "#members-table", "Bob Builder"), "r")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_remove_confirmation(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, lambda pilot: move_to(pilot, "#members-table", "Cyd Member"), "x")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_invite_with_validation_error(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, "i", "text:zed@nowhere", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_last_owner_refusal(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_MARKUP_TEAM, "r", "down", "down", "enter", "y")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_archive_with_wrong_name(world: SnapshotWorld, snap_compare) -> None:
    async def delete_button(pilot) -> None:
        pilot.app.screen.query_one("#settings-delete").focus()

    run = script(*OPEN_PLATFORM, "4", delete_button, "enter", "text:platform", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_plan_gate(snapshot_world_factory, snap_compare) -> None:
    world = snapshot_world_factory(plan="free")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=script())


def test_member_read_only_members(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(world.app(world.ws.cyd), terminal_size=(80, 24), run_before=script("enter"))


def test_member_read_only_settings(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(
        world.app(world.ws.cyd), terminal_size=(80, 24), run_before=script("enter", "4")
    )


def test_help_screen(world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_PLATFORM, "question_mark")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_team_members_wide(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(
        world.app(world.ws.owner), terminal_size=(120, 36), run_before=script(*OPEN_PLATFORM)
    )


def test_team_list_wide_with_markup(world: SnapshotWorld, snap_compare) -> None:
    assert snap_compare(world.app(world.ws.owner), terminal_size=(120, 36), run_before=script())
