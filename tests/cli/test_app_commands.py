"""``auxot``, ``auxot tui`` and ``auxot demo`` hand a Core and a principal to the app."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from core.demo import DOMAIN
from core.services import Core
from core.views import Principal
from tests.cli.conftest import OWNER, Auxot, assert_refused


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Core, Principal]]:
    """A stand-in for tui.app that records what it was opened with."""
    calls: list[tuple[Core, Principal]] = []

    def run_app(core: Core, actor: Principal) -> None:
        core.me(actor)  # the database must still be open while the app runs
        calls.append((core, actor))

    def run_app_connecting(connect: Callable[[], tuple[Core, Principal]]) -> None:
        run_app(*connect())  # a refusal while connecting is raised, as the app does

    fake = types.ModuleType("tui.app")
    vars(fake).update(run_app=run_app, run_app_connecting=run_app_connecting, AuxotApp=object)
    monkeypatch.setitem(sys.modules, "tui.app", fake)
    monkeypatch.setattr("cli.commands.app.has_terminal", lambda: True)
    return calls


def test_demo_builds_a_fresh_workspace_each_run(auxot: Auxot, isolated: Path, opened: list) -> None:
    for _ in range(2):
        run = auxot("demo")
        assert (run.code, run.err) == (0, "")
        assert "until the next `auxot demo`" in run.out
    # The first demo has ended, so the second removed its directory: one is left.
    demos = list((isolated / "demos").iterdir())
    assert len(demos) == 1 and (demos[0] / "demo.db").exists()
    assert str(demos[0]) in run.out
    core, actor = opened[-1]
    assert actor.email == f"dana@{DOMAIN}"
    assert len(core.list_teams(actor).items) >= 4


def test_a_second_demo_leaves_a_running_one_alone(
    auxot: Auxot,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list,
) -> None:
    """A demo that is still open keeps its directory, database and mail while another starts."""
    inner: list[int] = []

    def run_app(core: Core, actor: Principal) -> None:
        opened.append((core, actor))
        if len(opened) == 1:  # while the first demo is open, start a second one
            inner.append(auxot("demo").code)
        core.me(actor)  # the first demo's database is still there and readable

    monkeypatch.setattr(sys.modules["tui.app"], "run_app", run_app)
    assert auxot("demo").code == 0
    assert inner == [0]
    assert len(list((isolated / "demos").iterdir())) == 2
    first, second = (core for core, _ in opened)
    assert first.settings.outbox_dir() != second.settings.outbox_dir()
    assert first.settings.outbox_dir().is_relative_to(isolated / "demos")


def test_demo_mail_stays_in_its_directory(auxot: Auxot, isolated: Path, opened: list) -> None:
    assert auxot("demo").code == 0
    (demo,) = (isolated / "demos").iterdir()
    core, _ = opened[0]
    assert core.deliver_outbox().sent == 1  # the demo's pending invitation
    assert len(list((demo / "outbox").glob("*.eml"))) == 1
    assert not (isolated / "outbox").exists()


def test_demo_opens_as_a_named_demo_person(auxot: Auxot, opened: list) -> None:
    assert auxot("demo", "--user", "priya").code == 0
    assert auxot("demo", "--user", f"Marcus@{DOMAIN}").code == 0
    assert [actor.email for _, actor in opened] == [f"priya@{DOMAIN}", f"marcus@{DOMAIN}"]


def test_demo_refuses_someone_not_in_it(auxot: Auxot, isolated: Path, opened: list) -> None:
    for who in ("nobody@example.com", "victor"):  # victor's demo account is deactivated
        run = auxot("demo", "--user", who)
        assert_refused(run, "is not a demo person", "dana, priya")
        assert "victor" not in run.err.split("are", 1)[1]
    assert opened == []
    assert not (isolated / "demos").exists()


def test_demo_into_a_named_database_must_be_empty(auxot: Auxot, db_url: str, opened: list) -> None:
    assert auxot("demo", "--db", db_url).code == 0
    assert_refused(auxot("demo", "--db", db_url), "already has the workspace 'Auxot Demo'")
    assert len(opened) == 1


def test_app_opens_as_the_named_user(auxot: Auxot, opened: list) -> None:
    auxot("init", "--workspace", "Acme", "--owner", OWNER)
    assert auxot("--user", OWNER).code == 0
    assert auxot("tui", "--user", OWNER).code == 0
    assert [actor.email for _, actor in opened] == [OWNER, OWNER]


def test_app_without_user_or_workspace_says_what_to_do(
    auxot: Auxot,
    isolated: Path,
    tmp_path: Path,
    opened: list,
) -> None:
    missing = f"sqlite:///{tmp_path / 'nowhere.db'}"
    run = auxot("--db", missing)
    assert_refused(run, "No workspace at", "auxot demo", "auxot init")
    assert not (tmp_path / "nowhere.db").exists()
    assert_refused(auxot("tui"), "No workspace at")  # the empty test database
    auxot("init", "--workspace", "Acme", "--owner", OWNER)
    assert_refused(auxot(), "Say who you are with --user EMAIL or AUXOT_USER")
    assert opened == []


def test_app_needs_a_terminal(auxot: Auxot, opened: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cli.commands.app.has_terminal", lambda: False)
    assert_refused(auxot("demo"), "The app needs a terminal")
    assert opened == []


def test_app_missing_is_one_sentence(auxot: Auxot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cli.commands.app.has_terminal", lambda: True)
    monkeypatch.setitem(sys.modules, "tui.app", None)
    auxot("init", "--workspace", "Acme", "--owner", OWNER)
    assert_refused(auxot("--user", OWNER), "The terminal app is not available")


def test_a_textual_driver_stands_in_for_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`textual serve "auxot tui"` runs the app with no terminal but a driver of its own."""
    from cli.commands.app import has_terminal

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert not has_terminal()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert has_terminal()
