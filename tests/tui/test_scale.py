"""The app's long lists on a generated workspace of a few thousand rows: they read a page
at a time, filter in core, count 'N of M', reach their last row with End, and keep the
selected row when read again. Functional, not timed (benchmarks/ui_bench.py times them)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core.db import Database, create_engine_for
from core.seeding import SEED_OWNER_EMAIL, seed_workspace
from core.services import Core
from core.views import MemberView, Principal, TeamView
from tests.conftest import FakeClock
from tests.tui.helpers import screen_text, settle, table_column, type_text
from tui.app import AuxotApp
from tui.team.screen import TeamScreen
from tui.widgets.virtual_table import PAGE_SIZE, VirtualTable

TEAMS, USERS, PER_TEAM, BIG = 3_000, 4_000, 2, 2_500
SIZE = (100, 30)


@dataclass(frozen=True)
class Scaled:
    core: Core
    owner: Principal
    big: TeamView  # the one team of BIG members


@pytest.fixture(scope="module")
def scale_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file for the module, copied for every test."""
    path = tmp_path_factory.mktemp("scale") / "scale.db"
    shutil.copy(sqlite_template, path)
    database = Database(create_engine_for(f"sqlite:///{path}"))
    seed_workspace(database, TEAMS, USERS, PER_TEAM, big_team_members=BIG, rng_seed=3)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def scaled(scale_template: Path, tmp_path: Path) -> Iterator[Scaled]:
    path = tmp_path / "scale.db"
    shutil.copy(scale_template, path)
    database = Database(create_engine_for(f"sqlite:///{path}"))
    core = Core(database, FakeClock())
    owner = core.principal_for(SEED_OWNER_EMAIL)
    big = core.list_teams(owner, "All Hands").items[0]
    yield Scaled(core, owner, big)
    database.dispose()


def table(app: AuxotApp, selector: str) -> VirtualTable[Any]:
    return app.screen.query_one(selector, VirtualTable)


