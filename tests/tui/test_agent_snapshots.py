"""What the admin agent's command line looks like at 80x24: a plan waiting for Enter, a
question, an explanation with examples, and a refusal. Time is frozen (FakeClock); snapshot
tests stay synchronous."""

from __future__ import annotations

from tests.tui.conftest import SnapshotWorld
from tests.tui.helpers import script

SIZE = (80, 24)


def test_agent_plan(world: SnapshotWorld, snap_compare) -> None:
    run = script(
        "colon",
        "text:Invite alice@example.com to the Platform Engineering team as a member",
        "enter",
    )
    assert snap_compare(world.app(world.ws.owner), terminal_size=SIZE, run_before=run)


def test_agent_question(world: SnapshotWorld, snap_compare) -> None:
    world.core.create_team(world.ws.owner, "Platform Ops", "Runbooks and on-call")
    run = script("colon", "text:Invite alice@example.com to Platform as admin", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=SIZE, run_before=run)


def test_agent_not_understood(world: SnapshotWorld, snap_compare) -> None:
    run = script("colon", "text:frobnicate the [b]team[/b]", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=SIZE, run_before=run)


def test_agent_refusal(world: SnapshotWorld, snap_compare) -> None:
    run = script(
        "colon", "text:Invite zed@example.com to Platform Engineering as a member", "enter"
    )
    assert snap_compare(world.app(world.ws.cyd), terminal_size=SIZE, run_before=run)
