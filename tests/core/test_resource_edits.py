"""Editing a resource: rename, new body, move between teams and to the workspace."""

from __future__ import annotations

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.services import Core
from core.usecases import commands as uc
from core.views import Principal
from tests.core.helpers import audit_since, last_audit_id

ADMIN, MEMBER = "ada@acme.example.com", "max@acme.example.com"


@pytest.fixture
def teams(core: Core, owner: Principal) -> Core:
    core.add_user(owner, ADMIN, "Ada Admin")
    core.add_user(owner, MEMBER, "Max Member")
    for team in ("Ops", "Web"):
        core.create_team(owner, team)
    core.add_member(owner, "Ops", ADMIN, "admin")
    core.add_member(owner, "Ops", MEMBER, "member")
    core.create_resource(owner, "agent", "Triage Bot", "Ops", "Sorts tickets.")
    core.create_resource(owner, "agent", "Triage Bot", "Web", "Web's own.")
    return core


def _bot(core: Core, owner: Principal, team: str = "Ops") -> int:
    return core.find_resource(owner, "agent", "Triage Bot", team).id


def test_rename_and_rewrite_in_one_audited_change(teams: Core, owner: Principal) -> None:
    before = last_audit_id(teams.db)
    ada = teams.principal_for(ADMIN)
    edited = teams.run(ada, uc.EditResource(_bot(teams, owner), name="Intake Bot", body="New."))
    assert (edited.name, edited.body, edited.team_name) == ("Intake Bot", "New.", "Ops")
    (event,) = audit_since(teams.db, before)
    assert event.action == "resource.edit" and event.target == "agent:Intake Bot"
    assert event.details == {
        "name": {"from": "Triage Bot", "to": "Intake Bot"},
        "body": {"from_chars": 14, "to_chars": 4},
    }


def test_move_needs_rights_on_both_sides_and_a_free_name(teams: Core, owner: Principal) -> None:
    ada, maxi = teams.principal_for(ADMIN), teams.principal_for(MEMBER)
    bot = _bot(teams, owner)
    with pytest.raises(PermissionDenied):
        teams.run(maxi, uc.EditResource(bot, body="x"))
    with pytest.raises(NotFound):  # Ada cannot see Web
        teams.run(ada, uc.EditResource(bot, move_to="Web"))
    with pytest.raises(Conflict, match="named 'Triage Bot' already exists in Web"):
        teams.run(owner, uc.EditResource(bot, move_to="Web"))
    moved = teams.run(owner, uc.EditResource(bot, name="Ops Bot", move_to="Web"))
    assert (moved.scope, moved.team_name, moved.name) == ("team", "Web", "Ops Bot")
    runbook = teams.create_resource(ada, "skill", "Runbook", "Ops").id
    with pytest.raises(PermissionDenied):  # only workspace admins manage workspace resources
        teams.run(ada, uc.EditResource(runbook, to_workspace=True))
    up = teams.run(owner, uc.EditResource(moved.id, to_workspace=True))
    assert (up.scope, up.team_id, up.team_name) == ("workspace", None, None)


def test_an_edit_that_changes_nothing_is_refused(teams: Core, owner: Principal) -> None:
    bot = _bot(teams, owner)
    with pytest.raises(InvalidInput, match="changes nothing"):
        teams.run(owner, uc.EditResource(bot, name="Triage Bot", body="Sorts tickets."))
    with pytest.raises(InvalidInput, match="not both"):
        teams.run(owner, uc.EditResource(bot, move_to="Web", to_workspace=True))
    with pytest.raises(NotFound):
        teams.run(owner, uc.EditResource(10**6, body="x"))
