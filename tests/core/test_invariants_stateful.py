"""Random sequences of membership changes by random actors, checked against a model.

The model is a plain dict of teams and their members' roles, updated by the rules of DESIGN §3
(written again here, independently of ``core.permissions``). After every step the database must
hold exactly the model's memberships, every live team must have an owner, and no user may be in
a team twice. Every call must succeed or be refused exactly as the model says.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from core.db import Database, create_engine_for
from core.errors import Conflict, DomainError, InvalidInput, LastOwner, NotFound, PermissionDenied
from core.models import AuditEvent, Membership, Team, User
from core.services import Core
from core.views import Principal
from tests.conftest import FakeClock

DOMAIN = "acme.example.com"
# name -> workspace role. "owner" is the workspace owner; the members start in no team.
PEOPLE: dict[str, str] = {
    "owner": "owner",
    "wsadmin": "admin",
    "alice": "member",
    "bob": "member",
    "carol": "member",
    "dave": "member",
}
NAMES = sorted(PEOPLE)
ROLES = ("owner", "admin", "member")
# A small pool, so names clash (also in case and spacing) and archived names get reused.
TEAM_NAMES = ("Platform", "platform", "Data  Science", "data science", "Infra")

people = st.sampled_from(NAMES)
# Actors and subjects are either a named person or someone holding a role in the team at hand
# ("@owner": one of its owners), so that most steps do something rather than miss.
IN_TEAM = ("@owner", "@admin", "@member")
actors = st.sampled_from(IN_TEAM + tuple(NAMES))
subjects = st.sampled_from(IN_TEAM + tuple(NAMES))
# Who tries to create teams: mostly those who may, sometimes a workspace member.
creators = st.sampled_from(("owner", "wsadmin", "wsadmin", "alice"))
roles = st.sampled_from(ROLES)
# Mostly a live team; sometimes any team ever made, archived ones included.
team_slots = st.tuples(st.booleans(), st.integers(min_value=0, max_value=7))

OUTCOME_OF = {
    PermissionDenied: "denied",
    LastOwner: "denied",
    NotFound: "failed",
    InvalidInput: "failed",
    Conflict: "failed",
}


def email(name: str) -> str:
    return f"{name}@{DOMAIN}"


class TeamModel:
    """What DESIGN §3 says the teams look like: live teams with {person: role}."""

    def __init__(self) -> None:
        self.live: dict[int, dict[str, str]] = {}
        self.names: dict[int, str] = {}
        self.archived: set[int] = set()

    def is_workspace_admin(self, person: str) -> bool:
        return PEOPLE[person] in ("admin", "owner")

    def role(self, person: str, team: int) -> str | None:
        return self.live.get(team, {}).get(person)

    def can_see(self, person: str, team: int) -> bool:
        return team in self.live and (
            self.role(person, team) is not None or self.is_workspace_admin(person)
        )

    def can_manage(self, person: str, team: int) -> bool:
        """Members, roles and team settings: the team's owners and workspace admins."""
        return self.role(person, team) == "owner" or self.is_workspace_admin(person)

    def owners(self, team: int) -> int:
        return sum(1 for role in self.live[team].values() if role == "owner")

    def name_taken(self, name: str) -> bool:
        key = " ".join(name.split()).casefold()
        return any(
            " ".join(n.split()).casefold() == key for t, n in self.names.items() if t in self.live
        )

    # Each returns the error class the call must raise, or None.
    def create_team(self, actor: str, name: str) -> type[DomainError] | None:
        if not self.is_workspace_admin(actor):
            return PermissionDenied
        return Conflict if self.name_taken(name) else None

    def add_member(self, actor: str, team: int, target: str) -> type[DomainError] | None:
        if not self.can_see(actor, team):
            return NotFound
        if not self.can_manage(actor, team):
            return PermissionDenied
        return Conflict if self.role(target, team) is not None else None

    def change_role(
        self, actor: str, team: int, target: str, role: str
    ) -> type[DomainError] | None:
        if not self.can_see(actor, team):
            return NotFound
        if not self.can_manage(actor, team):
            return PermissionDenied
        current = self.role(target, team)
        if current is None:
            return NotFound
        if current == "owner" and role != "owner" and self.owners(team) == 1:
            return LastOwner
        return None

    def remove_member(self, actor: str, team: int, target: str) -> type[DomainError] | None:
        if not self.can_see(actor, team):
            return NotFound
        if not self.can_manage(actor, team):
            return PermissionDenied
        current = self.role(target, team)
        if current is None:
            return NotFound
        return LastOwner if current == "owner" and self.owners(team) == 1 else None

    def leave(self, actor: str, team: int) -> type[DomainError] | None:
        if not self.can_see(actor, team):
            return NotFound
        current = self.role(actor, team)
        if current is None:
            return InvalidInput  # a workspace admin who is not in the team
        return LastOwner if current == "owner" and self.owners(team) == 1 else None

    def archive(self, actor: str, team: int) -> type[DomainError] | None:
        if not self.can_see(actor, team):
            return NotFound
        return None if self.can_manage(actor, team) else PermissionDenied


