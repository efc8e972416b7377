"""Hostile text through every list, show and audit command: whatever a column holds, no
escape sequence, C1 control, bidirectional override or NUL reaches the terminal, and JSON
stays valid JSON that decodes to what was stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from core.db import open_database
from core.models import AuditEvent, Resource, Team, TeamApiKey, User
from tests.cli.conftest import Auxot, Run

TITLE = "\x1b]0;owned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
CSI = "\x9b31m"  # a C1 control sequence introducer
BIDI = "evil\u202etxt.exe\u2066"
HOSTILE = [TITLE, CLEAR, CSI, BIDI, "nul\x00here", "del\x7f", "[bold]x[/]"]
NEVER_SENT = ("\x1b", "\x9b", "\x07", "\x00", "\x7f", "\u202e", "\u2066")
TEAM = "Ops [bold]x[/]"


def _clean(run: Run, what: str) -> None:
    for stream in (run.out, run.err):
        sent = [ch for ch in NEVER_SENT if ch in stream]
        assert not sent, f"{what}: {sent!r} reached the terminal: {stream[:300]!r}"
    assert "Traceback" not in run.err


@pytest.fixture
def hostile(acme: Auxot, db_url: str) -> Auxot:
    """Ops, with a key, a resource and an invitation, and hostile text in every stored column
    that output shows: some typed through the CLI (where core keeps it), some written into
    the rows directly, as a database written before today's checks could hold it."""
    assert acme("teams", "create", TEAM, "--description", "fine").code == 0
    assert acme("keys", "create", TEAM, "ci").code == 0
    assert acme("resources", "create", "skill", "deploy", "--team", TEAM).code == 0
    assert acme("members", "add", TEAM, "zed@example.com").code in (0, 1)
    database = open_database(db_url)
    stored = TITLE + CLEAR + CSI + BIDI + "del\x7f"
    with database.session() as session:
        session.execute(update(Team).values(description=stored))
        session.execute(update(TeamApiKey).values(name="ci" + TITLE))
        session.execute(update(Resource).values(name="deploy" + BIDI, body=stored))
        session.execute(
            update(User).where(User.email.like("alice%")).values(display_name="Alice" + CLEAR)
        )
        for event in session.scalars(select(AuditEvent)):
            event.target = "user:" + stored
            event.details = {**(event.details or {}), "reason": stored}
    database.engine.dispose()
    return acme


def test_typed_hostile_text_is_refused_or_kept_without_reaching_the_terminal(acme: Auxot):
    assert acme("teams", "create", TEAM).code == 0
    for text in HOSTILE:
        for argv in (
            ("teams", "create", text),
            ("teams", "describe", TEAM, text),
            ("teams", "rename", text, "new"),
            ("members", "add", TEAM, text),
            ("invites", "revoke", "--yes", TEAM, text),
            ("members", "add", TEAM, f"a{text}@example.com"),
            ("keys", "create", TEAM, text),
            ("keys", "revoke", "--yes", TEAM, text),
            ("resources", "create", "skill", text, "--team", TEAM, "--body", text),
            ("users", "show", text),
        ):
            for json_flag in ((), ("--json",)):
                _clean(acme(*json_flag, *argv), " ".join(argv))
    for argv in (("audit",), ("audit", "--json"), ("teams", "list"), ("teams", "list", "--json")):
        _clean(acme(*argv), " ".join(argv))


LISTINGS = [
    ("teams", "list"),
    ("members", "list", TEAM),
    ("invites", "list", TEAM),
    ("keys", "list", TEAM),
    ("resources", "list"),
    ("users", "list"),
    ("users", "show", "alice@acme.example.com"),
    ("audit",),
    ("audit", "--team", TEAM),
]


@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_stored_hostile_text_is_shown_not_sent(hostile: Auxot, argv: tuple[str, ...]):
    plain = hostile(*argv)
    assert plain.code == 0, plain.err
    _clean(plain, " ".join(argv))
    as_json = hostile("--json", *argv)
    assert as_json.code == 0, as_json.err
    _clean(as_json, "--json " + " ".join(argv))
    json.loads(as_json.out)  # still valid JSON


def test_the_audit_log_shows_a_stored_escape_visibly(hostile: Auxot):
    out = hostile("audit").out
    assert "\\x1b]0;owned\\x07" in out and "\\u202e" in out
    data = hostile("--json", "audit").json()
    assert any(TITLE in text for text in _strings(data))  # decodes to what was stored


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def test_a_megabyte_argument_gets_a_short_sentence_and_changes_nothing(hostile: Auxot):
    huge = "x" * 1_000_000
    before = hostile("--json", "audit", "--limit", "1000").out
    for argv in (
        ("teams", "create", huge),
        ("teams", "describe", huge, "d"),
        ("members", "list", huge),
        ("keys", "revoke", "--yes", TEAM, huge),
        ("users", "show", huge),
        ("invites", "revoke", "--yes", TEAM, huge),
        ("resources", "create", "skill", huge, "--personal"),
        ("keys", "create", TEAM, "k", "--expires-in", huge),
    ):
        run = hostile(*argv)
        assert run.code in (1, 2), argv[:2]
        assert len(run.err.encode()) < 300, (argv[:2], run.err[:300])
        assert run.out == ""
    assert hostile("--json", "teams", "list").json()[0]["name"] == TEAM
    after = hostile("--json", "audit", "--limit", "1000").json()
    assert all(event["outcome"] != "ok" for event in after[: len(after) - len(json.loads(before))])
