from __future__ import annotations

import pytest

from tests.cli.conftest import OWNER, Auxot, assert_refused

ALICE = "alice@acme.example.com"


@pytest.fixture
def platform(acme: Auxot) -> Auxot:
    acme("teams", "create", "Platform Engineering")
    acme("members", "add", "Platform Engineering", ALICE)
    return acme


def test_resources_create_list_delete(platform: Auxot) -> None:
    run = platform(
        "resources",
        "create",
        "skill",
        "Kubernetes Runbook",
        "--team",
        "platform engineering",
        "--body",
        "Drain the node first.",
    )
    assert run.out == "Created the skill Kubernetes Runbook in Platform Engineering.\n"
    assert platform("resources", "create", "context-file", "Handbook").out == (
        "Created the context file Handbook for the whole workspace.\n"
    )
    assert platform("resources", "create", "tool_policy", "Mine", "--personal").out == (
        "Created the tool policy Mine for you alone.\n"
    )
    assert (
        platform("resources", "create", "agent", "Infra Bot", "--team", "Platform Engineering").code
        == 0
    )

    table = platform("resources", "list").out.splitlines()
    assert table[0].split() == ["KIND", "NAME", "SCOPE", "TEAM", "OWNER", "CREATED"]
    assert [line.split("  ")[0] for line in table[1:]] == [
        "agent",
        "context file",
        "skill",
        "tool policy",
    ]

    items = platform("resources", "list", "--team", "Platform Engineering", "--json").json()
    assert [(r["kind"], r["name"], r["scope"], r["team_name"]) for r in items] == [
        ("agent", "Infra Bot", "team", "Platform Engineering"),
        ("skill", "Kubernetes Runbook", "team", "Platform Engineering"),
    ]
    assert items[1]["body"] == "Drain the node first."
    kinds = platform("resources", "list", "--kind", "context-file", "--json").json()
    assert [r["name"] for r in kinds] == ["Handbook"]

    # A team member sees the team's resources but may not change them.
    seen = platform("resources", "list", "--user", ALICE, "--json").json()
    assert {r["name"] for r in seen} == {"Infra Bot", "Kubernetes Runbook", "Handbook"}
    refused = platform(
        "resources",
        "delete",
        "--yes",
        "agent",
        "Infra Bot",
        "--team",
        "Platform Engineering",
        "--user",
        ALICE,
    )
    assert_refused(refused, "Only the team's admins and owners")

    run = platform(
        "resources", "delete", "--yes", "agent", "infra bot", "--team", "Platform Engineering"
    )
    assert run.out == "Deleted the agent Infra Bot from Platform Engineering.\n"
    assert_refused(
        platform(
            "resources", "delete", "--yes", "agent", "Infra Bot", "--team", "Platform Engineering"
        ),
        "There is no agent named 'Infra Bot'",
    )
    assert platform("resources", "delete", "--yes", "context_file", "Handbook").code == 0


def test_resource_kind_is_checked_by_the_parser(platform: Auxot) -> None:
    run = platform("resources", "create", "widget", "X")
    assert run.code == 2
    assert "'widget' is not a resource kind" in run.err


def test_audit_lists_events_and_refusals(platform: Auxot) -> None:
    platform("members", "role", "Platform Engineering", OWNER, "member")  # refused: last owner
    events = platform("audit", "--team", "Platform Engineering", "--json").json()
    assert events[0]["action"] == "member.role"
    assert events[0]["outcome"] == "denied"
    assert "last owner" in events[0]["details"]["reason"]
    assert set(events[0]) == {
        "id",
        "at",
        "actor",
        "action",
        "target",
        "team_id",
        "outcome",
        "details",
    }
    assert [e["action"] for e in events[1:]] == ["member.add", "team.create"]

    newest = platform("audit", "--limit", "2")
    table = newest.out.splitlines()
    assert newest.err.endswith(" more events; raise --limit to see them.\n")
    assert table[0].split() == ["ID", "AT", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REASON"]
    assert len(table) == 3 and "denied" in table[1] and "last owner" in table[1]

    assert_refused(platform("audit", "--user", ALICE), "Only workspace admins and owners")
    assert platform("audit", "--team", "Platform Engineering", "--user", ALICE).code == 0
    assert platform("audit", "--limit", "0").code == 2
