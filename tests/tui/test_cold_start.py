"""Starting the app: nothing heavy on the way to its first frame. The database is opened
and the account found behind that frame, in a worker; a refusal there ends the app and is
raised for the command to say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import PermissionDenied
from core.services import Core
from core.views import Principal
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, table_column
from tui.app import AuxotApp, run_app_connecting
from tui.screens.team_list import TeamListScreen

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_module_imports_neither_sqlalchemy_nor_pydantic() -> None:
    """Nor the team screen or core's views: they are loaded behind the first frame."""
    probe = (
        "import sys, tui.app, cli.main, cli.commands.app\n"
        "heavy = [m for m in ('sqlalchemy', 'pydantic', 'core.services', 'core.agent', "
        "'core.views', 'tui.team.screen', 'tui.dialogs.add_team') "
        "if m in sys.modules]\n"
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


async def test_the_first_frame_comes_before_the_database(core: Core, ws: Workspace) -> None:
    calls: list[str] = []

    def connect() -> tuple[Core, Principal]:
        calls.append("connect")
        return core, ws.owner

    app = AuxotApp.connecting(connect)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TeamListScreen)  # up before connect() has answered
        await settle(pilot)
        assert calls == ["connect"]
        assert app.me is not None and app.me.user.email == ws.owner.email
        assert "Data Science" in table_column(app, "#teams-table")
        assert app.startup_error is None


async def test_a_refusal_while_connecting_ends_the_app(core: Core, ws: Workspace) -> None:
    def connect() -> tuple[Core, Principal]:
        raise PermissionDenied("The account dee@acme.example.com is deactivated.")

    app = AuxotApp.connecting(connect)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert isinstance(app.startup_error, PermissionDenied)
    assert app.return_code == 1


def test_run_app_connecting_raises_what_stopped_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: AuxotApp, *args: object, **kwargs: object) -> None:
        self.startup_error = PermissionDenied("refused")

    def connect() -> tuple[Core, Principal]:
        raise AssertionError("the patched run never connects")

    monkeypatch.setattr(AuxotApp, "run", run)
    with pytest.raises(PermissionDenied, match="refused"):
        run_app_connecting(connect)
