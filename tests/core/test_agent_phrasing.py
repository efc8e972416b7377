"""The admin agent on the phrasing its corpus found missing, one kind at a time: each
sentence runs through the agent against the corpus workspace, and what it leaves is checked
(tests/agent_corpus/runner.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.agent import Agent, Clarify, NotUnderstood, Refused
from tests.agent_corpus.runner import Entry, Workspaces, run_one
from tests.agent_corpus.workspace import OWNER


@pytest.fixture(scope="module")
def spaces(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspaces]:
    spaces = Workspaces(tmp_path_factory.mktemp("corpus"))
    yield spaces
    spaces.close()


def answer(spaces: Workspaces, sentence: str, state: str = "base") -> object:
    core = spaces.reader(state)
    return Agent(core).plan(core.principal_for(OWNER), sentence)


# -- a naming word with no name after it ---------------------------------------------------------

NO_NAME = [
    "Create a team named",
    "Create a team called",
    "Create an agent named for Design",
    "Create an API key named for Design",
    "Create an agent called in Design",
    "Create a tool policy called for Security",
    "Create a skill titled scoped to Design",
    "Create an API key for Design called",
]


@pytest.mark.parametrize("sentence", NO_NAME)
def test_a_naming_word_without_a_name_is_a_missing_name(spaces: Workspaces, sentence: str) -> None:
    said = answer(spaces, sentence)
    assert isinstance(said, NotUnderstood) and said.missing == "name", said
    assert "name is missing" in said.message
    assert run_one(spaces, Entry(sentence, "base", "nothing")) == ("unchanged", said.message)


def test_a_quoted_naming_word_is_a_name(spaces: Workspaces) -> None:
    entry = Entry(
        'Create an agent called "named" for Design',
        "base",
        {"command": "CreateResource", "kind": "agent", "name": "named", "team": "Design"},
    )
    assert run_one(spaces, entry)[0] == "right"


# -- conditions, times, hypotheticals -----------------------------------------------------------

NOT_NOW = [
    ("Remove Bob from Security next Monday", "time"),
    ("Make Dave an admin in Platform Engineering tomorrow", "time"),
    ("Rotate the Deploy Hook key of Security in two weeks", "time"),
    ("Tomorrow, remove Dave from Platform Engineering", "time"),
    ("Make Dave an admin in Platform Engineering if he is an admin", "condition"),
    ("If Erin is an admin, make Dave an admin in Platform Engineering", "condition"),
    ("Add Bob to Design when he is back", "condition"),
    ("Would you remove Carol from Design?", "hypothetical"),
    ("What would happen if I removed Bob from Security?", "hypothetical"),
]


@pytest.mark.parametrize(("sentence", "why"), NOT_NOW)
def test_conditions_times_and_hypotheticals_are_refused_with_their_reason(
    spaces: Workspaces, sentence: str, why: str
) -> None:
    said = answer(spaces, sentence)
    assert isinstance(said, Refused), said
    assert why in said.message
    assert run_one(spaces, Entry(sentence, "base", "nothing"))[0] == "unchanged"


def test_a_team_named_like_the_leftover_words_cannot_turn_a_time_into_an_action(
    spaces: Workspaces,
) -> None:
    core, _ = spaces.copy("base")
    owner = core.principal_for(OWNER)
    core.create_team(owner, "Security next Monday")
    core.add_member(owner, "Security next Monday", "bob@example.com")
    said = Agent(core).plan(owner, "Remove Bob from Security next Monday")
    assert isinstance(said, Refused) and "time" in said.message
    core.db.dispose()


def test_a_key_expiry_is_not_a_time_to_wait_for(spaces: Workspaces) -> None:
    entry = Entry(
        "Create an API key called Nightly for Design expiring in 30 days",
        "base",
        {"command": "CreateKey", "team": "Design", "name": "Nightly", "expires_in_days": 30},
    )
    assert run_one(spaces, entry)[0] == "right"


def test_a_polite_would_you_please_is_a_request(spaces: Workspaces) -> None:
    said = answer(spaces, "Would you please remove Carol from Design?")
    assert not isinstance(said, (Refused, NotUnderstood, Clarify)), said


# -- pending invitations are people of the team ---------------------------------------------------

PE = "Platform Engineering"
PENDING = [
    (
        "Change Alice's role in Platform Engineering to admin",
        {
            "command": "ChangeInvitationRole",
            "team": PE,
            "email": "alice@example.com",
            "role": "admin",
        },
    ),
    (
        "Promote alice@example.com to admin in Platform Engineering",
        {
            "command": "ChangeInvitationRole",
            "team": PE,
            "email": "alice@example.com",
            "role": "admin",
        },
    ),
    (
        "Remove Alice from the Platform Engineering team",
        {"command": "RevokeInvitation", "team": PE, "email": "alice@example.com"},
    ),
    (
        "Remove priya@newco.example from Design",
        {"command": "RevokeInvitation", "team": "Design", "email": "priya@newco.example"},
    ),
]


@pytest.mark.parametrize(("sentence", "expect"), PENDING)
def test_a_pending_invitation_is_a_person_of_the_team(
    spaces: Workspaces, sentence: str, expect: dict[str, str]
) -> None:
    said = answer(spaces, sentence, "invited")
    assert "invit" in getattr(said, "description", "") + " ".join(getattr(said, "details", ()))
    assert run_one(spaces, Entry(sentence, "invited", expect))[0] == "right"


def test_someone_neither_member_nor_invited_is_still_explained(spaces: Workspaces) -> None:
    said = answer(spaces, "Change Alice's role in Design to admin", "invited")
    assert isinstance(said, NotUnderstood), said


# -- "make X an admin of T" for someone not in T yet --------------------------------------------

JOINS = [
    ("Make Bob a member of Platform Engineering", ["bob@example.com"], "member", "adds them"),
    ("Make Carol an admin of Data Science", ["carol@example.com"], "admin", "adds them"),
    ("Make alice@example.com a member of Design", ["alice@example.com"], "member", "invitation"),
]


@pytest.mark.parametrize(("sentence", "emails", "role", "said"), JOINS)
def test_make_someone_a_member_of_a_team_they_are_not_in_adds_or_invites_them(
    spaces: Workspaces, sentence: str, emails: list[str], role: str, said: str
) -> None:
    plan = answer(spaces, sentence)
    assert said in " ".join(getattr(plan, "details", ())), plan
    expect = {"command": "InviteMembers", "team": sentence.split(" of ")[-1], "addresses": emails}
    assert run_one(spaces, Entry(sentence, "base", {**expect, "role": role}))[0] == "right"


def test_change_role_of_someone_not_in_the_team_does_not_add_them(spaces: Workspaces) -> None:
    said = answer(spaces, "Change Bob's role in Design to admin")
    assert isinstance(said, NotUnderstood) and "not a member" in said.message


# -- everyday phrasing: each kind the corpus found missing ---------------------------------------

SEC = "Security"


def _inv(team: str, email: str) -> dict[str, object]:
    return {"team": team, "addresses": [email], "role": "member"}


def _role(team: str, email: str) -> dict[str, object]:
    return {"team": team, "email": email, "role": "admin"}


def _res(kind: str, name: str, team: str) -> dict[str, object]:
    return {"kind": kind, "name": name, "team": team}


PHRASED = [
    # an ordinary verb is not a keyword: "send an invite" invites
    (
        "Send an invite to sam@startup.example for Mobile",
        "InviteMembers",
        _inv("Mobile", "sam@startup.example"),
    ),
    (
        "Send lee@contractor.example an invitation to join Design",
        "InviteMembers",
        _inv("Design", "lee@contractor.example"),
    ),
    # a noun inside a name is not cut off
    ("Revoke the Old Token key of Platform Engineering", "RevokeKey", {"key": "Old Token"}),
    (
        "Create an API key called Release Token for Mobile",
        "CreateKey",
        {"team": "Mobile", "name": "Release Token"},
    ),
    # the type word after the name
    ("Delete the Triage Bot agent from Platform Engineering", "DeleteResource", {"kind": "agent"}),
    ("Remove the No Shell Access tool policy from Security", "DeleteResource", {"team": SEC}),
    # topic first, with a colon (or "In T,")
    ("Platform Engineering: make Dave an admin", "ChangeRole", _role(PE, "dave@example.com")),
    ("Security: revoke the Deploy Hook key", "RevokeKey", {"key": "Deploy Hook"}),
    (
        "In Design, remove Carol Jones",
        "RemoveMember",
        {"team": "Design", "email": "carol@example.com"},
    ),
    (
        "Mobile: create a tool policy called Read Only",
        "CreateResource",
        _res("tool_policy", "Read Only", "Mobile"),
    ),
    # a pronoun in the second clause
    (
        "Dave is in Platform Engineering; make him an admin",
        "ChangeRole",
        _role(PE, "dave@example.com"),
    ),
    (
        "Find Carol in Design and make her an admin",
        "ChangeRole",
        _role("Design", "carol@example.com"),
    ),
    # harmless trailing words
    (
        "Remove Carol from Design as well",
        "RemoveMember",
        {"team": "Design", "email": "carol@example.com"},
    ),
    (
        "Make Renée an admin in Data Science too",
        "ChangeRole",
        _role("Data Science", "renee@example.com"),
    ),
]


@pytest.mark.parametrize(("sentence", "command", "fields"), PHRASED)
def test_everyday_phrasing_plans_the_command(
    spaces: Workspaces, sentence: str, command: str, fields: dict[str, object]
) -> None:
    outcome, said = run_one(spaces, Entry(sentence, "base", {"command": command, **fields}))
    assert outcome == "right", said


NEAR = [
    ("Change Jose Garcia's role in Design to admin", "José García"),
    ("Add Renee Dubois to Mobile", "Renée Dubois"),
    ("Promote Dvae to admin in Platform Engineering", "Dave Miller"),
    ("Add Bob to Platfrom Engineering", "Platform Engineering"),
    ("Revoke the Old Tokn key of Platform Engineering", "Old Token"),
    ("Add Bob to Platform Engineering as a memeber", "'member'"),
    ("Invte sam@startup.example to Design", "'invite'"),
]


@pytest.mark.parametrize(("sentence", "named"), NEAR)
def test_a_near_miss_is_asked_with_the_correction_and_never_run(
    spaces: Workspaces, sentence: str, named: str
) -> None:
    said = answer(spaces, sentence)
    assert isinstance(said, Clarify), said
    assert "Did you mean" in said.question and named in said.question
    assert run_one(spaces, Entry(sentence, "base", "nothing"))[0] == "unchanged"
