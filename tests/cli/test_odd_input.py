"""Odd input and broken surroundings get one sentence, exit 1 (2 for usage) and change
nothing, in every command: an argument that is not UTF-8, a malformed or mistyped database
URL, a database of a newer schema, a database another writer holds, a huge filter, and a
secret key file that cannot be read. The commands are read from the parser, so a new
command is walked too."""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import asyncssh
import pytest
from sqlalchemy import create_engine, select, text

import core.db
from cli.main import build_parser
from core.models import Base
from tests.cli.conftest import OWNER, Auxot, Run

TEAM = "Platform"
# Values for each positional argument, by its metavar, so that a command gets past its own
# parsing and reaches the fault.
SAMPLES = {
    "TEAM": TEAM,
    "EMAIL": "alice@acme.example.com",
    "ROLE": "member",
    "KIND": "agent",
    "SENTENCE": "list teams",
    "NEW": "Platform Two",
    "PUBKEY_FILE": "key.pub",  # written by the platform fixture, in the working folder
    "SCOPE": "read",
    "SHELL": "bash",
}
# Commands that never open the database: a fault in it is not theirs to report.
NO_DATABASE = {"completion"}
# `db backup` copies the file whatever its schema: a newer database is worth keeping too.
ANY_SCHEMA = {"completion", "db backup"}
REQUIRED = {
    "--workspace": "Acme",
    "--owner": OWNER,
    "--teams": "1",
    "--users": "1",
    "--members-per-team": "1",
}
NOT_UTF8 = "caf\udce9"  # b"caf\xe9" from a Latin-1 terminal, as Python keeps it


def leaf_commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
        return
    for name, sub in groups[0].choices.items():
        yield from leaf_commands(sub, (*path, name))


def command_argv(path: tuple[str, ...], parser: argparse.ArgumentParser) -> list[str]:
    argv = list(path)
    for action in parser._actions:
        if not action.option_strings and action.nargs != "?":
            argv.append(SAMPLES.get(str(action.metavar), "x"))
        elif action.option_strings and action.required:
            argv += [action.option_strings[0], REQUIRED[action.option_strings[0]]]
    if "--yes" in parser._option_string_actions:
        argv.append("--yes")  # the fault, not the question, is what is tested
    return argv


COMMANDS = [
    pytest.param(command_argv(path, parser), id=" ".join(path))
    for path, parser in leaf_commands(build_parser())
]
FILTERED = [
    pytest.param(command_argv(path, parser), id=" ".join(path))
    for path, parser in leaf_commands(build_parser())
    if "--filter" in parser._option_string_actions
]


