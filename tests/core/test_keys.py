"""Team API keys: shown once, stored as digests, verified fast, revoked at once, rotated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, PlanRequired
from core.models import Base
from core.services import Core

TEAM = "Platform Engineering"


@pytest.fixture
def team(core: Core, owner) -> str:
    core.create_team(owner, TEAM)
    return TEAM


def test_create_shows_the_key_once_and_lists_only_metadata(core, owner, team):
    created = core.create_key(owner, team, "CI Pipeline")
    assert created.plaintext.startswith(f"team.{created.key.key_id}.")
    [listed] = core.list_keys(owner, team).items
    assert listed.masked == f"team.{created.key.key_id}.…"
    assert created.plaintext not in repr(listed)
    assert listed.status == "active" and listed.created_by == "owner@acme.example.com"


def test_verify_accepts_raw_bearer_and_header_forms(core, owner, team):
    key = core.create_key(owner, team, "CI").plaintext
    for presented in (
        key,
        f"Bearer {key}",
        f"Authorization: Bearer {key}",
        f"x-api-key: {key}",
        f"  {key}\n",
    ):
        check = core.verify_key(presented)
        assert check.ok and check.team_name == TEAM, presented


@pytest.mark.parametrize(
    "presented",
    [
        "",
        "   ",
        "api.0123456789abcdef." + "a" * 43,
        "team.0123456789abcdef",
        "team.a.b.c",
        "x" * 10_000_000,
        "team.0123456789abcdef." + "é" * 43,
        "Bearer",
        None,
    ],
)
def test_malformed_keys_are_refused_without_exceptions(core, owner, team, presented):
    check = core.verify_key(presented)
    assert not check.ok and check.reason == "malformed"


def test_valid_id_with_wrong_secret_is_unknown(core, owner, team):
    key = core.create_key(owner, team, "CI").plaintext
    prefix, key_id, secret = key.split(".")
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert core.verify_key(f"{prefix}.{key_id}.{wrong}").reason == "unknown"


def test_revoked_key_fails_on_the_very_next_verify(core, owner, team):
    key = core.create_key(owner, team, "CI").plaintext
    assert core.verify_key(key).ok
    core.revoke_key(owner, team, "CI")
    assert core.verify_key(key).reason == "revoked"


def test_expired_key_fails(core, owner, team, clock):
    key = core.create_key(owner, team, "Nightly", expires_in_days=1).plaintext
    clock.advance(hours=23)
    assert core.verify_key(key).ok
    clock.advance(hours=2)
    assert core.verify_key(key).reason == "expired"


def test_rotation_keeps_the_old_key_through_its_grace(core, owner, team, clock):
    old = core.create_key(owner, team, "CI").plaintext
    rotated = core.rotate_key(owner, team, "CI", grace_hours=24)
    assert rotated.replaces is not None and rotated.replaces.status == "rotated"
    assert core.verify_key(old).ok and core.verify_key(rotated.plaintext).ok
    clock.advance(hours=25)
    assert core.verify_key(old).reason == "rotated-out"
    assert core.verify_key(rotated.plaintext).ok


def test_rotation_keeps_a_limited_key_limited(core, owner, team, clock):
    core.create_key(owner, team, "Nightly", expires_in_days=30)
    clock.advance(days=10)
    rotated = core.rotate_key(owner, team, "Nightly", grace_hours=1)
    assert rotated.key.expires_at == clock.now + timedelta(days=30)
    clock.advance(days=29)
    assert core.verify_key(rotated.plaintext).ok
    clock.advance(days=2)
    assert core.verify_key(rotated.plaintext).reason == "expired"


def test_a_rotated_key_is_not_rotated_again(core, owner, team):
    core.create_key(owner, team, "CI")
    first = core.rotate_key(owner, team, "CI", grace_hours=24)
    old_id = first.replaces.key_id if first.replaces else ""
    before = [(k.key_id, k.status) for k in core.list_keys(owner, team).items]
    with pytest.raises(Conflict, match="already rotated"):
        core.rotate_key(owner, team, old_id)
    assert [(k.key_id, k.status) for k in core.list_keys(owner, team).items] == before


def test_rotation_with_no_grace_ends_the_old_key_at_once(core, owner, team):
    old = core.create_key(owner, team, "CI").plaintext
    new = core.rotate_key(owner, team, "CI", grace_hours=0).plaintext
    assert core.verify_key(old).reason == "rotated-out" and core.verify_key(new).ok


def test_keys_outlive_their_creator_and_stop_with_the_team_or_plan(core, owner, team):
    core.add_user(owner, "adam@example.com")
    core.add_member(owner, team, "adam@example.com", "admin")
    adam = core.principal_for("adam@example.com")
    key = core.create_key(adam, team, "Webhook").plaintext
    core.remove_member(owner, team, "adam@example.com")
    core.deactivate_user(owner, "adam@example.com")
    assert core.verify_key(key).ok
    core.set_plan(owner, "team")
    assert core.verify_key(key).reason == "plan"
    core.set_plan(owner, "business")
    core.archive_team(owner, team)
    assert core.verify_key(key).reason == "team-deleted"


def test_last_use_is_noted_in_memory_and_written_by_a_flush(core, owner, team, clock):
    key = core.create_key(owner, team, "CI").plaintext
    assert core.verify_key(key, "10.0.0.7").ok
    clock.advance(seconds=30)
    assert core.verify_key(key, "10.0.0.8").ok
    [listed] = core.list_keys(owner, team).items
    assert listed.last_used_at is None  # verifying wrote nothing
    assert core.flush_key_uses() == 1
    [listed] = core.list_keys(owner, team).items
    assert (listed.last_used_at, listed.last_used_from) == (clock(), "10.0.0.8")
    assert core.flush_key_uses() == 0


def test_a_flush_never_moves_a_last_use_backwards(core, owner, team, clock, database):
    """Two servers on one database: the one that flushes later with an older use loses."""
    key = core.create_key(owner, team, "CI").plaintext
    other = Core(database, clock)
    assert other.verify_key(key, "10.0.0.1").ok
    clock.advance(seconds=5)
    assert core.verify_key(key, "10.0.0.2").ok
    core.flush_key_uses()
    other.flush_key_uses()
    [listed] = core.list_keys(owner, team).items
    assert (listed.last_used_at, listed.last_used_from) == (clock(), "10.0.0.2")


def test_refused_keys_are_not_noted_as_used(core, owner, team):
    key = core.create_key(owner, team, "CI").plaintext
    core.revoke_key(owner, team, "CI")
    assert core.verify_key(key, "10.0.0.7").reason == "revoked"
    assert core.flush_key_uses() == 0


@pytest.mark.parametrize(
    ("team_role", "workspace_role", "allowed"),
    [
        (None, "member", False),
        ("member", "member", False),
        ("admin", "member", True),
        ("owner", "member", True),
        (None, "admin", True),
        (None, "owner", True),
    ],
)
def test_who_manages_keys(core, owner, team, team_role, workspace_role, allowed):
    if workspace_role == "owner":
        actor = owner
    else:
        core.add_user(owner, "pat@example.com", workspace_role=workspace_role)
        actor = core.principal_for("pat@example.com")
        if team_role:
            core.add_member(owner, team, "pat@example.com", team_role)
    core.create_key(owner, team, "Existing")
    actions = [
        lambda: core.list_keys(actor, team).items,
        lambda: core.create_key(actor, team, "New"),
        lambda: core.rotate_key(actor, team, "Existing"),
        lambda: core.revoke_key(actor, team, "Existing"),
    ]
    for action in actions:
        if allowed:
            action()
        else:
            with pytest.raises((PermissionDenied, NotFound)):
                action()


def test_key_actions_need_a_teams_plan(core, owner, team):
    core.create_key(owner, team, "CI")
    core.set_plan(owner, "free")
    with pytest.raises(PlanRequired):
        core.list_keys(owner, team)
    with pytest.raises(PlanRequired):
        core.create_key(owner, team, "Other")


def test_duplicate_live_names_are_refused(core, owner, team):
    core.create_key(owner, team, "CI")
    with pytest.raises(Conflict):
        core.create_key(owner, team, " ci ")


def test_no_plaintext_key_or_secret_is_stored(core, owner, team, db_url):
    made = [core.create_key(owner, team, "CI").plaintext]
    made.append(core.rotate_key(owner, team, "CI").plaintext)
    for key in made:
        assert core.verify_key(key).ok
    secrets = [key.split(".")[2] for key in made]
    # Every stored value, read back through SQL, on either backend.
    dump = []
    with core.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            dump.extend(repr(tuple(row)) for row in conn.execute(table.select()))
    text = "\n".join(dump)
    assert all(secret not in text for secret in secrets)
    assert all(key.split(".")[1] in text for key in made)  # the public key ids are there
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        core.db.dispose()
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert all(secret.encode() not in data for secret in secrets)


def test_a_created_key_never_shows_in_its_repr(core, owner, team):
    created = core.create_key(owner, team, "CI")
    rotated = core.rotate_key(owner, team, "CI")
    for value in (created, rotated):
        assert value.plaintext.split(".")[2] not in repr(value)
