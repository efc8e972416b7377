"""``auxot users offboard``: the plan first, then one transaction."""

from __future__ import annotations

from tests.cli.conftest import Auxot, assert_refused

ALICE, BOB = "alice@acme.example.com", "bob@acme.example.com"


def test_offboard_shows_the_plan_and_needs_a_successor(acme: Auxot) -> None:
    assert acme("teams", "create", "Ops").code == 0
    assert acme("members", "add", "Ops", ALICE, "--role", "owner").code == 0
    assert acme("members", "add", "Ops", BOB).code == 0
    assert acme("members", "leave", "Ops").code == 0
    assert acme("keys", "create", "Ops", "Deploy", "--user", ALICE).code == 0

    refused = acme("users", "offboard", ALICE, "--yes")
    assert refused.code == 1
    assert "remove from Ops (owner); they are its last active owner" in refused.out
    assert "last active owner of Ops; name a successor" in refused.err
    assert acme("users", "show", ALICE, "--json").json()["status"] == "active"

    no_terminal = acme("users", "offboard", ALICE, "--successor", BOB)
    assert no_terminal.code == 1 and "add --yes" in no_terminal.err
    assert acme("users", "show", ALICE, "--json").json()["status"] == "active"

    done = acme("users", "offboard", ALICE, "--successor", BOB, "--yes")
    assert done.code == 0, done.err
    assert done.out.splitlines() == [
        "Offboarding Alice Liddell <alice@acme.example.com>:",
        f"  remove from Ops (owner); {BOB} becomes its owner",
        "  remove 0 SSH keys",
        "  revoke 0 pending invitations they sent",
        "  deactivate the account",
        "Team API keys they created keep working; rotate any they held:",
        f"  Ops: Deploy ({acme('keys', 'list', 'Ops', '--json').json()[0]['key_id']})",
        f"Offboarded {ALICE}; the account is deactivated.",
    ]
    members = acme("members", "list", "Ops", "--json").json()
    assert [(m["email"], m["role"]) for m in members] == [(BOB, "owner")]


def test_offboard_refusals_are_sentences(acme: Auxot) -> None:
    assert_refused(acme("users", "offboard", "nobody@acme.example.com", "--yes"), "no account")
    assert_refused(
        acme("users", "offboard", BOB, "--yes", "--user", ALICE), "Only workspace admins"
    )
