"""Every list command prints its first ``--limit`` rows (100 unless told), in the table and
in JSON, and says on standard error how many more there are."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from cli.main import build_parser
from tests.cli.conftest import OWNER, Auxot, Run
from tests.cli.test_odd_input import leaf_commands

TEAM = "Platform"
ALICE = "alice@acme.example.com"
BOB = "bob@acme.example.com"

# Each list command with three rows to show, and what its note calls one of them.
LISTS = [
    pytest.param(("teams", "list"), "team", id="teams"),
    pytest.param(("members", "list", TEAM), "member", id="members"),
    pytest.param(("users", "list"), "account", id="users"),
    pytest.param(("invites", "list", TEAM), "invitation", id="invites"),
    pytest.param(("keys", "list", TEAM), "key", id="keys"),
    pytest.param(("resources", "list", "--team", TEAM), "resource", id="resources"),
    pytest.param(("ssh-keys", "list"), "SSH key", id="ssh-keys"),
    pytest.param(("teams", "archived"), "deleted team", id="archived"),
    pytest.param(("audit", "--team", TEAM), "event", id="audit"),
]


@pytest.fixture
def three_of_each(acme: Auxot, tmp_path: Path) -> Auxot:
    """Acme (three accounts) with three teams, three deleted ones, and in Platform three
    members, invitations, keys and resources; three SSH keys."""
    for name in (TEAM, "Data", "Design", "Old 1", "Old 2", "Old 3"):
        assert acme("teams", "create", name).code == 0
    for name in ("Old 1", "Old 2", "Old 3"):
        assert acme("teams", "delete", name, "--yes").code == 0
    assert acme("members", "add", TEAM, ALICE, BOB).code == 0
    for n in range(3):
        assert acme("members", "add", TEAM, f"new{n}@example.com").code == 0
        assert acme("keys", "create", TEAM, f"Key {n}").code == 0
        assert acme("resources", "create", "skill", f"Skill {n}", "--team", TEAM).code == 0
        key = tmp_path / f"id{n}.pub"
        key.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
        assert acme("ssh-keys", "add", (OWNER, ALICE, BOB)[n], str(key)).code == 0
    return acme


def rows(run: Run) -> list[list[str]]:
    """The words of each line below the header (columns fit the rows printed)."""
    return [line.split() for line in run.out.splitlines()[1:]]


@pytest.mark.parametrize(("argv", "noun"), LISTS)
def test_a_list_prints_its_limit_and_says_how_many_more(
    three_of_each: Auxot, argv: tuple[str, ...], noun: str
) -> None:
    everything = three_of_each(*argv)
    assert everything.code == 0 and everything.err == "", everything.err
    total = len(rows(everything))
    assert total >= 3

    two = three_of_each(*argv, "--limit", "2")
    assert rows(two) == rows(everything)[:2]
    more = total - 2
    assert two.err == f"{more} more {noun}{'' if more == 1 else 's'}; raise --limit to see them.\n"

    as_json = three_of_each(*argv, "--limit", "2", "--json")
    assert len(as_json.json()) == 2
    assert as_json.err == two.err


@pytest.mark.parametrize("bad", ["0", "-1", "many"])
def test_a_limit_must_be_a_positive_number(three_of_each: Auxot, bad: str) -> None:
    run = three_of_each("teams", "list", "--limit", bad)
    assert run.code == 2
    assert "--limit" in run.err and "Traceback" not in run.err


def test_every_list_command_has_a_limit() -> None:
    """A list added later gets --limit too (suggest has its own small cap)."""
    lists = [
        " ".join(path)
        for path, parser in leaf_commands(build_parser())
        if path[-1] in ("list", "archived") or path == ("audit",)
    ]
    assert len(lists) >= 9
    for path, parser in leaf_commands(build_parser()):
        if " ".join(path) in lists:
            assert "--limit" in parser._option_string_actions, path