def calls(core: Core, name: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Record the keyword arguments of every call of ``core.<name>``."""
    seen: list[dict[str, object]] = []
    real = getattr(core, name)

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, name, recording)
    return seen


# -- the team list -------------------------------------------------------------------------------


async def test_team_list_reads_one_page_and_reaches_the_last_team(
    scaled: Scaled, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = calls(scaled.core, "list_teams", monkeypatch)
    last = scaled.core.list_teams(scaled.owner, offset=TEAMS, limit=1).items[0]
    reads.clear()
    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        teams = table(app, "#teams-table")
        assert teams.total == TEAMS + 1
        assert "3,001 teams" in screen_text(app)
        assert len(table_column(app, "#teams-table")) == PAGE_SIZE  # one page, not 3,001 rows
        assert all(read["limit"] in (PAGE_SIZE, 0) for read in reads)
        await pilot.press("end")
        await settle(pilot)
        assert teams.cursor_row == TEAMS
        assert teams.current_row == last
        assert last.name in screen_text(app)
        pages = {read["offset"] for read in reads if read["limit"] == PAGE_SIZE}
        assert pages == {0, 2_800, 3_000}  # the first page, then the two under the last rows
        await pilot.press("pageup", "pageup", "home")
        await settle(pilot)
        assert teams.cursor_row == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)


async def test_team_filter_counts_n_of_m(scaled: Scaled) -> None:
    expected = scaled.core.list_teams(scaled.owner, "atlas pay", limit=1000)
    assert 0 < expected.total < TEAMS
    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "ATLAS PAY")
        await settle(pilot)
        assert f"{expected.total:,} of 3,001 teams" in screen_text(app)
        assert table_column(app, "#teams-table") == [team.name for team in expected.items]
        await pilot.press("down", "end")
        await settle(pilot)
        assert table(app, "#teams-table").current_row == expected.items[-1]
        await pilot.press("slash")  # selects the filter's text: typing replaces it
        await type_text(pilot, "zzz")
        await settle(pilot)
        assert "No team matches “zzz”." in screen_text(app)
        assert "0 of 3,001 teams" in screen_text(app)


async def test_team_list_keeps_the_selected_team_when_read_again(scaled: Scaled) -> None:
    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        teams = table(app, "#teams-table")
        teams.move_cursor(1_500)
        await settle(pilot)
        chosen = teams.current_row
        assert isinstance(chosen, TeamView)
        scaled.core.create_team(scaled.owner, "Aardvark Team")  # sorts before every other
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert teams.total == TEAMS + 2
        assert (teams.cursor_row, teams.current_row) == (1_501, chosen)


# -- a team's activity and resources ----------------------------------------------------------------


async def test_activity_reads_the_oldest_events_from_the_end(scaled: Scaled) -> None:
    core, owner, big = scaled.core, scaled.owner, scaled.big
    for n in range(450):
        core.describe_team(owner, big.id, f"take {n}")
    app = AuxotApp(core, owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_team(big)
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        events = table(app, "#activity-table")
        assert events.total == 450
        assert "450 events, newest first" in screen_text(app)
        assert table_column(app, "#activity-table", 3)[0] == big.name
        await pilot.press("end")
        await settle(pilot)
        oldest = core.list_audit(owner, team=big.id, limit=1000).items[-1]
        assert events.current_row == oldest and oldest.details["description"] == "take 0"


async def test_resources_filter_and_count(scaled: Scaled) -> None:
    core, owner, big = scaled.core, scaled.owner, scaled.big
    for n in range(240):
        core.create_resource(owner, "skill", f"Runbook {n:03d}", team=big.id)
    app = AuxotApp(core, owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_team(big)
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        resources = table(app, "#resources-table")
        assert resources.total == 240 and "240 resources" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert resources.current_row is not None
        assert resources.current_row.name == "Runbook 239"
        await pilot.press("slash")
        await type_text(pilot, "book 12")
        await settle(pilot)
        assert table_column(app, "#resources-table", 1) == [f"Runbook 12{n}" for n in range(10)]
        assert "10 of 240 resources" in screen_text(app)


# -- a large team's members ---------------------------------------------------------------------


async def open_big_team(pilot, scaled: Scaled) -> VirtualTable[object]:
    await settle(pilot)
    pilot.app.open_team(scaled.big)
    await settle(pilot)
    return table(pilot.app, "#members-table")


async def test_members_read_from_the_end_for_end(
    scaled: Scaled, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = calls(scaled.core, "list_members", monkeypatch)
    everyone = scaled.core.list_members(scaled.owner, scaled.big.id).items
    reads.clear()
    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        members = await open_big_team(pilot, scaled)
        assert members.total == BIG and "2,500 members" in screen_text(app)
        assert len(members.loaded_rows()) == PAGE_SIZE
        await pilot.press("end")
        await settle(pilot)
        assert members.current_row == everyone[-1]
        assert everyone[-1].email in screen_text(app)
        assert reads[-1]["from_end"] is True  # the last rows, read from the end of the order
        await pilot.press("pageup")
        await settle(pilot)
        view = members.scrollable_content_region.height - 1
        assert members.current_row == everyone[BIG - 1 - view]
        await pilot.press("home")
        await settle(pilot)
        assert members.current_row == everyone[0]


async def test_members_filter_counts_n_of_m(scaled: Scaled) -> None:
    core, owner, big = scaled.core, scaled.owner, scaled.big
    name = core.list_members(owner, big.id, limit=1).items[0].display_name.split()[-1]
    expected = core.list_members(owner, big.id, query=name, limit=1000)
    assert 0 < expected.total < BIG
    app = AuxotApp(core, owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_big_team(pilot, scaled)
        await pilot.press("slash")
        await type_text(pilot, name.upper())
        await settle(pilot)
        assert f"{expected.total:,} of 2,500 members" in screen_text(app)
        assert table_column(app, "#members-table", 1) == [m.email for m in expected.items]
        await pilot.press("escape")  # clears the filter and goes back to the list
        await settle(pilot)
        assert "2,500 members" in screen_text(app) and "of 2,500" not in screen_text(app)
        assert app.screen.focused is table(app, "#members-table")


async def test_role_change_shows_at_once_and_the_row_stays_selected(scaled: Scaled) -> None:
    core, owner, big = scaled.core, scaled.owner, scaled.big
    app = AuxotApp(core, owner)
    async with app.run_test(size=SIZE) as pilot:
        members = await open_big_team(pilot, scaled)
        await pilot.press("end")
        await settle(pilot)
        members.move_cursor(BIG - 40)
        await settle(pilot)
        chosen = members.current_row
        assert isinstance(chosen, MemberView) and chosen.role in ("member", "admin")
        target = "admin" if chosen.role == "member" else "member"
        await pilot.press("r")
        await pilot.press("up" if target == "admin" else "down", "enter")
        await settle(pilot)
        assert members.cursor_row == BIG - 40
        assert isinstance(members.current_row, MemberView)
        assert (members.current_row.email, members.current_row.role) == (chosen.email, target)
    found = core.list_members(owner, big.id, query=chosen.email).items
    assert [(m.email, m.role) for m in found] == [(chosen.email, target)]


async def test_tabs_are_mounted_when_first_shown_and_the_palette_still_reaches_them(
    scaled: Scaled,
) -> None:
    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_big_team(pilot, scaled)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        assert not screen.query("ResourcesTab, ActivityTab, TeamSettingsTab, KeysTab")
        rotate = next(c for c in screen.palette_commands() if c.label == "API keys: Revoke")
        await rotate.callback()  # the keys tab is mounted first; no key yet: nothing to revoke
        await settle(pilot)
        assert screen.query("KeysTab") and app.screen is screen
        rename = next(
            c for c in screen.palette_commands() if c.label == "Team settings: Rename team"
        )
        await rename.callback()
        await settle(pilot)
        assert screen.focused is screen.query_one("#settings-name")


GONE_WITHIN = 30  # seconds for a closed screen's last thread workers to return


async def test_closed_team_screens_are_freed(scaled: Scaled) -> None:
    """Widgets that watched the app (its theme, who you are) were kept alive by it, pages
    of members and all, for as long as the app ran: 2-3 MiB for every team opened."""
    import gc

    from textual.dom import DOMNode

    names = ("TeamScreen", "MembersTab", "InvitationsPanel", "KeysTab", "ActivityTab")
    names += ("ResourcesTab", "VirtualTable", "WorkspaceHeader")

    def alive() -> Counter[str]:
        gc.collect()
        return Counter(
            type(o).__name__
            for o in gc.get_objects()
            if isinstance(o, DOMNode) and type(o).__name__ in names
        )

    async def closed() -> Counter[str]:
        """What is alive once the last team screen has gone (its workers may take a while
        to return on a busy machine; a screen kept for good never goes)."""
        for _ in range(GONE_WITHIN * 10):
            now = alive()
            if not now["TeamScreen"]:
                return now
            await pilot.pause(0.1)
        return now

    app = AuxotApp(scaled.core, scaled.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        counts = []
        for _ in range(2):
            for tab in ("1", "2", "3", "5"):  # every tab mounted, then the screen closed
                await open_big_team(pilot, scaled)
                await pilot.press(tab)
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
            counts.append(await closed())
        # Four more teams opened and closed: no team screen is kept, and nothing grew. On a
        # busy machine one widget of a closing screen may wait for its last thread worker to
        # return: one node, where a screen kept for good keeps every kind listed above. (A CI
        # run at load 12 once still held a tab's widgets after 10 s: the wait is longer now.)
        for _ in range(GONE_WITHIN * 10):
            if counts[1].total() <= counts[0].total():
                break
            await pilot.pause(0.1)
            counts[1] = alive()
        assert counts[0]["TeamScreen"] == counts[1]["TeamScreen"] == 0, counts
        assert counts[1].total() <= counts[0].total() + 1, counts
