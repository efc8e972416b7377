"""Every command's help ends with examples, and every example is a command line that the
real parser accepts."""

from __future__ import annotations

import shlex

import pytest

from cli.examples import EXAMPLES
from cli.main import build_parser
from tests.cli.test_odd_input import leaf_commands

LEAVES = {" ".join(path): parser for path, parser in leaf_commands(build_parser())}


def test_every_command_has_examples_and_no_example_is_left_over() -> None:
    assert set(EXAMPLES) == set(LEAVES)


@pytest.mark.parametrize("command", sorted(LEAVES))
def test_each_example_parses_and_shows_in_the_help(command: str) -> None:
    help_text = LEAVES[command].format_help()
    assert "\nexamples:\n" in help_text
    for line in EXAMPLES[command]:
        assert f"  $ {line}\n" in help_text + "\n"
        words = shlex.split(line.split("|")[-1].split(">")[0])
        assert words[0] == "auxot"
        args = build_parser().parse_args(words[1:])
        assert " ".join(words[1 : 1 + len(command.split())]) == command
        assert args.handler is not None


def test_members_add_says_that_unknown_addresses_are_invited() -> None:
    assert "other addresses are invited by email" in " ".join(
        LEAVES["members add"].format_help().split()
    )
