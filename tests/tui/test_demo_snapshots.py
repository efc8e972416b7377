"""The demo as a new user first sees it, at 80x24: the team list, then a team's members.
Names and emails are not cut mid-word, the tab keys are shown, and no notice covers it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import Database, create_engine_for
from core.demo import build_demo
from core.services import Core
from core.views import Principal
from tests.conftest import FakeClock
from tests.tui.conftest import isolated_settings
from tests.tui.helpers import settle
from tui.app import AuxotApp


@pytest.fixture
def demo(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Core, Principal]]:
    path = tmp_path / "demo.db"
    shutil.copy(sqlite_template, path)
    database = Database(create_engine_for(f"sqlite:///{path}"))
    core = Core(database, FakeClock(), isolated_settings(tmp_path / "data"))
    yield core, build_demo(core)
    database.dispose()


def test_demo_team_list(demo: tuple[Core, Principal], snap_compare) -> None:
    core, owner = demo

    async def run(pilot) -> None:
        await settle(pilot)

    assert snap_compare(AuxotApp(core, owner), terminal_size=(80, 24), run_before=run)


def test_demo_team_members(demo: tuple[Core, Principal], snap_compare) -> None:
    core, owner = demo

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")  # the first team
        await settle(pilot)

    assert snap_compare(AuxotApp(core, owner), terminal_size=(80, 24), run_before=run)
