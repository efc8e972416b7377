"""What the UI benchmark times, each run in a child process of its own: the floor (a minimal
Textual app), the app's start, and the scenario on a large workspace (filter keystrokes,
opening the big team, End there, role changes)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from _measure import peak_mib
from ui_frames import Frames, press, reaction, settle_frames, timed, until

OWNER = "owner@seed.example.com"  # core.seeding.SEED_OWNER_EMAIL, without importing core here
SIZE = (120, 36)


def run_floor(pushes: int = 5) -> dict[str, Any]:
    """The floor: a Header, a 50-row DataTable and a Footer; when its first frame is up.
    Then the same pushed as a screen ``pushes`` times: a key to the frame with its rows."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header

    def widgets() -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def fill(table: DataTable[str]) -> None:
        table.add_columns("Name", "Description", "Members", "Your role")
        for n in range(50):
            table.add_row(f"Team {n:02d}", "A team of the floor app", str(n), "Owner")

    class Pushed(Screen[None]):
        BINDINGS: ClassVar = [("escape", "app.pop_screen", "Back")]

        def compose(self) -> ComposeResult:
            return widgets()

        def on_mount(self) -> None:
            fill(self.query_one(DataTable))

    class Floor(App[None]):
        BINDINGS: ClassVar = [("o", "open", "Open")]

        def compose(self) -> ComposeResult:
            return widgets()

        def on_mount(self) -> None:
            fill(self.query_one(DataTable))

        def action_open(self) -> None:
            self.push_screen(Pushed())

    async def main() -> dict[str, Any]:
        app = Floor()
        frames = Frames(app)
        pushed: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            table = app.query_one(DataTable)
            await until(lambda: table.row_count == 50)
            frame = await frames.next(0)
            for _ in range(pushes):
                await reaction(pilot)

                def shown() -> bool:
                    if not isinstance(app.screen, Pushed):
                        return False
                    tables = app.screen.query(DataTable)
                    return bool(tables) and tables.first().row_count == 50

                pushed.append(await timed(frames, partial(press, app, "o"), shown))
                await reaction(pilot)
                await pilot.press("escape")
                await until(lambda: not isinstance(app.screen, Pushed))
                await settle_frames(pilot)
        return {"frame": frame, "memory": peak_mib(), "pushed": pushed}

    return asyncio.run(main())


def build_app(url: str):
    """The app as `auxot --db URL --user OWNER tui` runs it (without its terminal check):
    it connects (settings, database, account) in a worker behind its first frame."""
    from functools import partial

    from cli.commands.app import connect
    from cli.context import Context
    from cli.main import build_parser
    from tui.app import AuxotApp

    ctx = Context(build_parser().parse_args(["--db", url, "--user", OWNER, "tui"]))
    return AuxotApp.connecting(partial(connect, ctx))


def run_start(url: str) -> dict[str, Any]:
    """Start the app: when the team list's first frame is up, and when its first rows are."""

    async def main() -> dict[str, Any]:
        from tui.screens.team_list import TeamListScreen, TeamTable

        app = build_app(url)
        frames = Frames(app)

        def rows_shown() -> bool:
            screen = app.screen
            return isinstance(screen, TeamListScreen) and (
                screen.query_one(TeamTable).row_at(0) is not None
            )

        frames.watch(rows_shown)
        async with app.run_test(size=SIZE):
            rows = await frames.first_showing()
        return {"frame": frames.first_of("TeamListScreen"), "rows": rows, "memory": peak_mib()}

    return asyncio.run(main())


def run_scenario(url: str, runs: int) -> dict[str, Any]:
    """Filter keystrokes, opening the big team, End there, role changes; peak memory."""

    async def main() -> dict[str, Any]:
        from tui.dialogs.role_picker import RolePickerModal
        from tui.screens.team_list import TeamListScreen, TeamTable
        from tui.team.screen import TeamScreen
        from tui.widgets.virtual_table import VirtualTable

        app = build_app(url)
        frames = Frames(app)
        out: dict[str, list[float]] = {
            "filter": [],
            "open_team": [],
            "end_key": [],
            "role_change": [],
        }
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: isinstance(app.screen, TeamListScreen))
            teams = app.screen.query_one(TeamTable)
            await until(lambda: teams.total is not None and not teams.reading)

            def answered(table: VirtualTable[Any], generation: int) -> Callable[[], bool]:
                return lambda: table._generation > generation and not table.reading

            # Filter keystrokes: a word at a time, each key timed to the list it brings.
            words = ["atlas", "pay", "orbit sec", "zeph", "delta 0", "nimbus"]
            await pilot.press("slash")
            while len(out["filter"]) < runs * 2:
                for word in words:
                    for char in word:
                        key = "space" if char == " " else char
                        done = answered(teams, teams._generation)
                        typed = partial(press, app, key)
                        out["filter"].append(await timed(frames, typed, done))
                    done = answered(teams, teams._generation)
                    await timed(frames, lambda: press(app, "escape"), done)  # clear it
            done = answered(teams, teams._generation)
            for key in "all hands":
                press(app, "space" if key == " " else key)
            await until(lambda: teams.total == 1 and done())
            await pilot.press("down")  # to the list, on the one team

            def members() -> VirtualTable[Any] | None:
                if not isinstance(app.screen, TeamScreen):
                    return None
                found = app.screen.query("#members-table")
                table = found.first() if found else None
                return table if isinstance(table, VirtualTable) else None

            def rows_in_view(table: VirtualTable[Any] | None) -> bool:
                if table is None or table.total is None or table.reading:
                    return False
                top = int(table.scroll_y)
                bottom = min(table.total - 1, top + table.scrollable_content_region.height - 2)
                return table.row_at(top) is not None and table.row_at(bottom) is not None

            async def visit() -> None:
                """Open the big team, End, change a role near the end; back to the list."""
                out["open_team"].append(
                    await timed(
                        frames, partial(press, app, "enter"), lambda: rows_in_view(members())
                    )
                )
                table = members()
                assert table is not None and table.total is not None
                last = table.total - 1
                await reaction(pilot)
                out["end_key"].append(
                    await timed(
                        frames,
                        partial(press, app, "end"),
                        lambda: table.cursor_row == last and rows_in_view(table),
                    )
                )
                # A member near the end, member <-> admin on every run.
                table.move_cursor(last - 4)
                await until(lambda: table.current_row is not None)
                await pilot.press("r")
                await until(lambda: isinstance(app.screen, RolePickerModal))
                await pilot.pause()
                chosen = table.current_row
                assert chosen is not None
                target = "admin" if chosen.role == "member" else "member"
                await pilot.press("up" if target == "admin" else "down")
                await reaction(pilot)
                out["role_change"].append(
                    await timed(
                        frames,
                        partial(press, app, "enter"),
                        lambda: getattr(table.current_row, "role", None) == target,
                    )
                )
                await pilot.pause()

            for _ in range(runs):
                await visit()
                await pilot.press("escape")
                await until(lambda: isinstance(app.screen, TeamListScreen) and not teams.reading)
                await pilot.pause()
        return {**out, "memory": peak_mib()}

    return asyncio.run(main())
