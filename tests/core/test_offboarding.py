"""Offboarding someone: one plan shown first, then one transaction, with a successor for
the teams they alone own."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, LastOwner, NotFound, PermissionDenied
from core.services import Core
from core.usecases import commands as uc
from core.views import Principal
from tests.core.helpers import audit_since, last_audit_id

PUBKEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl lee@laptop"
)
LEE, SAM, ADA = "lee@acme.example.com", "sam@acme.example.com", "ada@acme.example.com"


@pytest.fixture
def leaving(core: Core, owner: Principal) -> Core:
    """Lee: sole owner of Ops, admin of Data, member of Web; one SSH key, one key made, one
    invitation sent. Sam: a member of Ops who can take over."""
    for email, name in ((LEE, "Lee Leaving"), (SAM, "Sam Stays"), (ADA, "Ada Admin")):
        core.add_user(owner, email, name, "admin" if email == ADA else "member")
    lee = core.principal_for(LEE)
    for team in ("Ops", "Data", "Web"):
        core.create_team(owner, team)
    core.add_member(owner, "Ops", LEE, "owner")
    core.add_member(owner, "Ops", SAM, "member")
    core.leave_team(owner, "Ops")
    core.add_member(owner, "Data", LEE, "admin")
    core.add_member(owner, "Web", LEE, "member")
    core.create_key(lee, "Ops", "Deploy")
    core.invite_member(lee, "Ops", "new@elsewhere.example.com")
    core.add_ssh_key(owner, LEE, PUBKEY)
    return core


def test_the_plan_changes_nothing_and_says_everything(leaving: Core, owner: Principal) -> None:
    before = last_audit_id(leaving.db)
    plan = leaving.run(owner, uc.PlanOffboarding(LEE))
    assert [(t.name, t.role, t.last_owner) for t in plan.teams] == [
        ("Ops", "owner", True),
        ("Data", "admin", False),
        ("Web", "member", False),
    ]
    assert (plan.ssh_keys, plan.invitations, plan.successor) == (1, 1, None)
    assert [(k.team_name, k.name) for k in plan.keys_kept] == [("Ops", "Deploy")]
    assert leaving.get_user(owner, LEE).status == "active"
    assert audit_since(leaving.db, before) == []


def test_without_a_successor_the_last_owner_teams_are_named(
    leaving: Core, owner: Principal
) -> None:
    with pytest.raises(LastOwner, match="last active owner of Ops; name a successor"):
        leaving.run(owner, uc.OffboardUser(LEE))
    assert leaving.get_user(owner, LEE).status == "active"
    assert LEE in [m.email for m in leaving.list_members(owner, "Ops").items]


def test_offboarding_in_one_go(leaving: Core, owner: Principal) -> None:
    before = last_audit_id(leaving.db)
    done = leaving.run(owner, uc.OffboardUser(LEE, successor=SAM))
    assert done.successor == SAM
    assert leaving.get_user(owner, LEE).status == "deactivated"
    for team in ("Ops", "Data", "Web"):
        assert LEE not in [m.email for m in leaving.list_members(owner, team).items]
    roles = {m.email: m.role for m in leaving.list_members(owner, "Ops").items}
    assert roles == {SAM: "owner"}
    with pytest.raises(NotFound):  # the key no longer signs anyone in
        leaving.principal_for_ssh_key(PUBKEY)
    assert leaving.list_invitations(owner, "Ops").items == []
    keys = leaving.list_keys(owner, "Ops").items
    assert [(k.name, k.status) for k in keys] == [("Deploy", "active")]  # kept, by design
    (event,) = [e for e in audit_since(leaving.db, before) if e.action == "user.offboard"]
    assert event.details["teams"] == ["Ops", "Data", "Web"] and event.details["successor"] == SAM


def test_who_may_offboard_whom(leaving: Core, owner: Principal) -> None:
    sam, ada = leaving.principal_for(SAM), leaving.principal_for(ADA)
    with pytest.raises(PermissionDenied):
        leaving.run(sam, uc.PlanOffboarding(LEE))
    with pytest.raises(PermissionDenied):  # an admin may not offboard the workspace owner
        leaving.run(ada, uc.OffboardUser(owner.email))
    with pytest.raises(InvalidInput, match="cannot offboard yourself"):
        leaving.run(owner, uc.OffboardUser(owner.email))
    with pytest.raises(InvalidInput, match="successor must be another active account"):
        leaving.run(owner, uc.OffboardUser(LEE, successor=LEE))
    with pytest.raises(NotFound):
        leaving.run(owner, uc.OffboardUser("nobody@acme.example.com"))
    assert leaving.get_user(owner, LEE).status == "active"
