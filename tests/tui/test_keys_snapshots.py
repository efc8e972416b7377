"""What a person sees of team API keys at 80x24: the tab as an admin, the one-time reveal,
a rotation's result, and a member's team screen with no key data. Time is frozen and key
generation is fixed, so every key id and secret on screen is the same on every run."""

from __future__ import annotations

import base64
import hashlib
import itertools

import pytest

from core import keys as core_keys
from tests.tui.conftest import SnapshotWorld
from tests.tui.helpers import move_to, script, wait_for

SIZE = (80, 24)
OPEN_TEAM = ("enter",)  # Ada and Cyd see one team: Platform Engineering
OPEN_KEYS = (*OPEN_TEAM, wait_for("TabPane#keys"), "5")


@pytest.fixture
def fixed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key ids and secrets from a counter: they look like real ones and never change."""
    counter = itertools.count(1)

    def generate() -> core_keys.NewKey:
        n = next(counter)
        key_id = hashlib.sha256(f"key id {n}".encode()).hexdigest()[:16]
        secret = base64.urlsafe_b64encode(hashlib.sha256(f"secret {n}".encode()).digest())
        return core_keys.NewKey(key_id, secret.decode().rstrip("="))

    monkeypatch.setattr(core_keys, "generate", generate)


@pytest.fixture
def keys_world(fixed_keys: None, world: SnapshotWorld) -> SnapshotWorld:
    """Platform Engineering with a key in each state, made by Ada and the owner."""
    core, clock, ws = world.core, world.clock, world.ws
    team = ws.platform.id
    ci = core.create_key(ws.ada, team, "CI pipeline")
    clock.advance(hours=3)
    core.create_key(ws.owner, team, "Intake webhook", expires_in_days=90)
    clock.advance(hours=2)
    old = core.create_key(ws.ada, team, "Old deploy")
    core.create_key(ws.ada, team, "[b]Lint[/b] bot")  # user text renders literally
    clock.advance(days=1)
    core.revoke_key(ws.ada, team, old.key.key_id)
    core.create_key(ws.ada, team, "Nightly export")
    clock.advance(hours=1)
    core.rotate_key(ws.ada, team, "Nightly export", grace_hours=48)
    clock.advance(hours=4)
    assert core.verify_key(ci.plaintext, "10.1.2.3").ok
    core.flush_key_uses()  # sets its last use
    clock.advance(hours=1)
    return world


def test_keys_tab_as_admin(keys_world: SnapshotWorld, snap_compare) -> None:
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=script(*OPEN_KEYS))


def test_keys_tab_detail_of_a_rotated_key(keys_world: SnapshotWorld, snap_compare) -> None:
    app = keys_world.app(keys_world.ws.ada)
    run = script(*OPEN_KEYS, lambda pilot: move_to(pilot, "#keys-table", "rotated", column=2))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_keys_tab_empty(fixed_keys: None, world: SnapshotWorld, snap_compare) -> None:
    app = world.app(world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=script(*OPEN_KEYS))


def test_new_key_with_error(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_KEYS, "n", "text:ci pipeline", "enter")
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_key_reveal(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_KEYS, "n", "text:Deploy bot", "tab", "text:30", "enter")
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_key_reveal_after_escape(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_KEYS, "n", "text:Deploy bot", "enter", "escape")
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_rotate_form(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_KEYS, lambda pilot: move_to(pilot, "#keys-table", "CI pipeline"), "o")
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_rotate_result(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(
        *OPEN_KEYS, lambda pilot: move_to(pilot, "#keys-table", "CI pipeline"), "o", "enter"
    )
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_revoke_confirmation(keys_world: SnapshotWorld, snap_compare) -> None:
    run = script(*OPEN_KEYS, lambda pilot: move_to(pilot, "#keys-table", "Intake webhook"), "x")
    app = keys_world.app(keys_world.ws.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_member_sees_no_key_data(keys_world: SnapshotWorld, snap_compare) -> None:
    # "5" opens the API keys tab for admins; for a member there is no such tab to wait for.
    app = keys_world.app(keys_world.ws.cyd)
    assert snap_compare(app, terminal_size=SIZE, run_before=script(*OPEN_TEAM, "5"))
