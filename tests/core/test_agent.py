"""The admin agent: every documented sentence and many everyday variations plan the right call
and, once executed, leave the right state; ambiguous, unreadable and forbidden sentences end in
a question, an explanation or a refusal and change nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, text

from core.agent import Agent, AgentResult, Clarify, NotUnderstood, Plan, Refused
from core.agent.examples import ALL_EXAMPLES
from core.db import Database, create_engine_for
from core.errors import InvalidInput, PermissionDenied
from core.models import Base
from core.services import Core
from core.usecases.commands import Command, SetPlan
from core.views import Principal
from tests.conftest import FakeClock
from tests.core.agent_sentences import (
    CASES,
    NEGATIVE,
    OWNER,
    PEOPLE,
    WORKSPACE_ADMIN,
    Case,
    Negative,
    build_workspace,
)
from tests.core.helpers import plan_args, plan_call, state_snapshot, without_defaults


@dataclass
class Workspace:
    core: Core
    clock: FakeClock

    def who(self, email: str) -> Principal:
        return self.core.principal_for(email)

    @property
    def owner(self) -> Principal:
        return self.who(OWNER)


@pytest.fixture(scope="session")
def workspace_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The table's workspace built once on SQLite; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("agent") / "workspace.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine_for(f"sqlite:///{path}")
    build_workspace(Core(Database(engine), FakeClock()))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def workspace_rows(workspace_file: Path) -> list[tuple[Table, list[dict[str, Any]]]]:
    """The built workspace's rows, table by table in dependency order."""
    engine = create_engine_for(f"sqlite:///{workspace_file}")
    with engine.connect() as conn:
        rows = [
            (table, [dict(row._mapping) for row in conn.execute(table.select())])
            for table in Base.metadata.sorted_tables
        ]
    engine.dispose()
    return rows


@pytest.fixture
def ws(db_url: str, workspace_file: Path, workspace_rows: list) -> Iterator[Workspace]:
    """A fresh copy of the workspace on each backend under test. Building it through the
    services takes about 30 transactions; on PostgreSQL the built rows are copied in one
    transaction instead (the services then run on them as usual)."""
    clock = FakeClock()
    if db_url.startswith("sqlite:///"):
        shutil.copy(workspace_file, db_url.removeprefix("sqlite:///"))
        database = Database(create_engine_for(db_url))
    else:
        database = Database(create_engine_for(db_url))
        _copy_rows(database, workspace_rows)
    yield Workspace(Core(database, clock), clock)
    database.dispose()


