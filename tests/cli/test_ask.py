"""``auxot ask``: the admin agent's plan is shown, and run only on --yes or a confirmation."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Auxot, assert_refused

ALICE = "alice@acme.example.com"


@pytest.fixture
def platform(acme: Auxot) -> Auxot:
    acme("teams", "create", "Platform Engineering")
    return acme


def _teams(auxot: Auxot) -> list[str]:
    return [t["name"] for t in auxot("teams", "list", "--json").json()]


def test_without_yes_nothing_is_done(platform: Auxot) -> None:
    run = platform("ask", 'Create a team called "Research"')
    assert run.code == 1
    assert run.out.startswith("Create a team")
    assert run.err == "Nothing was done; run it again with --yes to do it.\n"
    assert _teams(platform) == ["Platform Engineering"]


def test_yes_runs_the_one_call(platform: Auxot) -> None:
    run = platform("ask", "--yes", 'Create a team called "Research"')
    assert run.code == 0, run.err
    assert "Research" in run.out
    assert _teams(platform) == ["Platform Engineering", "Research"]
    added = platform("ask", "-y", f"Add {ALICE} to the Platform Engineering team as an admin")
    assert added.code == 0, added.err
    members = platform("members", "list", "Platform Engineering", "--json").json()
    assert (ALICE, "admin") in [(m["email"], m["role"]) for m in members]


def test_confirmation_at_a_terminal(platform: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    assert platform("ask", 'Create a team called "Research"').code == 1
    monkeypatch.setattr("builtins.input", lambda _prompt: "y")
    assert platform("ask", 'Create a team called "Research"').code == 0
    assert "Research" in _teams(platform)


def test_questions_need_no_confirmation(platform: Auxot) -> None:
    run = platform("ask", "list the teams")
    assert run.code == 0
    assert "Platform Engineering" in run.out


def test_key_secret_on_the_last_line(platform: Auxot) -> None:
    run = platform("ask", "-y", 'Create an API key for the Platform Engineering team called "CI"')
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1].startswith("team.")


def test_not_understood_and_refused(platform: Auxot) -> None:
    run = platform("ask", "make me a sandwich")
    assert run.code == 1 and "Traceback" not in run.err
    assert 'auxot ask "' in run.err
    refused = platform("ask", "-y", 'Create a team called "Mine"', "--user", ALICE)
    assert_refused(refused, "Only workspace admins and owners can create teams")


def test_json_shapes(platform: Auxot) -> None:
    shown = platform("--json", "ask", 'Create a team called "Research"')
    assert shown.code == 1
    assert shown.json()["done"] is False and shown.json()["plan"]["call"] == "create_team"
    done = platform("--json", "ask", "--yes", 'Create a team called "Research"').json()
    assert done["done"] is True and done["result"]["ok"] is True
    assert done["data"]["name"] == "Research"
    unknown = platform("--json", "ask", "make me a sandwich")
    assert unknown.json()["kind"] == "not_understood"