class TeamMembershipMachine(RuleBasedStateMachine):
    """Set ``template`` and ``workdir`` on a subclass before running."""

    template: Path
    workdir: Path
    _counter = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.path = self.workdir / f"example-{next(self._counter)}.db"
        shutil.copy(self.template, self.path)
        self.db = Database(create_engine_for(f"sqlite:///{self.path}"))
        self.clock = FakeClock()
        self.core = Core(self.db, self.clock)
        owner = self.core.init_workspace("Acme", email("owner"), "Owner", plan="business")
        self.who: dict[str, Principal] = {"owner": owner}
        for name, workspace_role in PEOPLE.items():
            if name != "owner":
                view = self.core.add_user(owner, email(name), name.capitalize(), workspace_role)
                self.who[name] = Principal(view.id, view.email)
        self.model = TeamModel()
        self.created: list[int] = []  # every team made, live or archived, in order
        self.steps = 0
        self.last_step_changed = False

    def teardown(self) -> None:
        self.db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # -- running one call against the model ----------------------------------------------------

    def attempt(
        self, expected: type[DomainError] | None, call: Callable[[], Any], what: str
    ) -> Any:
        self.steps += 1
        self.last_step_changed = False
        self.clock.advance(seconds=1)
        try:
            result = call()
        except DomainError as error:
            assert type(error) is expected, f"{what}: expected {_name(expected)}, got {error!r}"
            self._assert_refusal_audited(error, what)
            return None
        assert expected is None, f"{what}: expected {_name(expected)}, but it succeeded"
        self.last_step_changed = True
        return result

    def _assert_refusal_audited(self, error: DomainError, what: str) -> None:
        with self.db.session(write=False) as session:
            row = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
            assert (row.outcome, (row.details or {}).get("reason")) == (
                OUTCOME_OF[type(error)],
                error.message,
            ), f"{what}: refusal audited as {row.outcome} {row.details}"

    def team_at(self, slot: tuple[bool, int]) -> int:
        any_team, index = slot
        live = sorted(self.model.live)
        pool = self.created if any_team or not live else live
        return pool[index % len(pool)]

    def person(self, choice: str, team: int, index: int = 0) -> str:
        """``choice`` itself, or for "@owner" etc. someone with that role in ``team``
        (any member when nobody has it, anyone at all for an archived team)."""
        if not choice.startswith("@"):
            return choice
        members = self.model.live.get(team, {})
        holders = sorted(p for p, r in members.items() if r == choice[1:])
        pool = holders or sorted(members) or NAMES
        return pool[index % len(pool)]

    # -- rules ---------------------------------------------------------------------------------

    @initialize(
        creator=st.sampled_from(("owner", "wsadmin")),
        others=st.lists(st.sampled_from((*ROLES, None)), min_size=4, max_size=4),
    )
    def seed_team(self, creator: str, others: list[str | None]) -> None:
        """Start from a team with a few members in random roles."""
        self.create_team(creator, "Seed")
        for person, role in zip(("alice", "bob", "carol", "dave"), others, strict=True):
            if role is not None:
                self.add_member(creator, (False, 0), person, role)

    @precondition(lambda self: len(self.model.live) < 4)
    @rule(actor=creators, name=st.sampled_from(TEAM_NAMES))
    def create_team(self, actor: str, name: str) -> None:
        expected = self.model.create_team(actor, name)
        view = self.attempt(
            expected,
            lambda: self.core.create_team(self.who[actor], name),
            f"{actor} creates {name!r}",
        )
        if view is not None:
            assert view.name == " ".join(name.split()) and view.my_role == "owner"
            self.model.live[view.id] = {actor: "owner"}
            self.model.names[view.id] = view.name
            self.created.append(view.id)

    @precondition(lambda self: self.created)
    @rule(actor=actors, slot=team_slots, subject=people, role=roles)
    def add_member(self, actor: str, slot: tuple[bool, int], subject: str, role: str) -> None:
        team = self.team_at(slot)
        actor = self.person(actor, team)
        expected = self.model.add_member(actor, team, subject)
        call = lambda: self.core.add_member(self.who[actor], team, email(subject), role)
        if self.attempt(expected, call, f"{actor} adds {subject} to #{team} as {role}") is not None:
            self.model.live[team][subject] = role

    @precondition(lambda self: self.created)
    @rule(actor=actors, slot=team_slots, subject=subjects, role=roles, pick=st.integers(0, 3))
    def change_role(
        self, actor: str, slot: tuple[bool, int], subject: str, role: str, pick: int
    ) -> None:
        team = self.team_at(slot)
        actor, subject = self.person(actor, team), self.person(subject, team, pick)
        expected = self.model.change_role(actor, team, subject, role)
        call = lambda: self.core.change_role(self.who[actor], team, email(subject), role)
        view = self.attempt(expected, call, f"{actor} makes {subject} {role} in #{team}")
        if view is not None:
            assert view.role == role
            self.model.live[team][subject] = role

    @precondition(lambda self: self.created)
    @rule(actor=actors, slot=team_slots, subject=subjects, pick=st.integers(0, 3))
    def remove_member(self, actor: str, slot: tuple[bool, int], subject: str, pick: int) -> None:
        team = self.team_at(slot)
        actor, subject = self.person(actor, team), self.person(subject, team, pick)
        expected = self.model.remove_member(actor, team, subject)
        call = lambda: self.core.remove_member(self.who[actor], team, email(subject))
        self.attempt(expected, call, f"{actor} removes {subject} from #{team}")
        if expected is None:
            del self.model.live[team][subject]

    @precondition(lambda self: self.created)
    @rule(actor=actors, slot=team_slots, pick=st.integers(0, 3))
    def leave(self, actor: str, slot: tuple[bool, int], pick: int) -> None:
        team = self.team_at(slot)
        actor = self.person(actor, team, pick)
        expected = self.model.leave(actor, team)
        self.attempt(
            expected, lambda: self.core.leave_team(self.who[actor], team), f"{actor} leaves #{team}"
        )
        if expected is None:
            del self.model.live[team][actor]

    # Archiving ends a team's story, so it only comes once there are a few to choose from.
    @precondition(lambda self: len(self.model.live) >= 2)
    @rule(actor=actors, slot=team_slots)
    def archive(self, actor: str, slot: tuple[bool, int]) -> None:
        team = self.team_at(slot)
        actor = self.person(actor, team)
        expected = self.model.archive(actor, team)
        self.attempt(
            expected,
            lambda: self.core.archive_team(self.who[actor], team),
            f"{actor} archives #{team}",
        )
        if expected is None:
            del self.model.live[team]
            self.model.archived.add(team)

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def database_matches_model(self) -> None:
        with self.db.session(write=False) as session:
            live = set(session.scalars(select(Team.id).where(Team.archived_at.is_(None))))
            archived = set(session.scalars(select(Team.id).where(Team.archived_at.is_not(None))))
            rows = session.execute(
                select(Membership.team_id, User.email, Membership.role).join(
                    User, User.id == Membership.user_id
                )
            ).all()
            duplicates = session.execute(
                select(Membership.team_id, Membership.user_id)
                .group_by(Membership.team_id, Membership.user_id)
                .having(func.count() > 1)
            ).all()
        assert not duplicates, f"duplicate memberships: {duplicates}"
        assert live == set(self.model.live) and archived == self.model.archived
        actual: dict[int, dict[str, str]] = {team: {} for team in live}
        for team, address, role in rows:
            if team in live:
                actual[team][address.split("@")[0]] = role
        assert actual == self.model.live
        for team, members in actual.items():
            assert "owner" in members.values(), f"live team #{team} has no owner: {members}"

    @invariant()
    def team_list_matches_model(self) -> None:
        """What the Teams screen lists. A refused step changed nothing (the check above says
        so), so the list is only read again after a step that went through."""
        if not self.last_step_changed:
            return
        listed = self.core.list_teams(self.who["owner"])
        assert listed.total == len(self.model.live)
        assert {t.id: t.member_count for t in listed.items} == {
            team: len(members) for team, members in self.model.live.items()
        }
        assert {t.id: t.my_role for t in listed.items} == {
            team: members.get("owner") for team, members in self.model.live.items()
        }


