"""Exit codes and the one-line error rule: no traceback ever reaches the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.db import HEAD_REVISION
from core.services import Core
from tests.cli.conftest import OWNER, Auxot, assert_refused


def test_usage_errors_exit_2(acme: Auxot) -> None:
    for argv in (
        ("teams",),
        ("--bogus", "teams", "list"),
        ("members", "add", "Team"),
        ("teams", "frobnicate"),
        ("audit", "--limit", "many"),
    ):
        run = acme(*argv)
        assert run.code == 2, argv
        assert "usage: auxot" in run.err and "Traceback" not in run.err
    help_run = acme("--help")
    assert help_run.code == 0 and "Auxot Teams" in help_run.out
    assert acme("--version").out.startswith("auxot ")


def test_global_options_before_or_after_the_command(
    acme: Auxot, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUXOT_USER")
    monkeypatch.delenv("AUXOT_DATABASE_URL")
    before = acme("--db", db_url, "--user", OWNER, "--json", "users", "list")
    after = acme("users", "list", "--db", db_url, "--user", OWNER, "--json")
    mixed = acme("--json", "users", "--db", db_url, "list", "--user", OWNER)
    assert before.code == after.code == mixed.code == 0
    assert before.json() == after.json() == mixed.json()


def test_missing_and_unknown_user(acme: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUXOT_USER")
    run = acme("teams", "list")
    assert_refused(run)
    assert run.err == "Say who you are with --user EMAIL or AUXOT_USER.\n"
    assert_refused(acme("teams", "list", "--user", "ghost@acme.example.com"), "There is no account")
    monkeypatch.setenv("AUXOT_USER", OWNER)
    assert acme("teams", "list").code == 0


def test_no_workspace_yet(auxot: Auxot) -> None:
    assert_refused(auxot("teams", "list", "--user", OWNER), "There is no workspace yet")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("nonsense://x", "is not supported"),
        ("not a url", "is not valid"),
        (
            "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
            "Cannot open the database",
        ),
    ],
)
def test_bad_database_url_is_one_line(auxot: Auxot, url: str, words: str) -> None:
    assert_refused(auxot("--db", url, "--user", OWNER, "teams", "list"), words)


def test_bad_setting_is_one_line(auxot: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUXOT_SMTP_PORT", "lots")
    assert_refused(auxot("plan"), "AUXOT_SMTP_PORT")


def test_unexpected_error_is_one_line(acme: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(Core, "list_teams", broken)
    run = acme("teams", "list")
    assert run.code == 1
    assert run.err == "auxot: unexpected error: RuntimeError: disk on fire second line\n"


def test_interrupt_exits_130_quietly(acme: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Core, "list_users", interrupted)
    run = acme("users", "list")
    assert (run.code, run.out, run.err) == (130, "", "")


def test_db_upgrade_reports_the_revision(auxot: Auxot, tmp_path: Path) -> None:
    assert auxot("db", "upgrade").out == f"The database is already at revision {HEAD_REVISION}.\n"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    run = auxot("db", "upgrade", "--db", fresh)
    assert run.out == f"Upgraded the database from revision none to {HEAD_REVISION}.\n"
    assert auxot("--json", "db", "upgrade", "--db", fresh).json() == {
        "from": HEAD_REVISION,
        "to": HEAD_REVISION,
    }


def test_user_text_is_printed_literally(acme: Auxot) -> None:
    acme("teams", "create", "[b]Bold[/b] 数据团队", "--description", "line one\nline two")
    lines = acme("teams", "list").out.splitlines()
    assert "[b]Bold[/b] 数据团队" in lines[1]
    assert "line one line two" in lines[1]
    data = acme("teams", "list", "--json").json()
    assert data[0]["description"] == "line one\nline two"