def snapshot(url: str) -> dict[str, list[str]]:
    """Every row of every table (and the schema revision), to compare before and after."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            rows = {
                table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                for table in Base.metadata.sorted_tables
            }
            rows["alembic_version"] = [
                str(row[0]) for row in conn.execute(text("SELECT version_num FROM alembic_version"))
            ]
            return rows
    finally:
        engine.dispose()


@pytest.fixture
def platform(acme: Auxot, monkeypatch: pytest.MonkeyPatch) -> Auxot:
    """Acme with a team, a member and a pending invitation; stdin is empty (keys verify)."""
    assert acme("teams", "create", TEAM).code == 0
    assert acme("members", "add", TEAM, "alice@acme.example.com", "new@example.com").code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    key = asyncssh.generate_private_key("ssh-ed25519")
    Path("key.pub").write_bytes(key.export_public_key())
    return acme


def assert_one_sentence(run: Run, *words: str) -> None:
    assert run.code in (1, 2), (run.code, run.out, run.err)
    if run.out.startswith(("ok    ", "FAIL  ")):  # `auxot health` reports each check instead
        assert run.code == 1 and "\nFAIL  " in "\n" + run.out, run.out
        assert "Traceback" not in run.out + run.err
        return
    assert "unexpected error" not in run.err and "Traceback" not in run.err, run.err
    if run.code == 1:
        assert run.err.count("\n") == 1, run.err
    for word in words:
        assert word in run.err, run.err


def _utf8_fault(argv: list[str]) -> list[str]:
    """The first positional value (or the --user value) made undecodable."""
    positional = [i for i, a in enumerate(argv) if a in SAMPLES.values() or a == "x"]
    if positional:
        argv = list(argv)
        argv[positional[0]] = NOT_UTF8
        return argv
    return [*argv, "--user", NOT_UTF8]


@pytest.mark.parametrize("argv", COMMANDS)
def test_every_command_says_one_sentence_for_each_fault(
    platform: Auxot, db_url: str, tmp_path: Path, argv: list[str]
) -> None:
    before = snapshot(db_url)
    run = platform(*_utf8_fault(argv))
    assert_one_sentence(run, "not valid UTF-8")
    assert run.code == 1
    if argv[0] in NO_DATABASE:
        return
    # The app and the demo first ask for a terminal (test_the_app_says_a_sentence_at_startup).
    named = ("--db",) if argv[0] not in ("tui", "demo") else ()
    assert_one_sentence(platform(*argv, "--db", "postgresql://postgres@[::1"), *named)
    nowhere = tmp_path / "no" / "such" / "folder"
    assert_one_sentence(platform(*argv, "--db", f"sqlite:///{nowhere}/x.db"))
    assert not (tmp_path / "no").exists()
    assert snapshot(db_url) == before


@pytest.fixture
def newer_schema(db_url: str) -> Iterator[None]:
    """The database says a newer Auxot made it; put back afterwards, as a PostgreSQL schema
    is shared by the tests of one worker."""
    _set_revision(db_url, "9999")
    yield
    _set_revision(db_url, core.db.HEAD_REVISION)


def _set_revision(db_url: str, revision: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


@pytest.mark.parametrize("argv", COMMANDS)
def test_every_command_refuses_a_newer_schema(
    platform: Auxot, db_url: str, argv: list[str], request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("newer_schema")
    before = snapshot(db_url)
    run = platform(*argv)
    if argv[0] in ANY_SCHEMA or " ".join(argv[:2]) in ANY_SCHEMA:
        assert "newer" not in run.err
        if run.code:  # `db backup` of a PostgreSQL database says to use pg_dump
            assert_one_sentence(run)
    elif argv[0] == "health":
        assert_one_sentence(run)
        assert "made by a newer version of Auxot Teams" in run.out
    elif argv[0] not in ("tui", "demo"):  # those first ask for a terminal
        assert_one_sentence(run, "newer version of Auxot", "upgrade Auxot")
    else:
        assert_one_sentence(run)
    assert snapshot(db_url) == before


def test_db_upgrade_on_a_newer_schema_says_to_upgrade_auxot(
    platform: Auxot, db_url: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("newer_schema")
    run = platform("db", "upgrade")
    assert_one_sentence(run, "created by a newer version of Auxot (schema revision 9999)")
    assert snapshot(db_url)["alembic_version"] == ["9999"]


def test_a_bad_argument_is_named_by_position_and_option(platform: Auxot) -> None:
    run = platform("teams", "describe", TEAM, "--user", NOT_UTF8)
    assert run.err == (
        "Argument 5 (the value of --user) is not valid UTF-8 text; retype it or fix the "
        "terminal's encoding. Nothing changed.\n"
    )
    run = platform("members", "list", TEAM, f"--filter={NOT_UTF8}")
    assert "Argument 4 (the value of --filter)" in run.err


def test_a_malformed_url_names_the_setting(auxot: Auxot) -> None:
    run = auxot("--db", "postgresql://postgres@[::1", "--user", OWNER, "teams", "list")
    assert_one_sentence(run, "'postgresql://postgres@[::1'", "AUXOT_DATABASE_URL")


@pytest.mark.parametrize("argv", FILTERED)
def test_a_60_kb_filter_is_refused_before_the_database(platform: Auxot, argv: list[str]) -> None:
    run = platform(*argv, "--filter", "%" * 60_000)
    assert_one_sentence(run, "A filter can be at most 320 characters")
    assert run.code == 1


@pytest.fixture
def held_lock(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another program holds SQLite's write lock for the whole test; we wait 50 ms for it."""
    monkeypatch.setattr(core.db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


# The servers read (which a writer does not block in WAL mode) and then serve until stopped.
LOCK_WALK = [p for p in COMMANDS if p.id not in ("serve-ssh", "serve-api")]
# A file lock: these run on SQLite whichever backends the suite runs on.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize("argv", LOCK_WALK)
def test_a_database_held_by_another_writer(
    platform: Auxot, db_url: str, argv: list[str], request: pytest.FixtureRequest
) -> None:
    before = snapshot(db_url)
    request.getfixturevalue("held_lock")
    run = platform(*argv)
    assert "unexpected error" not in run.err and "Traceback" not in run.err, run.err
    assert run.code in (0, 1, 2)
    if run.code == 1 and "database" in run.err:
        assert run.err.endswith(
            "The database is busy: another program is writing to it. Nothing changed; "
            "try again in a moment.\n"
        )
    assert snapshot(db_url) == before


@SQLITE_ONLY
def test_a_write_to_a_held_database_says_it_is_busy(
    platform: Auxot, db_url: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("held_lock")
    for argv in (("teams", "create", "Data"), ("members", "add", TEAM, "x@example.com")):
        assert_one_sentence(platform(*argv), "The database is busy")


@pytest.mark.parametrize(
    "argv",
    [
        ("members", "add", TEAM, "someone@example.com"),
        ("invites", "link", TEAM, "new@example.com"),
        ("invites", "resend", TEAM, "new@example.com"),
    ],
)
def test_an_unreadable_secret_key_is_named(
    platform: Auxot, db_url: str, isolated: Path, argv: tuple[str, ...]
) -> None:
    """A folder where the key file should be: unreadable even by root, unlike chmod 000."""
    key = isolated / "secret.key"
    key.unlink()
    key.mkdir()
    before = snapshot(db_url)
    assert_one_sentence(platform(*argv), f"Cannot read the secret key file {key}")
    assert snapshot(db_url) == before


def test_a_mistyped_folder_is_refused_and_not_made(auxot: Auxot, tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.db"
    run = auxot("--db", f"sqlite:///{target}", "init", "--workspace", "A", "--owner", OWNER)
    assert_one_sentence(run, f"The folder {target.parent} of the database does not exist")
    assert not (tmp_path / "nonexistent").exists()


def test_the_default_data_directory_is_made(auxot: Auxot, isolated: Path, monkeypatch) -> None:
    monkeypatch.delenv("AUXOT_DATABASE_URL")
    assert not isolated.exists()
    assert auxot("init", "--workspace", "A", "--owner", OWNER).code == 0
    assert (isolated / "auxot.db").is_file()


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("newer", "newer version of Auxot"),
        ("url", "is not valid"),
        ("folder", "does not exist"),
    ],
)
def test_the_app_says_a_sentence_at_startup(
    platform: Auxot,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    words: str,
    request: pytest.FixtureRequest,
) -> None:
    """``auxot`` opens the database behind the app's first frame; what stops it there is
    raised by run_app_connecting (tests/tui/test_cold_start.py) and said by the command."""
    import tui.app
    from cli.commands import app

    def run_app_connecting(connect: partial[object]) -> None:
        connect()  # what the app's connect worker runs; its error is raised after the app

    monkeypatch.setattr(app, "has_terminal", lambda: True)
    monkeypatch.setattr(tui.app, "run_app_connecting", run_app_connecting)
    argv: list[str] = []
    if fault == "newer":
        request.getfixturevalue("newer_schema")
    elif fault == "url":
        argv = ["--db", "postgresql://postgres@[::1"]
    else:
        argv = ["--db", f"sqlite:///{tmp_path}/nowhere/x.db"]
    assert_one_sentence(platform(*argv), words)
    assert_one_sentence(platform(*argv, "tui"), words)


def test_the_database_and_its_wal_files_are_owner_only(auxot: Auxot, tmp_path: Path) -> None:
    """0600 like secret.key and the .eml files, whatever the umask: a new SQLite file is
    made owner-only before SQLite opens it, and SQLite gives -wal and -shm its mode."""
    import os

    from core.db import open_database

    path = tmp_path / "private" / "auxot.db"
    path.parent.mkdir()
    old = os.umask(0o022)
    try:
        run = auxot("--db", f"sqlite:///{path}", "init", "--workspace", "A", "--owner", OWNER)
        assert run.code == 0, run.err
        database = open_database(f"sqlite:///{path}")  # keeps the WAL files while open
        with database.session() as session:
            session.execute(text("SELECT 1"))
            modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir() if p.is_file()}
        database.dispose()
    finally:
        os.umask(old)
    assert modes == {"auxot.db": 0o600, "auxot.db-wal": 0o600, "auxot.db-shm": 0o600}