def _name(error: type[DomainError] | None) -> str:
    return "success" if error is None else error.__name__


def test_random_membership_changes_keep_every_invariant(
    sqlite_template: Path, tmp_path: Path
) -> None:
    machine = type(
        "Machine", (TeamMembershipMachine,), {"template": sqlite_template, "workdir": tmp_path}
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=35,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_model_and_services_agree_on_a_scripted_sequence(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """A fixed walk through the machine, so that its rules are known to run and to check."""
    machine_class = type(
        "Machine", (TeamMembershipMachine,), {"template": sqlite_template, "workdir": tmp_path}
    )
    machine = machine_class()
    try:
        machine.create_team("wsadmin", "Platform")
        machine.create_team("alice", "Data  Science")  # a workspace member may not
        machine.create_team("owner", "platform")  # the name is taken
        first = (False, 0)
        machine.add_member("wsadmin", first, "alice", "member")
        machine.add_member("alice", first, "bob", "member")  # a team member may not manage members
        machine.add_member("bob", first, "carol", "member")  # bob cannot even see the team
        machine.change_role("wsadmin", first, "alice", "owner", 0)
        machine.leave("wsadmin", first, 0)  # alice still owns it
        machine.leave("@owner", first, 0)  # alice, now the last owner
        machine.remove_member("owner", first, "alice", 0)  # last owner, by the workspace owner
        machine.change_role("owner", first, "@owner", "member", 0)  # last owner again
        machine.leave("owner", first, 0)  # the workspace owner is not in the team
        machine.create_team("owner", "Infra")
        machine.archive("alice", first)
        machine.create_team("owner", "PLATFORM")  # the archived team's name is free again
        machine.add_member("alice", (True, 0), "bob", "admin")  # the archived team: not found
        machine.database_matches_model()
        machine.last_step_changed = True
        machine.team_list_matches_model()
        assert machine.model.archived == {machine.created[0]} and len(machine.model.live) == 2
        assert machine.steps == 16
    finally:
        machine.teardown()
