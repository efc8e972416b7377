"""The demo workspace: built through the services, so its audit trail is real."""

from __future__ import annotations

from core.demo import DOMAIN, build_demo
from core.services import Core
from core.views import Principal


def test_build_demo(core: Core) -> None:
    owner = build_demo(core)
    assert owner.email == f"dana@{DOMAIN}"
    me = core.me(owner)
    assert (me.workspace.name, me.workspace.plan, me.user.display_name) == (
        "Auxot Demo",
        "business",
        "Dana Owner",
    )
    users = core.list_users(owner).items
    assert len(users) >= 20
    assert {u.workspace_role for u in users} == {"owner", "admin", "member"}

    teams = core.list_teams(owner).items
    names = {t.name for t in teams}
    assert len(teams) >= 4
    assert {"Platform Engineering", "Data Science", "Security", "Customer Success"} <= names
    assert all(t.description for t in teams)

    teams_of: dict[str, set[str]] = {}
    for team in teams:
        members = core.list_members(owner, team.id).items
        assert {"owner", "admin", "member"} <= {m.role for m in members}, team.name
        for member in members:
            teams_of.setdefault(member.email, set()).add(team.name)
    assert max(len(t) for t in teams_of.values()) >= 3

    resources = core.list_resources(owner).items
    assert {r.kind for r in resources} == {"agent", "skill", "context_file", "tool_policy"}
    assert {r.kind for r in resources if r.scope == "team"} == {
        "agent",
        "skill",
        "context_file",
        "tool_policy",
    }
    assert any(r.scope == "workspace" for r in resources)
    platform = {r.name for r in core.list_resources(owner, "Platform Engineering").items}
    assert {"Kubernetes Runbook", "Infra Bot"} <= platform

    assert core.list_keys(owner, "Platform Engineering").items
    assert [i.email for i in core.list_invitations(owner, "Design").items] == [
        "sam.lee@example.com"
    ]
    actions = {e.action for e in core.list_audit(owner, limit=1000).items}
    assert {"workspace.init", "team.create", "member.add", "resource.create"} <= actions


def test_build_demo_is_the_same_every_time(core: Core, tmp_path) -> None:
    from core.db import open_database

    other = Core(open_database(f"sqlite:///{tmp_path / 'second.db'}"), core.clock)
    try:
        first, second = build_demo(core), build_demo(other)
        assert _shape(core, first) == _shape(other, second)
    finally:
        other.db.dispose()


def _shape(core: Core, owner: Principal) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (t.name, [(m.email, m.role) for m in core.list_members(owner, t.name).items])
        for t in core.list_teams(owner).items
    ]
