from core.errors import LastOwner
import pytest


def test_creator_owns_new_team_and_cannot_demote_self(core, owner):
    team = core.create_team(owner, "Platform Engineering")
    assert team.my_role == "owner"
    with pytest.raises(LastOwner):
        core.change_role(owner, "platform engineering", "owner@acme.example.com", "member")
    members = core.list_members(owner, team.id).items
    assert [(m.email, m.role) for m in members] == [("owner@acme.example.com", "owner")]
