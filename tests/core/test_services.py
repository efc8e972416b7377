"""Behaviour of the core services, as the screens and the CLI use them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, func, select

from core.db import Database
from core.errors import Conflict, InvalidInput, LastOwner, NotFound, PermissionDenied, PlanRequired
from core.models import Membership, Team, User
from core.permissions import WorkspaceAction
from core.services import Core
from core.views import Page, Principal
from tests.conftest import FakeClock
from tests.core.helpers import is_sentence, state_snapshot

DOMAIN = "acme.example.com"


@dataclass(frozen=True)
class People:
    owner: Principal  # workspace owner
    wsadmin: Principal  # workspace admin, in no team
    alice: Principal  # workspace members from here on
    bob: Principal
    carol: Principal


@pytest.fixture
def people(core: Core, owner: Principal) -> People:
    def add(name: str, role: str = "member") -> Principal:
        view = core.add_user(owner, f"{name.lower()}@{DOMAIN}", name, role)
        return Principal(view.id, view.email)

    return People(owner, add("Wanda", "admin"), add("Alice"), add("Bob"), add("Carol"))


def names(page: Page[Any]) -> list[str]:
    return [item.name for item in page.items]


# -- the team list ------------------------------------------------------------------------------


def test_team_list_shows_visible_teams_with_member_counts_and_my_role(
    core: Core, people: People
) -> None:
    p = people
    platform = core.create_team(p.owner, "Platform")
    data = core.create_team(p.owner, "Data")
    core.create_team(p.owner, "Security")
    core.add_member(p.owner, platform.id, p.alice.email, "member")
    core.add_member(p.owner, platform.id, p.bob.email, "admin")
    core.add_member(p.owner, data.id, p.alice.email, "owner")

    alice_view = core.list_teams(p.alice)
    assert [(t.name, t.member_count, t.my_role) for t in alice_view.items] == [
        ("Data", 2, "owner"),
        ("Platform", 3, "member"),
    ]
    assert alice_view.total == 2
    assert core.list_teams(p.carol).items == [] and core.list_teams(p.carol).total == 0
    # Workspace admins see every team, with their own role where they have one.
    assert [(t.name, t.my_role) for t in core.list_teams(p.wsadmin).items] == [
        ("Data", None),
        ("Platform", None),
        ("Security", None),
    ]
    assert [(t.name, t.my_role, t.member_count) for t in core.list_teams(p.owner).items] == [
        ("Data", "owner", 2),
        ("Platform", "owner", 3),
        ("Security", "owner", 1),
    ]


def test_team_filter_is_case_insensitive_and_takes_wildcards_literally(
    core: Core, owner: Principal
) -> None:
    for name in (
        "100% Uptime",
        "1000 Uptime",
        "Data_Science",
        "DataXScience",
        "Platform Engineering",
        "platform tools",
    ):
        core.create_team(owner, name)
    assert names(core.list_teams(owner, "PLATFORM")) == ["Platform Engineering", "platform tools"]
    assert names(core.list_teams(owner, "%")) == ["100% Uptime"]
    assert names(core.list_teams(owner, "0%")) == ["100% Uptime"]
    assert names(core.list_teams(owner, "_")) == ["Data_Science"]
    assert names(core.list_teams(owner, "a_s")) == ["Data_Science"]
    assert names(core.list_teams(owner, "\\")) == []
    assert names(core.list_teams(owner, "  data  ")) == ["Data_Science", "DataXScience"]
    filtered = core.list_teams(owner, "uptime")
    # (Sorted here: where "%" sorts against "0" depends on the PostgreSQL server's collation.)
    assert (sorted(names(filtered)), filtered.total) == (["100% Uptime", "1000 Uptime"], 2)
    assert core.list_teams(owner, "nothing like it").total == 0


def test_team_list_pages_with_offset_limit_and_total(core: Core, owner: Principal) -> None:
    created = ["alpha", "Bravo", "charlie", "Delta", "echo", "Foxtrot", "golf"]
    for name in reversed(created):
        core.create_team(owner, name)
    everything = core.list_teams(owner)
    assert names(everything) == created  # by name, ignoring case
    pages = [core.list_teams(owner, offset=offset, limit=3) for offset in (0, 3, 6)]
    assert [names(page) for page in pages] == [created[0:3], created[3:6], created[6:]]
    assert {page.total for page in pages} == {7}
    assert [page.offset for page in pages] == [0, 3, 6]
    beyond = core.list_teams(owner, offset=20, limit=3)
    assert (beyond.items, beyond.total) == ([], 7)
    assert names(core.list_teams(owner, "o", offset=1, limit=2)) == ["echo", "Foxtrot"]
    assert core.list_teams(owner, "o", offset=1, limit=2).total == 4


# -- members ------------------------------------------------------------------------------------


def test_add_list_change_remove_and_leave(core: Core, people: People, clock: FakeClock) -> None:
    p = people
    team = core.create_team(p.owner, "Platform Engineering")
    clock.advance(minutes=5)
    added = core.add_member(p.owner, "platform engineering", p.alice.email, "admin")
    assert (added.email, added.role, added.added_by, added.version, added.added_at) == (
        p.alice.email,
        "admin",
        p.owner.email,
        1,
        clock(),
    )
    core.add_member(p.owner, team.id, p.bob.email)  # role member unless told otherwise
    members = core.list_members(p.alice, team.id)
    assert [(m.display_name, m.role, m.status) for m in members.items] == [
        ("Alice", "admin", "active"),
        ("Bob", "member", "active"),
        ("Olive Owner", "owner", "active"),
    ]
    assert members.total == 3
    assert [m.email for m in core.list_members(p.owner, team.id, query="BOB").items] == [
        p.bob.email
    ]
    assert core.list_members(p.owner, team.id, offset=1, limit=1).items[0].display_name == "Bob"

    promoted = core.change_role(p.owner, team.id, p.bob.email, "owner")
    assert (promoted.role, promoted.version) == ("owner", 2)
    assert core.team_access(p.bob, team.id).role == "owner"
    # Bob, now an owner, manages members himself.
    core.remove_member(p.bob, team.id, p.alice.email)
    assert core.list_teams(p.alice).total == 0
    with pytest.raises(NotFound):
        core.list_members(p.alice, team.id)
    with pytest.raises(NotFound, match="not a member"):
        core.remove_member(p.owner, team.id, p.alice.email)

    core.leave_team(p.owner, team.id)  # Bob still owns it
    assert [(m.email, m.role) for m in core.list_members(p.bob, team.id).items] == [
        (p.bob.email, "owner")
    ]
    with pytest.raises(LastOwner) as last:
        core.leave_team(p.bob, team.id)
    assert "last owner" in last.value.message and "make someone else an owner" in last.value.message
    assert is_sentence(last.value.message)
    # The workspace owner still administers the team without being in it.
    assert core.team_access(p.owner, team.id).role is None


def test_last_owner_is_kept_whoever_tries(core: Core, people: People, database: Database) -> None:
    p = people
    team = core.create_team(p.wsadmin, "Infra")
    before = state_snapshot(database)
    for attempt in (
        lambda: core.change_role(p.wsadmin, team.id, p.wsadmin.email, "admin"),
        lambda: core.change_role(p.owner, team.id, p.wsadmin.email, "member"),
        lambda: core.remove_member(p.owner, team.id, p.wsadmin.email),
        lambda: core.remove_member(p.wsadmin, team.id, p.wsadmin.email),
        lambda: core.leave_team(p.wsadmin, team.id),
    ):
        with pytest.raises(LastOwner) as refused:
            attempt()
        assert is_sentence(refused.value.message)
    assert state_snapshot(database) == before
    # Once there is a second owner, the first may go.
    core.add_member(p.owner, team.id, p.carol.email, "owner")
    core.leave_team(p.wsadmin, team.id)
    assert [(m.email, m.role) for m in core.list_members(p.owner, team.id).items] == [
        (p.carol.email, "owner")
    ]


def test_last_owner_refusal_names_the_owner_as_written(core: Core, people: People) -> None:
    p = people
    team = core.create_team(p.owner, "Infra")
    core.add_member(p.owner, team.id, p.alice.email, "owner")
    core.leave_team(p.owner, team.id)  # Alice is now the only owner
    with pytest.raises(LastOwner) as refused:
        core.change_role(p.owner, team.id, p.alice.email, "admin")
    assert refused.value.message == (
        f"The last owner of Infra is {p.alice.email}; make someone else an owner before you "
        "change that role."
    )
    with pytest.raises(LastOwner) as refused:
        core.leave_team(p.alice, team.id)
    assert refused.value.message.startswith("You are the last owner of Infra;")


def test_change_role_with_a_stale_version_is_a_conflict(
    core: Core, people: People, database: Database
) -> None:
    p = people
    team = core.create_team(p.owner, "Platform")
    loaded = core.add_member(p.owner, team.id, p.alice.email, "member")
    core.change_role(p.wsadmin, team.id, p.alice.email, "admin")  # someone else, meanwhile
    before = state_snapshot(database)
    with pytest.raises(Conflict) as stale:
        core.change_role(p.owner, team.id, p.alice.email, "owner", expected_version=loaded.version)
    assert "refresh" in stale.value.message and is_sentence(stale.value.message)
    assert state_snapshot(database) == before
    fresh = core.list_members(p.owner, team.id, query="alice").items[0]
    assert (fresh.role, fresh.version) == ("admin", 2)
    changed = core.change_role(
        p.owner, team.id, p.alice.email, "owner", expected_version=fresh.version
    )
    assert (changed.role, changed.version) == ("owner", 3)


def test_adding_someone_twice_or_without_an_account(core: Core, people: People) -> None:
    p = people
    team = core.create_team(p.owner, "Platform")
    core.add_member(p.owner, team.id, p.alice.email)
    with pytest.raises(Conflict, match="already a member"):
        core.add_member(p.owner, team.id, p.alice.email.upper(), "admin")
    with pytest.raises(NotFound, match="no Auxot account"):
        core.add_member(p.owner, team.id, f"stranger@{DOMAIN}")
    assert core.team_access(p.owner, team.id).team.member_count == 2


# -- deactivated accounts ------------------------------------------------------------------------


def test_a_deactivated_account_can_do_nothing_and_keeps_its_memberships(
    core: Core, people: People, database: Database
) -> None:
    p = people
    team = core.create_team(p.owner, "Platform")
    core.add_member(p.owner, team.id, p.alice.email, "owner")
    core.create_resource(p.owner, "agent", "Infra Bot", team=team.id)
    core.deactivate_user(p.wsadmin, p.alice.email)

    before = state_snapshot(database)
    attempts = {
        "me": lambda: core.me(p.alice),
        "list teams": lambda: core.list_teams(p.alice),
        "team access": lambda: core.team_access(p.alice, team.id),
        "list members": lambda: core.list_members(p.alice, team.id),
        "list users": lambda: core.list_users(p.alice),
        "add member": lambda: core.add_member(p.alice, team.id, p.bob.email),
        "rename": lambda: core.rename_team(p.alice, team.id, "Mine"),
        "leave": lambda: core.leave_team(p.alice, team.id),
        "resources": lambda: core.list_resources(p.alice).items,
        "create resource": lambda: core.create_resource(p.alice, "skill", "Runbook", personal=True),
        "team activity": lambda: core.list_audit(p.alice, team=team.id).items,
    }
    for what, attempt in attempts.items():
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert "deactivated" in refused.value.message, what
        assert is_sentence(refused.value.message), what
    assert state_snapshot(database) == before

    alice_row = core.list_users(p.owner, "alice").items[0]
    assert (alice_row.status, alice_row.active) == ("deactivated", False)
    assert [
        (m.email, m.role, m.status)
        for m in core.list_members(p.owner, team.id).items
        if m.email == p.alice.email
    ] == [(p.alice.email, "owner", "deactivated")]
    with pytest.raises(InvalidInput, match="deactivated"):
        core.add_member(p.owner, core.create_team(p.owner, "Data").id, p.alice.email)

    core.reactivate_user(p.owner, p.alice.email)
    assert core.team_access(p.alice, team.id).role == "owner"
    assert [t.name for t in core.list_teams(p.alice).items] == ["Platform"]
    core.rename_team(p.alice, team.id, "Platform Engineering")


def test_account_management_rules(core: Core, people: People) -> None:
    p = people
    with pytest.raises(InvalidInput, match="your own account"):
        core.deactivate_user(p.owner, p.owner.email)
    with pytest.raises(PermissionDenied, match="workspace owner"):
        core.deactivate_user(p.wsadmin, p.owner.email)
    with pytest.raises(PermissionDenied, match="workspace owner"):
        core.add_user(p.wsadmin, f"second-owner@{DOMAIN}", workspace_role="owner")
    with pytest.raises(Conflict, match="already active"):
        core.reactivate_user(p.owner, p.bob.email)
    core.deactivate_user(p.owner, p.bob.email)
    with pytest.raises(Conflict, match="already deactivated"):
        core.deactivate_user(p.owner, p.bob.email)
    with pytest.raises(NotFound, match="no account"):
        core.deactivate_user(p.owner, f"ghost@{DOMAIN}")
    directory = core.list_users(p.alice)
    assert [(u.email, u.status) for u in directory.items if u.email == p.bob.email] == [
        (p.bob.email, "deactivated")
    ]
    assert directory.total == 5


# -- archiving ----------------------------------------------------------------------------------


def test_archive_hides_the_team_frees_its_name_and_its_resources(
    core: Core, people: People, database: Database
) -> None:
    p = people
    team = core.create_team(p.owner, "Platform Engineering")
    core.add_member(p.owner, team.id, p.alice.email, "admin")
    core.create_resource(p.alice, "agent", "Infra Bot", team=team.id)
    core.create_resource(p.owner, "skill", "Shared Runbook")
    assert {r.name for r in core.list_resources(p.alice).items} == {"Infra Bot", "Shared Runbook"}

    archived = core.archive_team(p.owner, team.id)
    assert archived.archived
    assert core.list_teams(p.owner).total == 0 and core.list_teams(p.alice).total == 0
    assert [r.name for r in core.list_resources(p.alice).items] == ["Shared Runbook"]
    assert [r.name for r in core.list_resources(p.owner).items] == ["Shared Runbook"]
    for attempt in (
        lambda: core.team_access(p.owner, team.id),
        lambda: core.team_access(p.owner, "Platform Engineering"),
        lambda: core.list_members(p.alice, team.id),
        lambda: core.add_member(p.owner, team.id, p.bob.email),
        lambda: core.archive_team(p.owner, team.id),
    ):
        with pytest.raises(NotFound):
            attempt()

    again = core.create_team(p.owner, "platform engineering")
    assert (
        again.id != team.id
        and core.team_access(p.owner, "Platform Engineering").team.id == again.id
    )
    assert core.list_resources(p.owner, team=again.id).items == []
    # The archived team's rows stay for the record.
    with database.session(write=False) as session:
        assert session.get(Team, team.id).archived_at is not None
        assert (
            session.scalar(
                select(func.count()).select_from(Membership).where(Membership.team_id == team.id)
            )
            == 2
        )


# -- plans --------------------------------------------------------------------------------------


def test_downgrade_keeps_everything_and_upgrade_brings_it_back(
    core: Core, people: People, database: Database
) -> None:
    p = people
    team = core.create_team(p.owner, "Platform")
    core.add_member(p.owner, team.id, p.alice.email, "admin")
    core.create_resource(p.alice, "agent", "Infra Bot", team=team.id, body="deploys")
    core.create_resource(p.alice, "skill", "My Notes", personal=True)
    core.create_resource(p.owner, "tool_policy", "No Shell")
    teams_before, members_before = core.list_teams(p.alice), core.list_members(p.alice, team.id)
    resources_before = core.list_resources(p.alice).items
    stored_before = state_snapshot(database)

    for plan in ("team", "free"):
        assert core.set_plan(p.owner, plan).teams_enabled is False
        assert state_snapshot(database)["memberships"] == stored_before["memberships"]
        for attempt in (
            lambda: core.list_teams(p.alice),
            lambda: core.list_members(p.alice, team.id),
            lambda: core.create_team(p.owner, "New"),
            lambda: core.list_resources(p.alice, team=team.id).items,
        ):
            with pytest.raises(PlanRequired) as refused:
                attempt()
            assert "Business or Enterprise" in refused.value.message
        # Team resources are out of reach; workspace and personal ones stay.
        assert sorted(r.name for r in core.list_resources(p.alice).items) == [
            "My Notes",
            "No Shell",
        ]
        assert WorkspaceAction.CREATE_TEAM not in core.me(p.owner).actions

    assert core.set_plan(p.owner, "enterprise").teams_enabled is True
    assert core.list_teams(p.alice) == teams_before
    assert core.list_members(p.alice, team.id) == members_before
    assert core.list_resources(p.alice).items == resources_before
    after = state_snapshot(database)
    assert {k: v for k, v in after.items() if k != "workspace"} == {
        k: v for k, v in stored_before.items() if k != "workspace"
    }


# -- resources ----------------------------------------------------------------------------------


def test_resource_visibility_by_scope(core: Core, people: People) -> None:
    p = people
    team = core.create_team(p.owner, "Platform")
    core.add_member(p.owner, team.id, p.alice.email, "admin")
    core.add_member(p.owner, team.id, p.bob.email, "member")
    core.create_resource(p.alice, "agent", "Infra Bot", team=team.id)
    core.create_resource(p.owner, "context_file", "Handbook")  # workspace-wide
    core.create_resource(p.alice, "skill", "Alice Notes", personal=True)
    core.create_resource(p.carol, "skill", "Carol Notes", personal=True)

    def visible(who: Principal) -> list[tuple[str, str]]:
        return sorted((r.scope, r.name) for r in core.list_resources(who).items)

    team_r, workspace_r = ("team", "Infra Bot"), ("workspace", "Handbook")
    assert visible(p.alice) == sorted([team_r, workspace_r, ("user", "Alice Notes")])
    assert visible(p.bob) == sorted([team_r, workspace_r])
    assert visible(p.carol) == sorted([workspace_r, ("user", "Carol Notes")])
    assert visible(p.wsadmin) == sorted([team_r, workspace_r])  # personal ones stay personal
    assert visible(p.owner) == sorted([team_r, workspace_r])

    assert [r.name for r in core.list_resources(p.bob, team=team.id).items] == ["Infra Bot"]
    assert core.list_resources(p.bob, team=team.id).items[0].team_name == "Platform"
    assert [r.name for r in core.list_resources(p.carol, kind="skill").items] == ["Carol Notes"]
    with pytest.raises(NotFound):
        core.list_resources(p.carol, team=team.id)
    with pytest.raises(NotFound):
        core.find_resource(p.carol, "agent", "Infra Bot", team=team.id)
    assert core.find_resource(p.bob, "agent", "infra bot", team="platform").name == "Infra Bot"
    carols = core.find_resource(p.carol, "skill", "Carol Notes")
    with pytest.raises(NotFound):
        core.delete_resource(p.alice, carols.id)  # someone else's personal resource
    with pytest.raises(PermissionDenied):
        core.create_resource(p.bob, "agent", "Everyone's Bot")  # workspace-wide needs an admin
    with pytest.raises(PermissionDenied):
        core.create_resource(p.bob, "agent", "Bob Bot", team=team.id)  # a member does not configure
    with pytest.raises(Conflict, match="already exists"):
        core.create_resource(p.owner, "agent", "INFRA  bot", team=team.id)
    core.delete_resource(p.carol, carols.id)
    assert visible(p.carol) == [workspace_r]


# -- audit --------------------------------------------------------------------------------------


def test_audit_is_newest_first_filters_by_team_and_pages(
    core: Core, people: People, clock: FakeClock
) -> None:
    p = people
    platform = core.create_team(p.owner, "Platform")
    data = core.create_team(p.owner, "Data")
    for person in (p.alice, p.bob, p.carol):
        clock.advance(minutes=1)
        core.add_member(p.owner, platform.id, person.email)
        core.add_member(p.owner, data.id, person.email)
    core.rename_team(p.owner, data.id, "Data Science")

    everything = core.list_audit(p.owner, limit=1000).items
    ids = [e.id for e in everything]
    assert ids == sorted(ids, reverse=True)
    assert [e.at for e in everything] == sorted((e.at for e in everything), reverse=True)
    assert (everything[0].action, everything[0].details) == (
        "team.rename",
        {"from": "Data", "to": "Data Science"},
    )

    platform_events = core.list_audit(p.alice, team=platform.id, limit=1000).items
    assert [(e.action, e.target) for e in platform_events] == [
        ("member.add", f"user:{p.carol.email}"),
        ("member.add", f"user:{p.bob.email}"),
        ("member.add", f"user:{p.alice.email}"),
        ("team.create", "team:Platform"),
    ]
    assert {e.team_id for e in platform_events} == {platform.id}

    pages, offset = [], 0
    while True:
        page = core.list_audit(p.owner, offset=offset, limit=3)
        if not page.items:
            break
        assert len(page.items) <= 3 and page.offset == offset and page.total == len(ids)
        pages.append(page.items)
        offset += len(page.items)
    assert [e.id for page in pages for e in page] == ids
    assert [e.id for e in core.list_audit(p.owner, team=data.id, offset=1, limit=2).items] == [
        e.id for e in everything if e.team_id == data.id
    ][1:3]


def test_me_reports_what_the_workspace_lets_me_do(core: Core, people: People) -> None:
    owner_me = core.me(people.owner)
    assert owner_me.workspace.plan == "business" and owner_me.workspace.teams_enabled
    assert WorkspaceAction.SET_PLAN in owner_me.actions
    assert WorkspaceAction.SET_PLAN not in core.me(people.wsadmin).actions
    assert WorkspaceAction.CREATE_TEAM in core.me(people.wsadmin).actions
    assert core.me(people.alice).actions == frozenset()
    assert core.me(people.alice).user.display_name == "Alice"


@pytest.mark.parametrize(("offset", "limit"), [(-1, None), (0, -1), (-5, 10)])
def test_impossible_pages_are_refused_alike_on_every_backend(
    core: Core, people: People, database: Database, offset: int, limit: int | None
) -> None:
    """PostgreSQL refuses a negative OFFSET or LIMIT and SQLite ignores it; the services answer
    the same on both: a sentence, not a database error."""
    team = core.create_team(people.owner, "Platform")
    listings = {
        "teams": lambda: core.list_teams(people.owner, offset=offset, limit=limit),
        "members": lambda: core.list_members(people.owner, team.id, offset=offset, limit=limit),
        "users": lambda: core.list_users(people.owner, offset=offset, limit=limit),
    }
    for what, listing in listings.items():
        with pytest.raises(InvalidInput) as refused:
            listing()
        assert is_sentence(refused.value.message), what
        assert refused.value.field == ("offset" if offset < 0 else "limit"), what
    # Zero rows is a fair question.
    empty = core.list_teams(people.owner, limit=0)
    assert (empty.items, empty.total) == ([], 1)


def test_ids_beyond_the_id_column_are_simply_not_found(core: Core, people: People) -> None:
    """A number typed where a team id goes may be larger than any id column holds; that is
    "not found" on every backend, not a database error (PostgreSQL ids are 32-bit)."""
    core.create_team(people.owner, "Platform")
    huge = 99_999_999_999
    for ref in (huge, str(huge), f" {huge} ", -huge):
        with pytest.raises(NotFound, match="no team"):
            core.team_access(people.owner, ref)
        with pytest.raises(NotFound):
            core.list_members(people.owner, ref)
    with pytest.raises(NotFound, match="no resource"):
        core.delete_resource(people.owner, huge)
    newest = core.list_audit(people.owner, limit=1000)
    assert core.list_audit(people.owner, offset=huge, limit=1000).items == []
    assert core.list_audit(people.owner, offset=huge, limit=1000).total == newest.total


def test_a_team_reference_that_only_looks_numeric_is_a_name(core: Core, people: People) -> None:
    """Strings such as "²" and "١" count as digits to str.isdigit but are no id: names."""
    team = core.create_team(people.owner, "Platform")
    for ref in ("²", " ³ ", "①", "١"):
        with pytest.raises(NotFound, match="no team"):
            core.team_access(people.owner, ref)
    named = core.create_team(people.owner, "²")
    assert core.team_access(people.owner, "²").team.id == named.id
    assert core.team_access(people.owner, f" {team.id} ").team.id == team.id


def test_memberships_carry_their_name_key_without_reading_it_again(
    core: Core, people: People, database: Database
) -> None:
    """The (team_id, member_key) index orders members by name: every membership gets its
    member's name key, from the account the service already holds."""
    p = people
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        team = core.create_team(p.owner, "Infra")
        core.add_member(p.owner, team.id, p.alice.email, "member")
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    # The fallback read of the model's insert hook: SELECT users.name_key FROM users ...
    assert not [s for s in statements if s.startswith("SELECT users.name_key")]
    with database.session() as session:
        keys = session.execute(
            select(Membership.member_key, User.name_key)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team.id)
        ).all()
    assert len(keys) == 2 and all(member and member == name for member, name in keys)
