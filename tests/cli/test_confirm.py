"""Destructive commands: asked at a terminal, refused without one unless --yes is given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import OWNER, Auxot, assert_refused

DESTRUCTIVE = (
    ("teams", "delete", "Ops"),
    ("keys", "revoke", "Ops", "CI"),
    ("members", "remove", "Ops", "alice@acme.example.com"),
    ("users", "deactivate", "alice@acme.example.com"),
    ("invites", "revoke", "Ops", "new@acme.example.com"),
    ("resources", "delete", "skill", "Runbook", "--team", "Ops"),
)


@pytest.fixture
def ops(acme: Auxot) -> Auxot:
    for argv in (
        ("teams", "create", "Ops"),
        ("members", "add", "Ops", "alice@acme.example.com"),
        ("members", "add", "Ops", "new@acme.example.com"),
        ("keys", "create", "Ops", "CI"),
        ("resources", "create", "skill", "Runbook", "--team", "Ops"),
    ):
        assert acme(*argv).code == 0, argv
    return acme


def state(auxot: Auxot) -> tuple[str, ...]:
    return tuple(
        auxot(*argv, "--json").out
        for argv in (
            ("teams", "list"),
            ("keys", "list", "Ops"),
            ("members", "list", "Ops"),
            ("invites", "list", "Ops"),
            ("users", "list"),
            ("resources", "list", "--team", "Ops"),
        )
    )


@pytest.mark.parametrize("argv", DESTRUCTIVE, ids=lambda argv: " ".join(argv[:2]))
def test_without_a_terminal_nothing_happens_unless_yes(ops: Auxot, argv: tuple[str, ...]) -> None:
    before = state(ops)
    run = ops(*argv)
    assert_refused(run, "Nothing was done", "add --yes")
    assert state(ops) == before
    assert ops(*argv, "--yes").code == 0
    assert state(ops) != before


def _at_a_terminal(
    db_url: str, data: Path, argv: tuple[str, ...], answer: bytes
) -> tuple[int, str]:
    """Run the real CLI with its standard input on a pseudo-terminal and type ``answer``."""
    primary, secondary = os.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(AUXOT_DATABASE_URL=db_url, AUXOT_DATA_DIR=str(data), AUXOT_USER=OWNER)
    with subprocess.Popen(
        [sys.executable, "-m", "cli", *argv],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        os.close(secondary)
        os.write(primary, answer)
        out, err = process.communicate(timeout=60)
    os.close(primary)
    return process.returncode, (out + err).decode()


@pytest.mark.parametrize(("answer", "code"), [(b"y\n", 0), (b"n\n", 1), (b"\n", 1)])
def test_at_a_terminal_the_person_is_asked(
    ops: Auxot, db_url: str, isolated: Path, answer: bytes, code: int
) -> None:
    before = state(ops)
    returned, text = _at_a_terminal(db_url, isolated, ("teams", "delete", "Ops"), answer)
    assert "Delete the team 'Ops'? Its keys stop working. [y/N]" in text
    assert returned == code, text
    assert (state(ops) == before) == (code == 1)
    if code == 1:
        assert "Nothing was done." in text
