"""Everything a person types is checked: each bad value is refused with a sentence that says
what is wrong, and nothing changes. Good values are stored trimmed, with inner spaces collapsed,
and markup-like text is kept literally."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from core.db import Database
from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.services import Core
from core.views import Principal
from tests.core.helpers import audit_since, is_sentence, last_audit_id, state_snapshot

DOMAIN = "acme.example.com"
TEAM = "Platform Engineering"
OTHER_TEAM = "Data Science"


@dataclass(frozen=True)
class World:
    core: Core
    owner: Principal
    team_id: int
    other_team_id: int


@pytest.fixture
def world(core: Core, owner: Principal) -> World:
    team = core.create_team(owner, TEAM, "Keeps the lights on.")
    other = core.create_team(owner, OTHER_TEAM)
    core.add_user(owner, f"alice@{DOMAIN}", "Alice")
    core.add_member(owner, team.id, f"alice@{DOMAIN}", "member")
    core.add_user(owner, f"bob@{DOMAIN}", "Bob")
    return World(core, owner, team.id, other.id)


BAD_TEXT = {
    "NUL": "Plat\x00form",
    "ESC sequence": "Platform\x1b[31m red",
    "bell": "Plat\x07form",
    "tab": "Plat\tform",
    "newline": "Plat\nform",
    "carriage return": "Plat\rform",
    "DEL": "Plat\x7fform",
    "C1 control": "Plat\x9bform",
    "right-to-left override": "Plat\u202eform",
    "left-to-right embedding": "Plat\u202aform",
    "first-strong isolate": "Plat\u2068form",
}

Call = Callable[[World], Any]


@dataclass(frozen=True)
class Case:
    call: Call
    error: type[DomainError]
    says: tuple[str, ...]  # words the sentence must contain (case-insensitive)


def _team_name_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for how, call in {
        "create": lambda name: lambda w: w.core.create_team(w.owner, name),
        "rename": lambda name: lambda w: w.core.rename_team(w.owner, w.other_team_id, name),
    }.items():
        cases[f"{how} team: empty"] = Case(call(""), InvalidInput, ("team name", "empty"))
        cases[f"{how} team: spaces only"] = Case(call("    "), InvalidInput, ("team name", "empty"))
        cases[f"{how} team: no-break spaces only"] = Case(
            call("\u00a0 \u2003"), InvalidInput, ("empty",)
        )
        cases[f"{how} team: 81 characters"] = Case(call("x" * 81), InvalidInput, ("81", "80"))
        for label, text in BAD_TEXT.items():
            cases[f"{how} team: {label}"] = Case(call(text), InvalidInput, ("control characters",))
        for clash in ("Platform  engineering", "platform engineering", "  PLATFORM ENGINEERING "):
            cases[f"{how} team: duplicate {clash!r}"] = Case(
                call(clash), Conflict, (TEAM, "already exists")
            )
    return cases


def _description_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for how, call in {
        "create": lambda text: lambda w: w.core.create_team(w.owner, "Brand New", text),
        "describe": lambda text: lambda w: w.core.describe_team(w.owner, w.team_id, text),
    }.items():
        cases[f"{how} description: 501 characters"] = Case(
            call("d" * 501), InvalidInput, ("501", "500")
        )
        for label, text in BAD_TEXT.items():
            if label in ("tab", "newline"):
                continue  # free text may have lines and tabs
            cases[f"{how} description: {label}"] = Case(
                call(text), InvalidInput, ("control characters",)
            )
    return cases


BAD_EMAILS = {
    "empty": ("", ("email", "required")),
    "spaces only": ("   ", ("email", "required")),
    "no domain": ("a@", ("not a valid email",)),
    "no at sign": ("no-at", ("not a valid email",)),
    "space inside": ("a b@example.com", ("not a valid email",)),
    "two at signs": ("a@b@example.com", ("not a valid email",)),
    "NUL": ("al\x00ice@example.com", ("control characters",)),
    "ESC sequence": ("\x1b[31malice@example.com", ("control characters",)),
    "right-to-left override": ("ali\u202ece@example.com", ("control characters",)),
}


def _email_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for label, (address, says) in BAD_EMAILS.items():
        cases[f"add user: email {label}"] = Case(
            lambda w, a=address: w.core.add_user(w.owner, a), InvalidInput, says
        )
        cases[f"add member: email {label}"] = Case(
            lambda w, a=address: w.core.add_member(w.owner, w.team_id, a), InvalidInput, says
        )
    cases["add user: an existing email in other case"] = Case(
        lambda w: w.core.add_user(w.owner, f"ALICE@{DOMAIN.upper()}"), Conflict, ("already exists",)
    )
    cases["add member: already a member"] = Case(
        lambda w: w.core.add_member(w.owner, w.team_id, f"Alice@{DOMAIN}", "admin"),
        Conflict,
        ("already a member",),
    )
    cases["add user: display name with ESC"] = Case(
        lambda w: w.core.add_user(w.owner, f"carol@{DOMAIN}", "\x1b[2JCarol"),
        InvalidInput,
        ("control characters",),
    )
    cases["add user: display name of 81 characters"] = Case(
        lambda w: w.core.add_user(w.owner, f"carol@{DOMAIN}", "c" * 81), InvalidInput, ("81", "80")
    )
    return cases


def _role_and_plan_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for bad in ("superuser", "", "owners", "admin\x1b[0m"):
        cases[f"add member: role {bad!r}"] = Case(
            lambda w, r=bad: w.core.add_member(w.owner, w.team_id, f"bob@{DOMAIN}", r),
            InvalidInput,
            ("not a role", "owner, admin, member"),
        )
        cases[f"change role: role {bad!r}"] = Case(
            lambda w, r=bad: w.core.change_role(w.owner, w.team_id, f"alice@{DOMAIN}", r),
            InvalidInput,
            ("not a role", "owner, admin, member"),
        )
        cases[f"add user: workspace role {bad!r}"] = Case(
            lambda w, r=bad: w.core.add_user(w.owner, f"carol@{DOMAIN}", "Carol", r),
            InvalidInput,
            ("not a role",),
        )
    for bad in ("gold", "", "Business Plus", "pro"):
        cases[f"set plan: {bad!r}"] = Case(
            lambda w, p=bad: w.core.set_plan(w.owner, p),
            InvalidInput,
            ("not a plan", "free, team, business, enterprise"),
        )
    cases["create resource: kind 'robot'"] = Case(
        lambda w: w.core.create_resource(w.owner, "robot", "Infra Bot", team=w.team_id),
        InvalidInput,
        ("not a resource kind",),
    )
    cases["create resource: empty name"] = Case(
        lambda w: w.core.create_resource(w.owner, "agent", "  ", team=w.team_id),
        InvalidInput,
        ("empty",),
    )
    cases["create resource: name with ESC"] = Case(
        lambda w: w.core.create_resource(w.owner, "agent", "Bot\x1b[5m", team=w.team_id),
        InvalidInput,
        ("control characters",),
    )
    cases["create resource: body with NUL"] = Case(
        lambda w: w.core.create_resource(
            w.owner, "skill", "Runbook", team=w.team_id, body="step\x00one"
        ),
        InvalidInput,
        ("control characters",),
    )
    return cases


CASES: dict[str, Case] = {
    **_team_name_cases(),
    **_description_cases(),
    **_email_cases(),
    **_role_and_plan_cases(),
}


def _has_unsafe_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def check_refusal(world: World, database: Database, label: str, case: Case) -> list[str]:
    """Run one bad call; say everything that is wrong with how it was refused."""
    before = state_snapshot(database)
    teams_before = world.core.list_teams(world.owner)
    since = last_audit_id(database)
    try:
        case.call(world)
    except DomainError as caught:
        error = caught
    else:
        return [f"{label}: accepted"]
    problems = []
    if type(error) is not case.error:
        problems.append(f"{label}: raised {error!r}, expected {case.error.__name__}")
    if not is_sentence(error.message):
        problems.append(f"{label}: not a sentence: {error.message!r}")
    for words in case.says:
        if words.casefold() not in error.message.casefold():
            problems.append(f"{label}: {error.message!r} does not say {words!r}")
    # The sentence is safe to print: whatever was typed is quoted with its controls escaped.
    if _has_unsafe_characters(error.message):
        problems.append(f"{label}: the sentence carries control characters: {error.message!r}")
    if state_snapshot(database) != before or world.core.list_teams(world.owner) != teams_before:
        problems.append(f"{label}: refused, but something changed")
    rows = audit_since(database, since)
    if [(r.outcome, r.details.get("reason")) for r in rows] != [("failed", error.message)]:
        problems.append(f"{label}: audited as {rows}")
    elif _has_unsafe_characters(rows[0].target):
        problems.append(
            f"{label}: the audit target keeps raw control characters: {rows[0].target!r}"
        )
    return problems


def test_bad_input_is_refused_with_a_sentence_and_changes_nothing(
    world: World, database: Database
) -> None:
    """Every case in CASES against one workspace: since none may change anything, they can
    share it, and each is checked to have left it exactly as it was."""
    problems = [
        p for label, case in CASES.items() for p in check_refusal(world, database, label, case)
    ]
    assert not problems, "\n".join(problems)
    assert len(CASES) >= 90  # the table above did not lose its cases


def test_bad_workspace_creation_creates_nothing(core: Core, database: Database) -> None:
    for kwargs, says in (
        ({"name": "Acme", "owner_email": "no-at", "plan": "business"}, "valid email"),
        ({"name": "Acme", "owner_email": f"olive@{DOMAIN}", "plan": "platinum"}, "not a plan"),
        ({"name": "   ", "owner_email": f"olive@{DOMAIN}", "plan": "business"}, "empty"),
        (
            {"name": "Ac\x1bme", "owner_email": f"olive@{DOMAIN}", "plan": "business"},
            "control characters",
        ),
    ):
        with pytest.raises(InvalidInput, match=says):
            core.init_workspace(**kwargs)
        assert core.get_workspace() is None
        assert state_snapshot(database)["users"] == []


def test_team_names_are_trimmed_and_collapsed(world: World) -> None:
    core, owner = world.core, world.owner
    team = core.create_team(owner, "   Site    Reliability  ", "  On call, always.  ")
    assert (team.name, team.description) == ("Site Reliability", "On call, always.")
    stored = core.team_access(owner, "site reliability").team
    assert (stored.name, stored.description) == ("Site Reliability", "On call, always.")
    renamed = core.rename_team(owner, team.id, "  Site \u00a0 Reliability   Engineering ")
    assert renamed.name == "Site Reliability Engineering"
    # Free text keeps its lines and tabs, trimmed at the ends only.
    described = core.describe_team(owner, team.id, "\n  Line one\n\tLine two  \n")
    assert described.description == "Line one\n\tLine two"


def test_limits_are_inclusive(world: World) -> None:
    core, owner = world.core, world.owner
    longest = "n" * 80
    team = core.create_team(owner, f"  {longest}  ", "d" * 500)
    assert (team.name, len(team.description)) == (longest, 500)
    assert core.add_user(owner, f"dora@{DOMAIN}", "D" * 80).display_name == "D" * 80


def test_a_team_may_take_its_own_name_in_another_case(world: World) -> None:
    renamed = world.core.rename_team(world.owner, world.team_id, "PLATFORM   engineering")
    assert renamed.name == "PLATFORM engineering"
    assert [t.name for t in world.core.list_teams(world.owner).items] == [
        OTHER_TEAM,
        "PLATFORM engineering",
    ]


@pytest.mark.parametrize(
    "text", ["[b]x[/b]", "[red]alert[/red]", "[link=https://example.com]x[/]", "$name {team} %s"]
)
def test_markup_like_names_are_kept_literally(world: World, text: str) -> None:
    core, owner = world.core, world.owner
    team = core.create_team(owner, text, f"Described as {text}")
    assert team.name == text
    listed = {t.name: t.description for t in core.list_teams(owner).items}
    assert listed[text] == f"Described as {text}"
    user = core.add_user(owner, f"marky@{DOMAIN}", text)
    assert user.display_name == text
    resource = core.create_resource(owner, "agent", text, team=team.id)
    assert resource.name == text
    assert [r.name for r in core.list_resources(owner, team=team.id).items] == [text]


def test_roles_and_plans_are_read_forgivingly(world: World) -> None:
    """Case and surrounding spaces do not matter for choices from a fixed list."""
    member = world.core.add_member(world.owner, world.team_id, f"bob@{DOMAIN}", " Admin ")
    assert member.role == "admin"
    assert world.core.set_plan(world.owner, "ENTERPRISE").plan == "enterprise"
    assert (
        world.core.add_user(world.owner, f"eve@{DOMAIN}", None, "MEMBER").workspace_role == "member"
    )


def test_emails_are_one_account_whatever_their_case(world: World) -> None:
    member = world.core.add_member(world.owner, world.other_team_id, f"  BOB@{DOMAIN.upper()} ")
    assert member.email == f"bob@{DOMAIN}"
    assert world.core.principal_for(f"Bob@{DOMAIN}").email == f"bob@{DOMAIN}"


LOOKUPS: dict[str, Callable[[World, str], Any]] = {
    "team by name": lambda w, t: w.core.team_access(w.owner, t),
    "leave a team by name": lambda w, t: w.core.leave_team(w.owner, t),
    "member by email": lambda w, t: w.core.remove_member(w.owner, w.team_id, f"{t}@{DOMAIN}"),
    "member role by email": lambda w, t: w.core.change_role(w.owner, w.team_id, t, "admin"),
    "account by email": lambda w, t: w.core.get_user(w.owner, t),
    "deactivate by email": lambda w, t: w.core.deactivate_user(w.owner, t),
    "sign in as": lambda w, t: w.core.principal_for(t),
    "resource by name": lambda w, t: w.core.find_resource(w.owner, "agent", t),
}
FILTERS: dict[str, Callable[[World, str], Any]] = {
    "team filter": lambda w, t: w.core.list_teams(w.owner, query=t),
    "member filter": lambda w, t: w.core.list_members(w.owner, w.team_id, query=t),
    "account filter": lambda w, t: w.core.list_users(w.owner, query=t),
}


@pytest.mark.parametrize("typed", ["Plat\x00form", "al\x1b[2Jice", "Plat\u202eform"])
def test_looking_up_text_with_control_characters_finds_nothing(
    world: World, database: Database, typed: str
) -> None:
    """Nothing stored has control characters, so a lookup with one finds nothing: "not
    found" on every backend (PostgreSQL refuses NUL in any text it is sent), and the
    sentence shows what was typed with its controls escaped."""
    before = state_snapshot(database)
    problems = []
    for label, lookup in LOOKUPS.items():
        try:
            lookup(world, typed)
        except NotFound as error:
            if _has_unsafe_characters(error.message) or not is_sentence(error.message):
                problems.append(f"{label}: {error.message!r}")
        except Exception as error:  # noqa: BLE001 - any other outcome is the failure reported
            problems.append(f"{label}: {type(error).__name__}: {error}")
        else:
            problems.append(f"{label}: found something")
    for label, search in FILTERS.items():
        try:
            page = search(world, typed)
        except Exception as error:  # noqa: BLE001
            problems.append(f"{label}: {type(error).__name__}: {error}")
        else:
            if page.items or page.total:
                problems.append(f"{label}: matched {page}")
    assert not problems, "\n".join(problems)
    assert state_snapshot(database) == before


def test_names_that_are_the_same_text_in_another_unicode_form_clash(world: World) -> None:
    """The name "Café" typed with a combining accent is the same text as with "é": one team,
    found either way, stored in the composed form."""
    composed, decomposed = "Caf\u00e9 Ops", "Cafe\u0301 Ops"
    team = world.core.create_team(world.owner, decomposed)
    assert team.name == composed
    with pytest.raises(Conflict, match="already exists"):
        world.core.create_team(world.owner, composed.upper())
    assert world.core.team_access(world.owner, composed).team.id == team.id
    assert world.core.team_access(world.owner, decomposed).team.id == team.id
