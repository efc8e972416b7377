"""The theme is remembered between runs, in the user config directory."""

from __future__ import annotations

import json
from pathlib import Path

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle
from tui.app import AuxotApp
from tui.preferences import FILE, Preferences, load_preferences, save_preferences


async def test_the_theme_chosen_is_the_theme_next_time(
    core: Core, ws: Workspace, private_preferences: Path
) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert not (private_preferences / FILE).exists()  # nothing written just by starting
        await pilot.press("ctrl+t")
        await settle(pilot)
    assert json.loads((private_preferences / FILE).read_text()) == {"theme": "textual-light"}
    again = AuxotApp(core, ws.owner)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_a_broken_or_strange_file_is_no_preferences(
    core: Core, ws: Workspace, private_preferences: Path
) -> None:
    for text in ("{not json", '{"theme": "no-such-theme"}', "[1, 2]", '{"theme": 7}'):
        (private_preferences / FILE).write_text(text)
        app = AuxotApp(core, ws.owner)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.theme == "textual-dark"


def test_saving_replaces_the_file_whole(tmp_path: Path) -> None:
    save_preferences(Preferences(theme="nord"), tmp_path / "new")
    assert load_preferences(tmp_path / "new") == Preferences(theme="nord")
    assert [p.name for p in (tmp_path / "new").iterdir()] == [FILE]  # no temporary left
    assert load_preferences(tmp_path / "missing") == Preferences()
