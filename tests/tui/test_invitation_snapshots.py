"""What a person sees of invitations at 80x24: the invite dialog with a mix of results, the
pending invitations with a failed delivery, and the notice when no mail server is set up.

Time is frozen (FakeClock). A failed delivery is made for real, against a port nothing listens
on, so its error text is the one a person would read. Paths shown on screen come from a fixed
data directory, so the snapshots do not depend on where pytest puts its temporary files; the
tests take turns with it, across xdist workers and runs side by side."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from tests.tui.conftest import SnapshotWorld, isolated_settings
from tests.tui.helpers import script, shows
from tests.tui.test_snapshots import OPEN_PLATFORM

FIXED_DATA_DIR = Path("/tmp/auxot-snapshot-data")
MIXED = "eve@acme.example.com, ada@acme.example.com\nnot-an-address zed@nowhere.example.com"


@pytest.fixture(autouse=True)
def fixed_data_dir_to_ourselves() -> Iterator[None]:
    """Hold the fixed data directory for the whole test: another process's test would empty it
    or write its own .eml files into it meanwhile."""
    with open(f"{FIXED_DATA_DIR}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def paste(text: str):
    """A script step: the terminal delivers a paste to the app, which gives it to the field."""

    async def step(pilot) -> None:
        pilot.app.post_message(events.Paste(text))

    return step


def no_mail_server(world: SnapshotWorld) -> None:
    shutil.rmtree(FIXED_DATA_DIR, ignore_errors=True)
    world.core.settings = isolated_settings(FIXED_DATA_DIR)


def unreachable_mail_server(world: SnapshotWorld) -> None:
    """Nothing listens on port 1: the connection is refused at once, with a stable reply."""
    no_mail_server(world)
    settings = world.core.settings
    settings.smtp_host, settings.smtp_port, settings.smtp_timeout = "127.0.0.1", 1, 2


def test_invite_dialog_with_mixed_results(world: SnapshotWorld, snap_compare) -> None:
    unreachable_mail_server(world)
    # The delivery sentence comes from the background sender: waited for, not raced.
    run = script(*OPEN_PLATFORM, "i", paste(MIXED), "enter", shows("tries again in the background"))
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)


def test_pending_invitations_with_a_failed_delivery(world: SnapshotWorld, snap_compare) -> None:
    core, ws = world.core, world.ws
    no_mail_server(world)
    core.invite_member(ws.owner, ws.platform.id, "old@elsewhere.example.com", "admin")
    core.deliver_outbox()
    world.clock.advance(days=8)  # that one has expired since
    unreachable_mail_server(world)
    core.invite_member(ws.owner, ws.platform.id, "zed@nowhere.example.com")
    report = core.deliver_outbox()
    assert (report.sent, report.failed) == (0, 1)
    run = script(*OPEN_PLATFORM, "tab")  # the invitations list, its newest row highlighted
    assert snap_compare(world.app(ws.owner), terminal_size=(80, 24), run_before=run)


def test_no_mail_server_notice(world: SnapshotWorld, snap_compare) -> None:
    no_mail_server(world)
    run = script(*OPEN_PLATFORM, "i", paste("zed@nowhere.example.com"), "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)
