from __future__ import annotations

import pytest

from tests.cli.conftest import OWNER, Auxot, assert_refused

ALICE, BOB = "alice@acme.example.com", "bob@acme.example.com"


@pytest.fixture
def platform(acme: Auxot) -> Auxot:
    run = acme("teams", "create", "Platform Engineering", "--description", "Runs the platform")
    assert run.code == 0, run.err
    return acme


def test_teams_create_list_rename_describe_delete(platform: Auxot) -> None:
    assert platform("teams", "create", "Data Science").out.startswith(
        "Created the team Data Science (#"
    )
    listed = platform("teams", "list")
    lines = listed.out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "MEMBERS", "YOUR", "ROLE", "DESCRIPTION"]
    assert [line.split()[1] for line in lines[1:]] == ["Data", "Platform"]
    assert "Runs the platform" in lines[2] and "owner" in lines[2]

    assert_refused(platform("teams", "create", "platform engineering"), "already exists")
    run = platform("teams", "rename", "PLATFORM engineering", "Platform")
    assert run.out == "Renamed the team Platform Engineering to Platform.\n"
    assert platform("teams", "describe", "platform", "Clusters and CI").code == 0
    teams = {t["name"]: t for t in platform("teams", "list", "--json").json()}
    assert teams["Platform"]["description"] == "Clusters and CI"
    assert set(teams["Platform"]) == {
        "id",
        "name",
        "description",
        "member_count",
        "my_role",
        "created_at",
        "archived",
        "keys_expiring",
    }
    filtered = platform("--json", "teams", "list", "--filter", "DATA").json()
    assert [t["name"] for t in filtered] == ["Data Science"]

    team_id = str(teams["Data Science"]["id"])
    assert platform("teams", "delete", "--yes", team_id).out.startswith(
        "Deleted the team Data Science;"
    )
    assert [t["name"] for t in platform("teams", "list", "--json").json()] == ["Platform"]
    assert_refused(
        platform("teams", "delete", "--yes", "Data Science"), "There is no team 'Data Science'"
    )


def test_member_cannot_manage_team(platform: Auxot) -> None:
    platform("members", "add", "Platform Engineering", ALICE)
    refused = platform("teams", "rename", "Platform Engineering", "Mine", "--user", ALICE)
    assert_refused(refused, "Only the team's owners", "you are a member")
    hidden = platform("teams", "delete", "--yes", "Platform Engineering", "--user", BOB)
    assert_refused(hidden, "There is no team 'Platform Engineering' that you can see.")


def test_members_add_several_with_one_bad(platform: Auxot) -> None:
    run = platform(
        "members", "add", "platform engineering", ALICE, "not an email", BOB, "--role", "admin"
    )
    assert run.code == 1
    # Each address has its own line; then where the "you were added" mail went.
    assert run.out.splitlines()[:2] == [
        f"{ALICE} added to Platform Engineering as admin.",
        f"{BOB} added to Platform Engineering as admin.",
    ]
    assert f"the email to {ALICE} was written to " in run.out.splitlines()[2]
    assert run.err.splitlines() == [
        "'not an email' is not a valid email address: An email address must have an @-sign."
    ]
    members = platform("members", "list", "Platform Engineering", "--json").json()
    assert [(m["email"], m["role"]) for m in members] == [
        (ALICE, "admin"),
        (BOB, "admin"),
        (OWNER, "owner"),
    ]
    assert set(members[0]) == {
        "user_id",
        "team_id",
        "email",
        "display_name",
        "role",
        "status",
        "added_at",
        "added_by",
        "version",
    }
    again = platform("members", "add", "Platform Engineering", ALICE)
    assert_refused(again, "already a member")


def test_members_add_invites_unknown_address(platform: Auxot, isolated) -> None:
    run = platform("--json", "members", "add", "Platform Engineering", "new@example.com")
    assert run.code == 0, run.err
    data = run.json()
    assert [(r["address"], r["result"], r["ok"]) for r in data["results"]] == [
        ("new@example.com", "invited", True)
    ]
    assert data["mail"]["sent"] == 1
    assert list((isolated / "outbox").glob("*.eml"))


def test_members_role_remove_leave_and_last_owner(platform: Auxot) -> None:
    platform("members", "add", "Platform Engineering", ALICE, BOB)
    table = platform("members", "list", "Platform Engineering").out.splitlines()
    assert table[0].split()[:4] == ["NAME", "EMAIL", "ROLE", "STATUS"]
    assert table[1].startswith("Alice Liddell  alice@acme.example.com  member")

    last = platform("members", "role", "Platform Engineering", OWNER, "member")
    assert_refused(last, "You are the last owner of Platform Engineering")
    assert last.out == ""

    run = platform("members", "role", "Platform Engineering", ALICE, "owner")
    assert run.out == f"{ALICE} is now an owner in Platform Engineering.\n"
    assert platform("members", "remove", "--yes", "Platform Engineering", BOB).out == (
        f"Removed {BOB} from Platform Engineering.\n"
    )
    assert_refused(
        platform("members", "remove", "--yes", "Platform Engineering", BOB), "is not a member"
    )
    assert (
        platform("members", "leave", "Platform Engineering").out
        == "You left Platform Engineering.\n"
    )
    alone = platform("members", "leave", "Platform Engineering", "--user", ALICE)
    assert_refused(alone, "You are the last owner of Platform Engineering", "before you leave")
    assert_refused(platform("members", "role", "Platform Engineering", ALICE, "boss"), "not a role")


def test_teams_archived_and_restore(platform: Auxot) -> None:
    assert platform("keys", "create", "Platform Engineering", "CI").code == 0
    assert platform("teams", "archived").out == "No deleted teams that you could restore.\n"
    assert platform("teams", "delete", "--yes", "Platform Engineering").code == 0
    listed = platform("teams", "archived")
    assert listed.out.splitlines()[0].split() == ["ID", "NAME", "MEMBERS", "DELETED", "DESCRIPTION"]
    assert "Platform Engineering" in listed.out and listed.err == ""
    assert [t["name"] for t in platform("teams", "archived", "--json").json()] == [
        "Platform Engineering"
    ]
    assert_refused(
        platform("teams", "restore", "Platform Engineering", "--user", BOB), "no deleted team"
    )
    run = platform("teams", "restore", "platform engineering")
    assert run.out == (
        "Restored the team Platform Engineering (#1) with 1 member; its old API keys stay revoked.\n"
    )
    keys = platform("keys", "list", "Platform Engineering", "--json").json()
    assert [k["status"] for k in keys] == ["revoked"]


def test_a_list_says_how_many_more_there_are(platform: Auxot) -> None:
    for name in ("A", "B", "C"):
        platform("teams", "create", name)
        platform("teams", "delete", "--yes", name)
    run = platform("teams", "archived", "--limit", "2")
    assert len(run.out.splitlines()) == 3  # the header and two teams
    assert run.err == "1 more deleted team; raise --limit to see them.\n"
