from __future__ import annotations

from tests.cli.conftest import OWNER, Auxot, assert_refused


def test_init_creates_workspace_and_owner(auxot: Auxot) -> None:
    run = auxot("init", "--workspace", "Acme", "--owner", OWNER, "--name", "Olive Owner")
    assert run.code == 0, run.err
    assert "Created the workspace Acme on the business plan" in run.out
    again = auxot("init", "--workspace", "Other", "--owner", "x@acme.example.com")
    assert_refused(again, "already has the workspace 'Acme'")


def test_init_json_and_plan(auxot: Auxot) -> None:
    run = auxot("--json", "init", "--workspace", "Acme", "--owner", OWNER, "--plan", "team")
    data = run.json()
    assert data["workspace"]["plan"] == "team"
    assert data["workspace"]["teams_enabled"] is False
    assert data["owner"]["email"] == OWNER
    shown = auxot("plan")
    assert shown.out == "Acme is on the team plan (no teams on this plan).\n"
    changed = auxot("plan", "business", "--user", OWNER)
    assert changed.code == 0 and "is now on the business plan (teams enabled)" in changed.out
    assert auxot("plan", "--json").json()["plan"] == "business"


def test_plan_needs_workspace_and_owner(auxot: Auxot) -> None:
    assert_refused(auxot("plan"), "no workspace yet")
    auxot("init", "--workspace", "Acme", "--owner", OWNER)
    assert (
        auxot(
            "users", "add", "al@acme.example.com", "--workspace-role", "admin", "--user", OWNER
        ).code
        == 0
    )
    assert_refused(
        auxot("plan", "free", "--user", "al@acme.example.com"), "Only the workspace owner"
    )
    assert_refused(auxot("plan", "gold", "--user", OWNER), "'gold' is not a plan")


def test_users_add_list_deactivate_reactivate(acme: Auxot) -> None:
    listed = acme("users", "list")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0].split() == ["EMAIL", "NAME", "WORKSPACE", "ROLE", "STATUS", "CREATED"]
    assert lines[1].startswith("alice@acme.example.com  Alice Liddell")
    # Columns line up: every row starts its NAME column at the same place.
    assert {line.index(name) for line, name in zip(lines[1:], ("Alice", "Bob", "Olive"))} == {
        lines[0].index("NAME")
    }

    run = acme("users", "deactivate", "--yes", "bob@acme.example.com")
    assert run.out == "Deactivated bob@acme.example.com; their memberships stay for the record.\n"
    users = {u["email"]: u for u in acme("users", "list", "--json").json()}
    assert users["bob@acme.example.com"]["status"] == "deactivated"
    assert set(users["bob@acme.example.com"]) == {
        "id",
        "email",
        "display_name",
        "workspace_role",
        "status",
        "created_at",
    }
    assert_refused(
        acme("users", "deactivate", "--yes", "bob@acme.example.com"), "already deactivated"
    )
    assert acme("users", "reactivate", "BOB@acme.example.com").code == 0
    assert_refused(acme("users", "add", "Alice@ACME.example.com"), "already exists")
    assert_refused(acme("users", "add", "not-an-email"), "not a valid email address")


def test_users_filter_and_member_cannot_add(acme: Auxot) -> None:
    run = acme("users", "list", "--filter", "lidd", "--json")
    assert [u["email"] for u in run.json()] == ["alice@acme.example.com"]
    refused = acme("users", "add", "carol@acme.example.com", "--user", "alice@acme.example.com")
    assert_refused(refused, "Only workspace admins and owners")


def test_deactivated_account_cannot_act(acme: Auxot) -> None:
    acme("users", "deactivate", "--yes", "alice@acme.example.com")
    assert_refused(acme("users", "list", "--user", "alice@acme.example.com"), "deactivated")
