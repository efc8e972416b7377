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


@pytest.mark.parametrize(
    ("sentence", "name", "gone"),
    [
        ("Delete the Platform Engineering team", "Platform Engineering", "team"),
        ("Revoke the CI key of Platform Engineering", "CI", "key"),
    ],
)
def test_irreversible_plans_need_the_name_typed(
    platform: Auxot, monkeypatch: pytest.MonkeyPatch, sentence: str, name: str, gone: str
) -> None:
    assert platform("keys", "create", "Platform Engineering", "CI").code == 0
    prompts: list[str] = []

    def answer(reply: str):
        def typed(prompt: str) -> str:
            prompts.append(prompt)
            return reply

        return typed

    def still_there() -> bool:
        if gone == "team":
            return _teams(platform) == ["Platform Engineering"]
        return [k["name"] for k in _keys(platform) if k["status"] == "active"] == ["CI"]

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    for reply in ("y", "yes", name.lower(), ""):  # a yes is not enough for this one
        monkeypatch.setattr("builtins.input", answer(reply))
        run = platform("ask", sentence)
        assert run.code == 1 and run.err == "Nothing was done.\n"
        assert still_there()
    assert prompts[-1] == f"This cannot be undone. Type {name} to confirm: "
    monkeypatch.setattr("builtins.input", answer(name))
    assert platform("ask", sentence).code == 0
    assert not still_there()


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
    assert shown.json()["done"] is False and shown.json()["plan"]["command"] == "CreateTeam"
    done = platform("--json", "ask", "--yes", 'Create a team called "Research"').json()
    assert done["done"] is True and done["result"]["ok"] is True
    assert done["data"]["name"] == "Research"
    unknown = platform("--json", "ask", "make me a sandwich")
    assert unknown.json()["kind"] == "not_understood"


# -- every kind of answer, and that nothing happens without a confirmed plan --------------------


def _invited(auxot: Auxot, team: str) -> list[str]:
    return [i["email"] for i in auxot("invites", "list", team, "--json").json()]


def _keys(auxot: Auxot, team: str = "Platform Engineering") -> list[dict[str, object]]:
    return auxot("keys", "list", team, "--json").json()


def test_the_prompt_shows_the_plan_first(platform: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "yes"

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    run = platform("ask", "Invite carol@example.com to the Platform Engineering team as a member")
    assert run.code == 0, run.err
    assert prompts == ["Proceed? [y/N] "]
    lines = run.out.splitlines()
    assert lines[0] == "Invite carol@example.com to Platform Engineering as member"
    assert lines[1].startswith("  carol@example.com: no account yet")
    assert _invited(platform, "Platform Engineering") == ["carol@example.com"]


def test_end_of_input_at_the_prompt_declines(
    platform: Auxot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def eof(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", eof)
    run = platform("ask", "Delete the Platform Engineering team")
    assert run.code == 1
    assert run.err == "Nothing was done.\n"
    assert _teams(platform) == ["Platform Engineering"]


def test_two_matching_teams_are_a_question(platform: Auxot) -> None:
    platform("teams", "create", "Platform Ops")
    run = platform("ask", "--yes", "Invite carol@example.com to Platform as admin")
    assert run.code == 1 and run.out == ""
    assert "Which team do you mean: Platform Engineering or Platform Ops?" in run.err
    assert 'auxot ask "Invite carol@example.com to "Platform Ops" as admin"' in run.err
    asked = platform("--json", "ask", "--yes", "Invite carol@example.com to Platform as admin")
    assert asked.code == 1
    question = asked.json()
    assert question["kind"] == "clarify"
    assert question["options"] == ["Platform Engineering", "Platform Ops"]
    assert _invited(platform, "Platform Engineering") == _invited(platform, "Platform Ops") == []

    # The spelled-out sentence is planned as it reads.
    chosen = platform("ask", "--yes", question["sentences"][1])
    assert chosen.code == 0, chosen.err
    assert _invited(platform, "Platform Ops") == ["carol@example.com"]
    assert _invited(platform, "Platform Engineering") == []


def test_not_understood_explains_and_changes_nothing(platform: Auxot) -> None:
    run = platform("ask", "--yes", "Delete Platform Engineering; DROP TABLE teams")
    assert run.code == 1 and run.out == ""
    assert "Sentences that work, for example:" in run.err
    assert _teams(platform) == ["Platform Engineering"]
    shown = platform("--json", "ask", "--yes", "gibberish words here").json()
    assert shown["kind"] == "not_understood" and len(shown["examples"]) == 3


def test_a_refusal_is_cores_sentence_before_any_plan(platform: Auxot) -> None:
    assert platform("members", "add", "Platform Engineering", ALICE).code == 0  # a plain member
    run = platform(
        "ask", "--user", ALICE, "Invite carol@example.com to Platform Engineering as admin"
    )
    assert_refused(run, "can manage members of Platform Engineering")
    assert run.out == ""
    assert _invited(platform, "Platform Engineering") == []


def test_a_core_error_on_execution_is_one_sentence(platform: Auxot) -> None:
    sentence = 'Create an API key for the Platform Engineering team called "CI"'
    assert platform("ask", "--yes", sentence).code == 0
    again = platform("ask", "--yes", sentence)
    assert again.code == 1
    assert "already has a key named" in again.err
    assert "Traceback" not in again.err
    assert len(_keys(platform)) == 1


def test_a_created_key_is_printed_once_and_works(platform: Auxot) -> None:
    run = platform("ask", "-y", 'Create an API key called "Deploy" for Platform Engineering')
    assert run.code == 0, run.err
    secret = run.out.splitlines()[-1]
    [key] = _keys(platform)
    assert secret.startswith(f"team.{key['key_id']}.")
    assert (run.out + run.err).count(secret) == 1
    assert "shown only once" in run.out
    assert secret not in platform("keys", "list", "Platform Engineering").out

    rotated = platform("ask", "-y", 'Rotate the "Deploy" key of Platform Engineering')
    assert rotated.code == 0, rotated.err
    new = rotated.out.splitlines()[-1]
    assert new.startswith("team.") and new != secret
    assert (rotated.out + rotated.err).count(new) == 1

    as_json = platform(
        "--json", "ask", "-y", 'Create an API key called "Hook" for Platform Engineering'
    )
    shown = as_json.json()
    assert shown["secret"].startswith("team.") and as_json.out.count(shown["secret"]) == 1
    assert shown["result"]["link"] == ["team", "Platform Engineering"]
    assert shown["result"]["tab"] == "keys"


def test_a_list_needs_no_yes_in_json_either(platform: Auxot) -> None:
    run = platform("--json", "ask", "Who is in the Platform Engineering team?")
    assert run.code == 0, run.err
    shown = run.json()
    assert shown["done"] is True and shown["plan"]["changes"] is False
    assert "Platform Engineering has 1 member" in shown["result"]["summary"]