def _copy_rows(database: Database, rows: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    with database.engine.begin() as conn:
        for table, items in rows:
            if items:
                conn.execute(table.insert(), items)
        for table, _ in rows:
            # The copied ids were not drawn from the sequences: move them past the copies.
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


@pytest.fixture(scope="module")
def shared(workspace_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the tests that only plan: planning never changes anything."""
    path = tmp_path_factory.mktemp("agent-shared") / "shared.db"
    shutil.copy(workspace_file, path)
    database = Database(create_engine_for(f"sqlite:///{path}"))
    yield Workspace(Core(database, FakeClock()), FakeClock())
    database.dispose()


# -- the positive table ------------------------------------------------------------------------


def test_the_table_holds_every_documented_sentence_and_150_more() -> None:
    doc = Path(__file__).parents[2].parent / "shared" / "seed" / "teams-doc.txt"
    documented = [c.sentence for c in CASES if c.doc]
    if doc.exists():
        text = doc.read_text()
        for sentence in documented:
            assert sentence in text
    assert len(documented) == 8
    assert len(CASES) - len(documented) >= 150
    assert len({c.sentence for c in CASES}) == len(CASES), "a sentence is listed twice"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.sentence[:70])
def test_sentence_plans_the_call_and_executing_it_leaves_that_state(
    ws: Workspace, case: Case
) -> None:
    owner = ws.owner
    for step in case.given:
        if step[0] == "member":
            ws.core.add_member(owner, step[1], step[2], step[3])
        elif step[0] == "archive":
            ws.core.archive_team(owner, step[1])
    actor = ws.who(case.actor)
    agent = Agent(ws.core)
    answer = agent.plan(actor, case.sentence)
    assert isinstance(answer, Plan), f"{case.sentence!r} → {answer}"
    assert plan_call(answer) == case.call, answer
    assert readable_args(ws, answer) == with_defaults(case), answer.description
    assert answer.description and answer.description == answer.description.strip()
    before = state_snapshot(ws.core.db)
    ws.clock.advance(hours=1)  # so a resent invitation's new expiry is visibly new
    result = agent.execute(actor, answer)
    assert isinstance(result, AgentResult) and result.summary.endswith(".")
    check_state(ws, actor, case, answer, result, before)


def readable_args(ws: Workspace, plan: Plan) -> dict[str, Any]:
    """The plan's arguments with ids turned back into the names the table uses."""
    owner = ws.owner
    args = plan_args(plan)
    teams = {t.id: t.name for t in ws.core.list_teams(owner).items}
    if isinstance(args.get("team"), int):
        assert teams[args["team"]] == plan.target_team
        args["team"] = teams[args["team"]]
    if plan_call(plan) in ("revoke_key", "rotate_key"):
        keys = ws.core.list_keys(owner, plan.target_team).items
        [key] = [k for k in keys if k.key_id == args["key"]]
        args["key"] = key.name
    if plan_call(plan) == "delete_resource":
        resource_id = args.pop("resource_id")
        [found] = [
            r for r in ws.core.list_resources(owner, plan.target_team).items if r.id == resource_id
        ]
        args["resource"], args["team"] = f"{found.kind}:{found.name}", plan.target_team
    return args


def with_defaults(case: Case) -> dict[str, Any]:
    if case.call == "delete_resource":
        return dict(case.args)  # named by kind and name, not by the command's id
    return without_defaults(case.call, dict(case.args))


def check_state(
    ws: Workspace, actor: Principal, case: Case, plan: Plan, result: AgentResult, before: dict
) -> None:
    core, owner, args = ws.core, ws.owner, case.args
    team = args.get("team")
    after = state_snapshot(core.db)

    def members(name: str) -> dict[str, str]:
        return {m.email: m.role for m in core.list_members(owner, name).items}

    call = case.call
    if call.startswith("list_"):
        assert after == before
        if call == "list_teams":
            expected = core.list_teams(actor, query=args["query"]).items
            assert [t.name for t in result.data.items] == [t.name for t in expected]
        elif call == "list_members":
            assert {m.email for m in result.data.items} == set(members(team))
        elif call == "list_keys":
            assert [k.key_id for k in result.data.items] == [
                k.key_id for k in core.list_keys(owner, team).items
            ]
        elif call == "list_invitations":
            assert {i.email for i in result.data.items} == {
                i.email for i in core.list_invitations(owner, team).items
            }
        elif call == "list_resources":
            assert {r.name for r in result.data.items} == {
                r.name for r in core.list_resources(owner, team, args.get("kind")).items
            }
        return
    if call == "create_team":
        [made] = core.list_teams(owner, query=args["name"]).items
        assert made.name == args["name"] and made.description == args["description"]
        assert members(made.name)[OWNER] == "owner"
    elif call == "invite_members":
        assert result.ok, result.summary
        current = members(team)
        pending = {i.email: i.role for i in core.list_invitations(owner, team).items}
        for address in args["addresses"]:
            if address in PEOPLE or address == WORKSPACE_ADMIN:
                assert current.get(address) == args["role"], (address, current)
            else:
                assert pending.get(address) == args["role"], (address, pending)
    elif call == "change_role":
        assert members(team)[args["email"]] == args["role"]
    elif call == "remove_member":
        assert args["email"] not in members(team)
    elif call == "leave_team":
        assert actor.email not in members(team)
    elif call == "create_resource":
        if team is not None:
            found = [
                r
                for r in core.list_resources(owner, team, args["kind"]).items
                if r.name == args["name"]
            ]
        else:
            scope = "user" if args.get("personal") else "workspace"
            found = [
                r
                for r in core.list_resources(actor, None, args["kind"]).items
                if r.name == args["name"] and r.scope == scope
            ]
        assert len(found) == 1 and found[0].body == args["body"]
        if team is not None:
            assert found[0].scope == "team" and found[0].team_name == team
    elif call == "delete_resource":
        kind, name = args["resource"].split(":")
        assert name not in {r.name for r in core.list_resources(owner, team, kind).items}
    elif call == "create_key":
        [made] = [k for k in core.list_keys(owner, team).items if k.name == args["name"]]
        assert made.status == "active"
        assert result.secret and result.secret.startswith(f"team.{made.key_id}.")
        assert result.secret not in result.summary
        days = args["expires_in_days"]
        if days is None:
            assert made.expires_at is None
        else:
            assert made.expires_at == ws.clock.now + timedelta(days=days)
        assert core.verify_key(result.secret).ok
    elif call == "revoke_key":
        named = [k for k in core.list_keys(owner, team).items if k.name == args["key"]]
        assert [k.status for k in named] == ["revoked"]
    elif call == "rotate_key":
        named = {k.key_id: k for k in core.list_keys(owner, team).items if k.name == args["key"]}
        assert len(named) == 2 and result.secret
        new = result.data.key.key_id
        assert named[new].status == "active" and core.verify_key(result.secret).ok
        [old] = [k for k in named.values() if k.key_id != new]
        grace = args.get("grace_hours", 24)
        if grace == 0:
            assert old.status == "revoked"
        else:
            assert old.status == "rotated" and old.expires_at == ws.clock.now + timedelta(
                hours=grace
            )
    elif call == "resend_invitation":
        [inv] = [i for i in core.list_invitations(owner, team).items if i.email == args["email"]]
        assert inv.status == "pending"
        assert inv.expires_at == ws.clock.now + timedelta(hours=core.settings.invite_ttl_hours)
    elif call == "revoke_invitation":
        assert args["email"] not in {i.email for i in core.list_invitations(owner, team).items}
    elif call == "rename_team":
        names = {t.name for t in core.list_teams(owner).items}
        assert args["new_name"] in names and team not in names
        assert result.link == ("team", args["new_name"])
    elif call == "describe_team":
        [found] = [t for t in core.list_teams(owner).items if t.name == team]
        assert found.description == args["description"]
    elif call == "archive_team":
        assert team not in {t.name for t in core.list_teams(owner).items}
        assert result.link == ("teams", "")
    else:  # pragma: no cover - a new call needs its check here
        raise AssertionError(f"no state check for {call}")
    if team is not None and call not in ("archive_team", "leave_team", "rename_team"):
        assert result.link == ("team", team)


# -- what must not execute ----------------------------------------------------------------------


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda n: n.sentence[:70] or "(empty)")
def test_sentence_asks_or_explains_and_changes_nothing(shared: Workspace, case: Negative) -> None:
    before = state_snapshot(shared.core.db)
    answer = Agent(shared.core).plan(shared.who(case.actor), case.sentence)
    assert state_snapshot(shared.core.db) == before
    if case.answer == "clarify":
        assert isinstance(answer, Clarify), answer
        assert tuple(answer.options) == case.options
        for option in case.options:
            assert option in answer.question
        return
    if case.answer == "refused":
        assert isinstance(answer, Refused), answer
        message = answer.message
    else:
        assert isinstance(answer, NotUnderstood), answer
        assert answer.missing == case.missing, answer
        assert 2 <= len(answer.examples) <= 3 and set(answer.examples) <= set(ALL_EXAMPLES)
        message = answer.message
    assert message and "\n" not in message and "Traceback" not in message
    for words in case.says:
        assert words.casefold() in message.casefold(), message


def test_negative_table_is_large_and_covers_every_kind_of_answer() -> None:
    assert len(NEGATIVE) >= 50
    assert {n.answer for n in NEGATIVE} == {"clarify", "not_understood", "refused"}
    assert {"team", "person", "role", "command", "sentence"} <= {n.missing for n in NEGATIVE}


def test_not_understood_says_what_it_understood(shared: Workspace) -> None:
    answer = Agent(shared.core).plan(shared.owner, "Invite alice@example.com")
    assert isinstance(answer, NotUnderstood)
    assert answer.message.startswith("I understood 'invite' but not which team")
    assert answer.understood == "invite"
    assert answer.examples[0].startswith(("Invite", "Add"))


def test_an_unknown_role_is_named_and_never_rounded_to_a_near_one(shared: Workspace) -> None:
    answer = Agent(shared.core).plan(shared.owner, "Add bob to Security as a maintainer")
    assert isinstance(answer, NotUnderstood) and answer.missing == "role"
    assert "'a maintainer'" in answer.message and "owner, admin or member" in answer.message


def test_clarify_offers_sentences_that_plan_once_chosen(shared: Workspace) -> None:
    agent = Agent(shared.core)
    for sentence, about in (
        ("Add bob to Data as admin", "team"),
        ("Change Sam's role in Data Platform to admin", "person"),
        ("Add Sam to Security", "person"),
    ):
        answer = agent.plan(shared.owner, sentence)
        assert isinstance(answer, Clarify) and answer.about == about
        assert len(answer.sentences) == len(answer.options) == 2
        targets = set()
        for rewritten in answer.sentences:
            plan = agent.plan(shared.owner, rewritten)
            assert isinstance(plan, Plan), (rewritten, plan)
            targets.add(
                (
                    plan.target_team,
                    plan_args(plan).get("email"),
                    tuple(plan_args(plan).get("addresses", ())),
                )
            )
        assert len(targets) == 2, "each choice plans something different"


def test_people_resolve_by_email_display_name_first_name_and_possessive(shared: Workspace) -> None:
    agent = Agent(shared.core)
    for who in (
        "alice@example.com",
        "ALICE@example.com",
        "Alice Liddell",
        "alice liddell",
        "Alice",
        "alice",
        "Liddell",
        "@alice",
        "the user alice",
        "Alice Liddell <alice@example.com>",
    ):
        plan = agent.plan(shared.owner, f"Add {who} to Security")
        assert isinstance(plan, Plan) and plan_args(plan)["addresses"] == ["alice@example.com"], (
            who,
            plan,
        )
    for possessive in ("Alice's", "Alice’s", "alice's", "Alice Liddell's", "alice@example.com's"):
        plan = agent.plan(shared.owner, f"Change {possessive} role in Data Science to admin")
        assert isinstance(plan, Plan) and plan_args(plan)["email"] == "alice@example.com", (
            possessive,
            plan,
        )


def test_teams_resolve_with_or_without_article_word_quotes_and_case(shared: Workspace) -> None:
    agent = Agent(shared.core)
    for written in (
        "Platform Engineering",
        "the Platform Engineering team",
        "team Platform Engineering",
        "PLATFORM ENGINEERING",
        "platform engineering",
        '"Platform Engineering"',
        "“Platform Engineering”",
        "'Platform Engineering'",
        "the “Platform Engineering” team",
        "the team called Platform Engineering",
        "platform-engineering",
        "Platform Eng",
        "plat eng",
    ):
        plan = agent.plan(shared.owner, f"List the members of {written}")
        assert isinstance(plan, Plan) and plan.target_team == "Platform Engineering", (
            written,
            plan,
        )


def test_a_sentence_that_reads_two_sensible_ways_is_asked_about(ws: Workspace) -> None:
    ws.core.create_team(ws.owner, "Back")
    agent = Agent(ws.core)
    answer = agent.plan(ws.owner, "Rename Back to School to Summer")
    assert isinstance(answer, Clarify) and answer.about == "reading", answer
    assert answer.options == [
        "Rename Back to “School to Summer”",
        "Rename Back to School to “Summer”",
    ]
    assert [(p.target_team, plan_args(p)["new_name"]) for p in answer.plans] == [
        ("Back", "School to Summer"),
        ("Back to School", "Summer"),
    ]
    assert answer.sentences == [
        'Rename "Back" to "School to Summer"',
        'Rename "Back to School" to "Summer"',
    ]
    for sentence, plan in zip(answer.sentences, answer.plans, strict=True):
        again = agent.plan(ws.owner, sentence)
        assert isinstance(again, Plan) and again.command == plan.command
    before = state_snapshot(ws.core.db)
    assert state_snapshot(ws.core.db) == before


def test_a_name_typed_in_another_unicode_form_is_the_same_name(ws: Workspace) -> None:
    ws.core.create_team(ws.owner, "Caf\u00e9 Ops")
    plan = Agent(ws.core).plan(ws.owner, "List the members of Cafe\u0301 Ops")
    assert isinstance(plan, Plan) and plan.target_team == "Caf\u00e9 Ops"


def test_a_quoted_team_name_is_taken_literally(shared: Workspace) -> None:
    answer = Agent(shared.core).plan(shared.owner, 'List the members of "Platform"')
    assert isinstance(answer, NotUnderstood) and "'Platform'" in answer.message


def test_descriptions_say_what_will_happen_for_accounts_and_new_addresses(
    shared: Workspace,
) -> None:
    agent = Agent(shared.core)
    plan = agent.plan(
        shared.owner, "Invite alice@example.com to the Platform Engineering team as a member"
    )
    assert isinstance(plan, Plan)
    assert plan.description == (
        "Add Alice Liddell (alice@example.com) to Platform Engineering as member (existing account)"
    )
    plan = agent.plan(
        shared.owner, "Invite newbie@example.com to the Platform Engineering team as a member"
    )
    assert isinstance(plan, Plan)
    assert plan.description == "Invite newbie@example.com to Platform Engineering as member"
    plan = agent.plan(shared.owner, "Invite alice and newbie@example.com to Security as admins")
    assert isinstance(plan, Plan)
    assert plan.description == (
        "Add Alice Liddell (alice@example.com) (existing account) and invite newbie@example.com "
        "to Security as admin"
    )
    plan = agent.plan(shared.owner, "Add bob and carol.new@example.org to Security")
    assert isinstance(plan, Plan)
    assert plan.details == (
        "Bob Stone (bob@example.com): already a member of Security as member; left as it is.",
        "carol.new@example.org: already invited; resend that invitation instead.",
    )
    plan = agent.plan(shared.owner, "Change Alice's role in Data Science to admin")
    assert isinstance(plan, Plan)
    assert (
        plan.description
        == "Change Alice Liddell (alice@example.com)'s role in Data Science to admin"
    )
    assert plan.details == ("Now member.",)
    plan = agent.plan(
        shared.owner, 'Create a skill called "Kubernetes Runbook" scoped to the Security team'
    )
    assert (
        isinstance(plan, Plan)
        and plan.description == "Create a skill “Kubernetes Runbook” for Security"
    )
    plan = agent.plan(shared.owner, "List teams")
    assert isinstance(plan, Plan) and plan.changes is False


def test_plan_and_answers_serialise_to_plain_data(shared: Workspace) -> None:
    import json

    agent = Agent(shared.core)
    for sentence in (
        "Add bob to Data as admin",
        "gibberish words here",
        "Remove Bob from Security",
    ):
        answer = agent.plan(shared.owner, sentence)
        assert json.loads(json.dumps(answer.to_dict()))["kind"] in (
            "plan",
            "clarify",
            "not_understood",
        )
    refused = agent.plan(shared.who("dave@example.com"), "Delete the Security team")
    assert json.loads(json.dumps(refused.to_dict()))["kind"] == "refused"


# -- permissions ------------------------------------------------------------------------------


def test_a_plain_member_is_refused_with_cores_sentence_and_execute_raises(ws: Workspace) -> None:
    dave = ws.who("dave@example.com")
    sentence = "Invite newbie@example.com to Security as a member"
    refused = Agent(ws.core).plan(dave, sentence)
    assert isinstance(refused, Refused)
    assert refused.message == (
        "Only the team's owners and workspace admins can manage members of Security; you are a member."
    )
    # Without the early refusal the plan is made, and core refuses it on execute.
    late = Agent(ws.core, refuse_early=False)
    plan = late.plan(dave, sentence)
    assert isinstance(plan, Plan) and plan_call(plan) == "invite_members"
    before = state_snapshot(ws.core.db)
    pending = ws.core.list_invitations(ws.owner, "Security").items
    with pytest.raises(PermissionDenied) as refusal:
        late.execute(dave, plan)
    assert refusal.value.message == refused.message
    assert state_snapshot(ws.core.db) == before
    assert ws.core.list_invitations(ws.owner, "Security").items == pending


@pytest.mark.parametrize(
    "sentence",
    [
        "Remove Bob from Security",
        "Change Bob's role in Security to admin",
        "Delete the Security team",
        "Rename Security to SecOps",
        "Revoke the Deploy Hook key of Security",
        "Create a skill called X for Security",
        "Revoke the invitation for carol.new@example.org to Security",
    ],
)
def test_plans_made_without_early_refusal_fail_in_core_and_change_nothing(
    ws: Workspace, sentence: str
) -> None:
    dave = ws.who("dave@example.com")
    agent = Agent(ws.core, refuse_early=False)
    plan = agent.plan(dave, sentence)
    assert isinstance(plan, Plan), plan
    before = state_snapshot(ws.core.db)
    with pytest.raises(PermissionDenied):
        agent.execute(dave, plan)
    assert state_snapshot(ws.core.db) == before


@pytest.mark.parametrize(
    ("who", "sentence"),
    [
        ("dave@example.com", "Create a team called Growth"),
        ("dave@example.com", "Create a skill called X for the whole workspace"),
        ("dave@example.com", "Create an API key for Security called X"),
        ("erin@example.com", "Remove Bob from Security"),
        ("erin@example.com", "Delete the Security team"),
        ("dave@example.com", "Create a skill called X for Security"),
    ],
)
def test_an_early_refusal_is_word_for_word_the_one_core_gives(
    ws: Workspace, who: str, sentence: str
) -> None:
    actor = ws.who(who)
    early = Agent(ws.core).plan(actor, sentence)
    assert isinstance(early, Refused)
    late = Agent(ws.core, refuse_early=False)
    plan = late.plan(actor, sentence)
    assert isinstance(plan, Plan)
    with pytest.raises(PermissionDenied) as refusal:
        late.execute(actor, plan)
    assert refusal.value.message == early.message


def test_permission_is_checked_again_when_the_plan_runs(ws: Workspace) -> None:
    erin = ws.who("erin@example.com")  # admin of Security: may create keys
    agent = Agent(ws.core)
    plan = agent.plan(erin, "Create an API key for Security called Intake")
    assert isinstance(plan, Plan)
    ws.core.change_role(ws.owner, "Security", "erin@example.com", "member")  # before she confirms
    with pytest.raises(PermissionDenied):
        agent.execute(erin, plan)
    assert "Intake" not in {k.name for k in ws.core.list_keys(ws.owner, "Security").items}


def test_a_plan_naming_a_command_outside_the_agents_commands_is_not_run(ws: Workspace) -> None:
    """A plan is data: one edited to carry a command the agent never plans (a registered
    one such as SetPlan, or one that is not registered at all) is refused, not run."""

    @dataclass(frozen=True)
    class Unregistered(Command):
        plan: str

    agent = Agent(ws.core)
    plan = agent.plan(ws.owner, "List teams")
    assert isinstance(plan, Plan)
    for command in (SetPlan("free"), Unregistered("free")):
        with pytest.raises(InvalidInput):
            agent.execute(ws.owner, replace(plan, command=command))
    assert ws.core.get_workspace().plan == "business"


def test_free_plan_refuses_in_cores_words(ws: Workspace) -> None:
    ws.core.set_plan(ws.owner, "free")
    answer = Agent(ws.core).plan(ws.owner, "Create a team called Growth")
    assert isinstance(answer, Refused) and "Business or Enterprise" in answer.message
    answer = Agent(ws.core).plan(ws.owner, "Add bob to Security")
    assert isinstance(answer, Refused) and "Business or Enterprise" in answer.message


def test_results_carry_the_key_once_and_a_link(ws: Workspace) -> None:
    agent = Agent(ws.core)
    plan = agent.plan(ws.owner, 'Create an API key for the Security team called "CI Pipeline"')
    assert isinstance(plan, Plan)
    result = agent.execute(ws.owner, plan)
    assert (
        result.secret
        and result.secret not in result.summary
        and result.secret not in str(result.to_dict())
    )
    assert result.link == ("team", "Security") and result.tab == "keys"
    assert "shown only once" in result.summary


def test_bulk_invite_reports_each_address(ws: Workspace) -> None:
    agent = Agent(ws.core)
    plan = agent.plan(ws.owner, "Add bob and newbie@example.com to Security")
    assert isinstance(plan, Plan)
    result = agent.execute(ws.owner, plan)
    assert result.ok is False  # Bob is already a member of Security
    assert "bob@example.com is already a member of Security" in result.summary
    assert "Invited newbie@example.com as member." in result.summary
    # The mail went before the result: it says where (no mail server here: a file).
    assert "email to newbie@example.com was written to " in result.summary


# -- never raises -----------------------------------------------------------------------------

_WORDS = st.sampled_from(
    (
        "create",
        "add",
        "invite",
        "remove",
        "delete",
        "rename",
        "change",
        "make",
        "promote",
        "revoke",
        "rotate",
        "resend",
        "list",
        "show",
        "who",
        "team",
        "teams",
        "the",
        "a",
        "an",
        "as",
        "to",
        "from",
        "in",
        "of",
        "for",
        "with",
        "called",
        "named",
        "and",
        "then",
        "key",
        "api",
        "skill",
        "agent",
        "context",
        "file",
        "tool",
        "policy",
        "role",
        "admin",
        "owner",
        "member",
        "members",
        "invitation",
        "description",
        "Security",
        "Data",
        "Platform",
        "Engineering",
        "Science",
        "Sam",
        "Alice",
        "bob@example.com",
        "alice@example.com",
        "please",
        "30",
        "days",
        "hours",
        "grace",
        "no",
        "'",
        '"',
        "“",
        "”",
        "‘",
        "’",
        ",",
        ".",
        ";",
        ":",
        "?",
        "!",
        "%",
        "_",
        "[b]",
        "(",
        ")",
    )
)
_SENTENCES = st.one_of(
    st.text(max_size=120),
    st.lists(_WORDS, max_size=16).map(" ".join),
    st.sampled_from(ALL_EXAMPLES).flatmap(
        lambda e: st.integers(0, len(e)).map(lambda i: e[:i] + " " + e[i:][::-1])
    ),
)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=_SENTENCES)
def test_any_text_gets_one_of_the_four_answers(shared: Workspace, typed: str) -> None:
    agent = Agent(shared.core)
    for actor in (shared.owner, shared.who("dave@example.com")):
        answer = agent.plan(actor, typed)
        assert isinstance(answer, (Plan, Clarify, NotUnderstood, Refused))
        if isinstance(answer, NotUnderstood):
            assert answer.message and answer.examples
        if isinstance(answer, Plan):
            assert answer.description and plan_call(answer)


