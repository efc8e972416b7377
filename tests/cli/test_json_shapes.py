"""docs/cli-json.md holds: a list prints an array of the very objects that the commands
changing one of them print, with the keys its table lists, and times in UTC with a Z."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.conftest import Auxot

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli-json.md"
TEAM = "Platform"
ALICE = "alice@acme.example.com"
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def documented_keys() -> dict[str, list[str]]:
    """The object table of the document: name → its keys, in order."""
    table: dict[str, list[str]] = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith("`"):
            table[cells[0]] = re.findall(r"`(\w+)`", cells[1])
    return table


@pytest.fixture
def filled(acme: Auxot) -> Auxot:
    assert acme("teams", "create", TEAM).code == 0
    assert acme("members", "add", TEAM, ALICE, "new@example.com").code == 0
    assert acme("resources", "create", "skill", "Runbook", "--team", TEAM).code == 0
    return acme


# (object, the list that prints it, a command that prints one of them)
CASES = [
    ("team", ("teams", "list"), ("teams", "describe", TEAM, "Build things")),
    ("member", ("members", "list", TEAM), ("members", "role", TEAM, ALICE, "admin")),
    ("account", ("users", "list"), ("users", "show", ALICE)),
    (
        "invitation",
        ("invites", "list", TEAM),
        ("invites", "role", TEAM, "new@example.com", "admin"),
    ),
    ("resource", ("resources", "list"), ("resources", "show", "skill", "Runbook", "--team", TEAM)),
    ("key", ("keys", "list", TEAM), ("keys", "scope", TEAM, "CI", "read")),
    ("audit event", ("audit",), None),
    ("outbox message", ("outbox", "list"), None),
]


@pytest.mark.parametrize(("name", "listing", "one"), CASES, ids=[c[0] for c in CASES])
def test_lists_and_single_results_share_the_documented_object(
    filled: Auxot, name: str, listing: tuple[str, ...], one: tuple[str, ...] | None
) -> None:
    if name == "key":
        created = filled("keys", "create", TEAM, "CI", "--json").json()
        assert set(created) == {"key", "plaintext", "replaces"}
        assert list(created["key"]) == documented_keys()["key"]
    items = filled(*listing, "--json").json()
    assert isinstance(items, list) and items, items
    keys = documented_keys()[name]
    for item in items:
        assert list(item) == keys
    if one is not None:
        single = filled(*one, "--json").json()
        assert list(single) == keys
        items = [*items, single]
    times = [v for item in items for k, v in item.items() if k.endswith("_at") or k == "at"]
    assert times and all(t is None or UTC_Z.match(t) for t in times), times


def test_a_refusal_prints_no_json(filled: Auxot) -> None:
    run = filled("teams", "rename", "Nope", "Other", "--json")
    assert run.code == 1 and run.out == ""
    assert run.err.count("\n") == 1
