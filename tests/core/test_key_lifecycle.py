"""Key scopes, rotation until unused, and keys expiring soon."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import Conflict, InvalidInput, PermissionDenied
from core.models import AuditEvent
from core.services import Core
from core.usecases import commands as uc

TEAM = "Platform Engineering"


@pytest.fixture
def team(core: Core, owner) -> str:
    core.create_team(owner, TEAM)
    return TEAM


def _audit(core: Core, action: str) -> list[AuditEvent]:
    with core.db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_keys_are_full_by_default_and_read_on_request(core, owner, team):
    full = core.run(owner, uc.CreateKey(team, "CI"))
    read = core.run(owner, uc.CreateKey(team, "Dashboard", scope="read"))
    assert (full.key.scope, read.key.scope) == ("full", "read")
    assert core.verify_key(read.plaintext).scope == "read"
    with pytest.raises(InvalidInput, match="full or read"):
        core.run(owner, uc.CreateKey(team, "X", scope="admin"))


def test_narrowing_a_scope_holds_on_the_next_verification_and_is_audited(core, owner, team):
    key = core.create_key(owner, team, "CI").plaintext
    assert core.verify_key(key).scope == "full"
    narrowed = core.run(owner, uc.SetKeyScope(team, "CI", "read"))
    assert narrowed.scope == "read" and core.verify_key(key).scope == "read"
    [entry] = _audit(core, "key.scope")
    assert entry.details["from"] == "full" and entry.details["to"] == "read"
    with pytest.raises(Conflict, match="already has the read scope"):
        core.run(owner, uc.SetKeyScope(team, "CI", "read"))


def test_a_rotation_keeps_the_scope(core, owner, team):
    core.create_key(owner, team, "CI", scope="read")
    rotated = core.rotate_key(owner, team, "CI")
    assert rotated.key.scope == "read"


def test_only_key_managers_set_scopes(core, owner, team):
    core.create_key(owner, team, "CI")
    core.add_user(owner, "mo@example.com")
    core.add_member(owner, team, "mo@example.com", "member")
    mo = core.principal_for("mo@example.com")
    with pytest.raises(PermissionDenied):
        core.run(mo, uc.SetKeyScope(team, "CI", "read"))
    assert core.list_keys(owner, team).items[0].scope == "full"


def test_until_unused_retires_the_old_key_after_its_quiet_period(core, owner, team, clock):
    old = core.create_key(owner, team, "CI").plaintext
    core.run(owner, uc.RotateKey(team, "CI", 24, until_unused=True, quiet_minutes=30))
    clock.advance(minutes=20)
    assert core.verify_key(old).ok
    core.flush_key_uses()
    clock.advance(minutes=20)  # 40 min after the rotation, 20 after the last use
    assert core.retire_quiet_keys() == 0
    clock.advance(minutes=11)
    assert core.retire_quiet_keys() == 1  # the sweep, with nobody calling
    assert core.verify_key(old).reason == "rotated-out"
    [entry] = _audit(core, "key.retire")
    assert entry.actor_label == "system" and entry.details["quiet_seconds"] == 1800
    assert core.retire_quiet_keys() == 0


def test_a_use_noted_but_not_yet_written_keeps_the_old_key(core, owner, team, clock):
    old = core.create_key(owner, team, "CI").plaintext
    core.rotate_key(owner, team, "CI", until_unused=True, quiet_minutes=30)
    clock.advance(minutes=25)
    assert core.verify_key(old).ok  # noted in memory only
    clock.advance(minutes=25)
    assert core.retire_quiet_keys() == 0 and core.verify_key(old).ok


def test_listing_keys_retires_quiet_ones(core, owner, team, clock):
    core.create_key(owner, team, "CI")
    core.rotate_key(owner, team, "CI", until_unused=True, quiet_minutes=5)
    clock.advance(minutes=6)
    assert [k.status for k in core.list_keys(owner, team).items] == ["active", "revoked"]
    assert len(_audit(core, "key.retire")) == 1


def test_the_grace_period_still_bounds_a_busy_old_key(core, owner, team, clock):
    old = core.create_key(owner, team, "CI").plaintext
    core.rotate_key(owner, team, "CI", grace_hours=1, until_unused=True, quiet_minutes=30)
    for _ in range(5):
        clock.advance(minutes=15)
        core.verify_key(old)
    assert core.verify_key(old).reason == "rotated-out"


@pytest.mark.parametrize("quiet", [0.5, 24 * 60 + 1])
def test_the_quiet_period_is_between_a_minute_and_the_grace(core, owner, team, quiet):
    core.create_key(owner, team, "CI")
    with pytest.raises(InvalidInput, match="quiet period"):
        core.rotate_key(owner, team, "CI", grace_hours=24, until_unused=True, quiet_minutes=quiet)
    assert core.list_keys(owner, team).items[0].status == "active"


def test_expiring_keys_across_the_teams_one_manages(core, owner, team, clock):
    core.create_team(owner, "Data")
    core.create_key(owner, team, "Soon", expires_in_days=3)
    core.create_key(owner, "Data", "Later", expires_in_days=10)
    core.create_key(owner, team, "Far", expires_in_days=40)
    core.create_key(owner, team, "Never")
    core.create_key(owner, team, "Gone", expires_in_days=1)
    core.revoke_key(owner, team, "Gone")
    found = core.run(owner, uc.ListExpiringKeys())
    assert [(e.team_name, e.key.name) for e in found] == [(TEAM, "Soon"), ("Data", "Later")]
    assert [e.key.name for e in core.run(owner, uc.ListExpiringKeys(days=5))] == ["Soon"]
    assert found[0].key.expires_within(clock(), 14)
    core.add_user(owner, "mo@example.com")
    core.add_member(owner, "Data", "mo@example.com", "admin")
    core.add_member(owner, team, "mo@example.com", "member")
    mo = core.principal_for("mo@example.com")
    assert [e.key.name for e in core.run(mo, uc.ListExpiringKeys())] == ["Later"]
    with pytest.raises(InvalidInput):
        core.run(owner, uc.ListExpiringKeys(days=0))


def test_the_team_list_counts_keys_expiring_for_those_who_manage_them(core, owner, team, clock):
    core.create_team(owner, "Data")
    core.create_key(owner, team, "Soon", expires_in_days=3)
    core.create_key(owner, team, "Also soon", expires_in_days=14)
    core.create_key(owner, team, "Far", expires_in_days=40)
    core.create_key(owner, team, "Gone", expires_in_days=1)
    core.revoke_key(owner, team, "Gone")
    core.create_key(owner, "Data", "Never")
    marks = {t.name: t.keys_expiring for t in core.list_teams(owner).items}
    assert marks == {TEAM: 2, "Data": 0}

    core.add_user(owner, "mo@example.com")
    core.add_member(owner, "Data", "mo@example.com", "admin")
    core.add_member(owner, team, "mo@example.com", "member")
    mo = core.principal_for("mo@example.com")
    # A member may not see key metadata: no count, not even zero.
    assert {t.name: t.keys_expiring for t in core.list_teams(mo).items} == {TEAM: None, "Data": 0}

    clock.advance(days=4)  # "Soon" has expired: it no longer counts as expiring
    assert {t.name: t.keys_expiring for t in core.list_teams(owner).items}[TEAM] == 1