def test_planning_everything_in_the_tables_changes_nothing(shared: Workspace) -> None:
    before = state_snapshot(shared.core.db)
    agent = Agent(shared.core)
    for case in CASES:
        agent.plan(shared.who(case.actor), case.sentence)
    assert state_snapshot(shared.core.db) == before


@pytest.mark.timeout(60)  # backtracking that explodes on such input would never finish
def test_long_and_repetitive_input_is_answered(shared: Workspace) -> None:
    agent = Agent(shared.core)
    for typed in (
        "to " * 330,
        "add " + "a to " * 200 + "as",
        "x" * 5000,
        "Invite " + "a, " * 300,
        "Create a skill called " + "for " * 240,
    ):
        answer = agent.plan(shared.owner, typed)
        assert isinstance(answer, (NotUnderstood, Clarify, Plan, Refused))


def test_a_name_is_matched_against_every_team_not_just_a_first_page(ws: Workspace) -> None:
    """With hundreds of teams sharing a word, a match on a later page must still be found, and
    two matches anywhere must still be asked about."""
    from core.seeding import seed_workspace

    seed_workspace(ws.core.db, teams=8000, users=5, members_per_team=1)
    owner = ws.owner
    platform = [t.name for t in ws.core.list_teams(owner, query="platform").items]
    assert len(platform) > 500
    last = max(platform, key=str.casefold)  # on the last page of any paging
    number = last.split()[-1]
    plan = Agent(ws.core).plan(owner, f"List the members of platform {number}")
    assert isinstance(plan, Plan) and plan.target_team == last
    word = last.split()[0]
    answer = Agent(ws.core).plan(owner, f"List the members of {word} platform")
    assert isinstance(answer, Clarify) and len(answer.options) > 1
