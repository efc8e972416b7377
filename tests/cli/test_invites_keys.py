from __future__ import annotations

import io

import pytest

from tests.cli.conftest import Auxot, assert_refused

NEW = "newcomer@example.com"


@pytest.fixture
def platform(acme: Auxot) -> Auxot:
    acme("teams", "create", "Platform Engineering")
    return acme


def test_invite_list_link_accept(platform: Auxot) -> None:
    assert platform("members", "add", "Platform Engineering", NEW, "--role", "admin").code == 0
    table = platform("invites", "list", "Platform Engineering").out.splitlines()
    assert table[0].split()[:4] == ["EMAIL", "ROLE", "STATUS", "MAIL"]
    assert table[1].split()[:4] == [NEW, "admin", "pending", "sent"]

    link = platform("invites", "link", "Platform Engineering", NEW).out.strip()
    assert "/invite/" in link
    token = link.rsplit("/", 1)[1]
    run = platform("accept", token, "--name", "New Comer")
    assert run.code == 0, run.err
    assert (
        run.out.splitlines()[0]
        == f"Created your account, {NEW}: you joined Platform Engineering as admin."
    )
    assert_refused(platform("accept", token), "already been used")
    assert platform("invites", "list", "Platform Engineering", "--json").json() == []
    members = platform("members", "list", "Platform Engineering", "--json").json()
    assert (NEW, "admin") in [(m["email"], m["role"]) for m in members]


def test_invite_resend_and_revoke(platform: Auxot) -> None:
    platform("members", "add", "Platform Engineering", NEW)
    old = platform("invites", "link", "Platform Engineering", NEW).out.strip()
    resent = platform("invites", "resend", "Platform Engineering", NEW)
    assert resent.out.startswith(f"Made a new invitation for {NEW} to Platform Engineering")
    assert_refused(platform("accept", old.rsplit("/", 1)[1]), "not valid")
    assert platform("invites", "revoke", "--yes", "Platform Engineering", NEW).code == 0
    closed = platform("invites", "list", "Platform Engineering", "--all", "--json").json()
    assert [(i["email"], i["status"]) for i in closed] == [(NEW, "revoked")]
    assert_refused(platform("accept", "garbage"), "not an invitation token")


def test_outbox_list_and_flush(platform: Auxot) -> None:
    platform("members", "add", "Platform Engineering", NEW)
    messages = platform("outbox", "list", "--json").json()
    assert [(m["kind"], m["recipient"], m["status"]) for m in messages] == [
        ("invitation", NEW, "sent")
    ]
    assert platform("outbox", "flush").out == "Nothing was waiting to be sent.\n"
    platform("members", "add", "Platform Engineering", "second@example.com", "third@example.com")
    newest = platform("outbox", "list", "--limit", "2")
    assert [line.split()[2] for line in newest.out.splitlines()] == [
        "TO",
        "third@example.com",
        "second@example.com",
    ]
    assert newest.err == "1 more message; raise --limit to see them.\n"
    assert platform("outbox", "list").err == ""
    assert len(platform("outbox", "list", "--limit", "1", "--json").json()) == 1
    assert platform("outbox", "list", "--limit", "0").code == 2
    assert_refused(
        platform("outbox", "list", "--user", "alice@acme.example.com"), "Only workspace admins"
    )


def test_keys_create_list_verify_rotate_revoke(
    platform: Auxot, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = platform("keys", "create", "Platform Engineering", "CI Pipeline")
    assert created.code == 0
    plaintext = created.out.strip()
    assert plaintext.startswith("team.") and "not be shown again" in created.err
    listed = platform("keys", "list", "Platform Engineering", "--json").json()
    assert [(k["name"], k["status"]) for k in listed] == [("CI Pipeline", "active")]
    assert plaintext not in platform("keys", "list", "Platform Engineering").out

    def verify(key: str):
        monkeypatch.setattr("sys.stdin", io.StringIO(key + "\n"))
        return platform("keys", "verify")

    ok = verify(plaintext)
    assert (ok.code, ok.out) == (
        0,
        "Valid: the key CI Pipeline of the team Platform Engineering.\n",
    )
    [used] = platform("keys", "list", "Platform Engineering", "--json").json()
    assert used["last_used_at"] is not None  # written as the verifying process ended
    assert verify("team.nope.nope").code == 1
    assert verify("hello").err == "Not valid: malformed.\n"

    rotated = platform(
        "--json", "keys", "rotate", "Platform Engineering", "CI Pipeline", "--grace", "0"
    ).json()
    assert rotated["plaintext"] != plaintext
    assert verify(plaintext).err == "Not valid: rotated-out.\n"
    assert verify(rotated["plaintext"]).code == 0
    key_id = rotated["key"]["key_id"]
    assert platform("keys", "revoke", "--yes", "Platform Engineering", key_id).code == 0
    assert verify(rotated["plaintext"]).code == 1
    assert platform("keys", "create", "Platform Engineering", "X", "--expires-in", "0").code == 2


def test_member_cannot_see_keys(platform: Auxot) -> None:
    platform("members", "add", "Platform Engineering", "alice@acme.example.com")
    assert_refused(
        platform("keys", "list", "Platform Engineering", "--user", "alice@acme.example.com"),
        "Platform Engineering",
    )


def test_keys_scope_rotate_until_unused_and_expiring(platform: Auxot) -> None:
    team = "Platform Engineering"
    assert platform("keys", "create", team, "CI", "--scope", "read").code == 0
    assert platform("keys", "create", team, "Soon", "--expires-in", "3").code == 0
    [soon, ci] = platform("keys", "list", team, "--json").json()
    assert (ci["scope"], soon["scope"]) == ("read", "full")
    widened = platform("keys", "scope", team, "CI", "full")
    assert widened.code == 0 and "full scope" in widened.out
    assert platform("keys", "scope", team, "CI", "admin").code == 2
    expiring = platform("keys", "expiring", "--json").json()
    assert [(e["team_name"], e["key"]["name"]) for e in expiring] == [(team, "Soon")]
    assert "No key expires within 1 days." in platform("keys", "expiring", "--days", "1").out
    rotated = platform("keys", "rotate", team, "CI", "--until-unused", "--quiet-period", "30m")
    assert rotated.code == 0 and "goes 30 min unused" in rotated.err
    old = [k for k in platform("keys", "list", team, "--json").json() if k["status"] == "rotated"]
    assert old[0]["quiet_seconds"] == 1800
    assert platform("keys", "rotate", team, "Soon", "--quiet-period", "soon").code == 2
    too_long = platform(
        "keys", "rotate", team, "Soon", "--until-unused", "--quiet-period", "2h", "--grace", "1"
    )
    assert too_long.code == 1 and "quiet period" in too_long.err
