"""``auxot resources show`` and ``auxot resources edit``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Auxot, assert_refused


@pytest.fixture
def ops(acme: Auxot) -> Auxot:
    for argv in (
        ("teams", "create", "Ops"),
        ("teams", "create", "Web"),
        (
            "resources",
            "create",
            "agent",
            "Triage Bot",
            "--team",
            "Ops",
            "--body",
            "Line one\nLine two",
        ),
    ):
        assert acme(*argv).code == 0, argv
    return acme


def test_show_prints_the_whole_body(ops: Auxot) -> None:
    run = ops("resources", "show", "agent", "triage bot", "--team", "Ops")
    assert run.out == "Agent Triage Bot · in Ops\n\nLine one\nLine two\n"
    assert (
        ops("resources", "show", "agent", "Triage Bot", "--team", "Ops", "--json").json()["body"]
        == "Line one\nLine two"
    )
    assert_refused(ops("resources", "show", "skill", "Nope"), "There is no skill named 'Nope'")


def test_edit_renames_rewrites_and_moves(ops: Auxot, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_text("From a file, ünïcode.\n", encoding="utf-8")
    run = ops(
        "resources", "edit", "agent", "Triage Bot", "--team", "Ops",
        "--name", "Intake Bot", "--body-file", str(body), "--move-to", "Web",
    )  # fmt: skip
    assert run.out == "Saved the agent Intake Bot in Web.\n", run.err
    shown = ops("resources", "show", "agent", "Intake Bot", "--team", "Web")
    assert shown.out.endswith("\n\nFrom a file, ünïcode.\n")
    moved = ops("resources", "edit", "agent", "Intake Bot", "--team", "Web", "--to-workspace")
    assert moved.out == "Saved the agent Intake Bot for the whole workspace.\n"


def test_edit_refusals_change_nothing(ops: Auxot, tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\xff\xfe not text")
    before = ops("resources", "list", "--json").out
    for argv, words in (
        (("--body-file", str(binary)), "is not UTF-8 text"),
        (("--body-file", str(tmp_path / "missing.md")), "Cannot read"),
        (("--name", "Triage Bot"), "changes nothing"),
        (("--move-to", "Nowhere"), "There is no team 'Nowhere'"),
    ):
        run = ops("resources", "edit", "agent", "Triage Bot", "--team", "Ops", *argv)
        assert_refused(run, words)
    assert ops("resources", "list", "--json").out == before
