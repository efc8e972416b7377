"""Deleted teams: who sees them, restoring one, and its keys staying dead."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotFound, PermissionDenied
from core.services import Core
from core.usecases import commands as uc
from core.views import Principal
from tests.conftest import FakeClock
from tests.core.helpers import audit_since, last_audit_id


def _people(core: Core, owner: Principal) -> tuple[Principal, Principal]:
    core.add_user(owner, "tara@acme.example.com", "Tara Teamowner")
    core.add_user(owner, "mo@acme.example.com", "Mo Member")
    return (
        core.principal_for("tara@acme.example.com"),
        core.principal_for("mo@acme.example.com"),
    )


def test_restore_brings_the_team_back_with_its_keys_revoked(core: Core, owner: Principal) -> None:
    team = core.create_team(owner, "Ops", "Runs things")
    created = core.create_key(owner, team.id, "CI")
    assert core.verify_key(created.plaintext).ok
    core.archive_team(owner, team.id)
    assert not core.verify_key(created.plaintext).ok
    archived = core.run(owner, uc.ListArchivedTeams())
    assert [(t.id, t.name, t.description) for t in archived.items] == [
        (team.id, "Ops", "Runs things")
    ]

    before = last_audit_id(core.db)
    restored = core.run(owner, uc.RestoreTeam("ops"))
    assert (restored.id, restored.name, restored.archived) == (team.id, "Ops", False)
    assert [t.name for t in core.list_teams(owner).items] == ["Ops"]
    assert core.run(owner, uc.ListArchivedTeams()).items == []
    check = core.verify_key(created.plaintext)
    assert (check.ok, check.reason) == (False, "revoked")  # dead it was declared, dead it stays
    (event,) = audit_since(core.db, before)
    assert (event.action, event.outcome, event.details) == (
        "team.restore",
        "ok",
        {"keys_revoked": 1},
    )


def test_only_owners_and_workspace_admins_see_and_restore(
    core: Core, owner: Principal, clock: FakeClock
) -> None:
    tara, mo = _people(core, owner)
    team = core.create_team(owner, "Ops")
    core.add_member(owner, team.id, tara.email, "owner")
    core.add_member(owner, team.id, mo.email, "member")
    core.create_team(owner, "Other")
    core.archive_team(owner, "Other")
    clock.advance(minutes=1)
    core.archive_team(tara, team.id)

    assert [t.name for t in core.run(owner, uc.ListArchivedTeams()).items] == ["Ops", "Other"]
    assert [t.name for t in core.run(tara, uc.ListArchivedTeams()).items] == ["Ops"]
    assert core.run(mo, uc.ListArchivedTeams()).items == []
    with pytest.raises(PermissionDenied, match="Only the team's owners and workspace admins"):
        core.run(mo, uc.RestoreTeam("Ops"))
    with pytest.raises(NotFound):  # not hers to see, as a live team would not be
        core.run(tara, uc.RestoreTeam("Other"))
    assert core.run(tara, uc.RestoreTeam("Ops")).name == "Ops"


def test_restore_needs_the_name_free_and_one_team_named(core: Core, owner: Principal) -> None:
    first = core.create_team(owner, "Ops")
    core.archive_team(owner, first.id)
    second = core.create_team(owner, "Ops")
    with pytest.raises(Conflict, match="A team named Ops exists now"):
        core.run(owner, uc.RestoreTeam(first.id))
    core.archive_team(owner, second.id)
    with pytest.raises(
        Conflict, match=rf"2 deleted teams are named Ops \(#{second.id}, #{first.id}\)"
    ):
        core.run(owner, uc.RestoreTeam("Ops"))
    assert core.run(owner, uc.RestoreTeam(str(first.id))).id == first.id
    with pytest.raises(NotFound, match="no deleted team 'Nope'"):
        core.run(owner, uc.RestoreTeam("Nope"))
    with pytest.raises(NotFound):
        core.run(owner, uc.RestoreTeam(str(first.id)))  # live now, not deleted
