"""Full garbage collections wait for a quiet moment while an app runs (tui.collector)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from textual._styles_cache import StylesCache

from tests.tui.conftest import Workspace
from tui.app import AuxotApp
from tui.collector import QuietCollector
from tui.screens.team_list import TeamListScreen
from tui.team.screen import TeamScreen

from .helpers import settle


class Timers:
    """Stands in for an app's set_interval: the tick is called by the test."""

    def __init__(self) -> None:
        self.intervals: list[float] = []

    def set_interval(self, interval: float, callback: object) -> object:
        self.intervals.append(interval)
        return None


@pytest.fixture
def threshold() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)
    gc.unfreeze()


def make_due() -> None:
    """As many young collections as make a full one due."""
    gc.collect(2)
    for _ in range(10):
        gc.collect(1)


def test_start_holds_full_collections_and_stop_gives_them_back(threshold) -> None:
    collector = QuietCollector()
    collector.start(Timers())
    young, middle, oldest = gc.get_threshold()
    assert (young, middle) == threshold[:2]
    assert oldest > 10**6  # the process no longer starts a full collection by itself
    assert gc.get_freeze_count() > 0  # what was loaded is out of the collector's reach
    collector.stop()
    assert gc.get_threshold() == threshold


def test_the_setting_is_given_back_when_the_last_app_stops(threshold) -> None:
    first, second = QuietCollector(), QuietCollector()
    first.start(Timers())
    second.start(Timers())
    first.stop()
    assert gc.get_threshold() != threshold  # the second app still runs
    second.stop()
    assert gc.get_threshold() == threshold
    second.stop()  # stopping twice changes nothing
    assert gc.get_threshold() == threshold


def test_a_due_collection_waits_while_the_user_is_active(threshold) -> None:
    collector = QuietCollector(quiet=60.0, longest=60.0)
    collector.start(Timers())
    make_due()
    collector.touched()
    assert not collector.tick()
    assert gc.get_count()[2] >= 10
    collector.stop()


def test_a_due_collection_runs_when_the_user_is_quiet(threshold) -> None:
    collector = QuietCollector(quiet=0.0, longest=60.0)
    collector.start(Timers())
    make_due()
    assert collector.tick()
    assert gc.get_count()[2] == 0
    assert collector.collections == 1
    collector.stop()


def test_an_overdue_collection_runs_even_while_the_user_is_active(threshold) -> None:
    collector = QuietCollector(quiet=60.0, longest=0.0)
    collector.start(Timers())
    make_due()
    collector.touched()
    assert collector.tick()
    collector.stop()


def test_nothing_is_collected_before_it_is_due(threshold) -> None:
    collector = QuietCollector(quiet=0.0, longest=0.0)
    collector.start(Timers())
    gc.collect(2)
    assert not collector.tick()
    assert collector.collections == 0
    collector.stop()
    assert not collector.tick()  # nor once stopped


async def test_the_app_collects_when_quiet_and_gives_the_setting_back(
    core, ws: Workspace, threshold
) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        assert app.collector.running
        assert gc.get_threshold()[2] > 10**6
        make_due()
        await pilot.press("down")
        assert app.collector.quiet_for() < 0.2  # a key press is the user doing something
        await pilot.pause(0.5)  # a few of the collector's ticks, quiet after the first
        assert app.collector.quiet_for() >= 0.5
        assert app.collector.collections >= 1
    assert not app.collector.running
    assert gc.get_threshold() == threshold


class WorkerThreads:
    """The event loop's executor, where thread workers run, replaceable by a fresh one.

    A thread worker notes itself in a context variable of the executor thread it runs on
    (Textual's ``active_worker``), and the last one stays there, with the widget it belongs
    to, until that thread runs another worker: up to one closed screen's pane per idle
    thread, depending on which thread happened to run what. That is not the collector's
    business, so the test retires those threads before it counts."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor()
        asyncio.get_running_loop().set_default_executor(self.executor)

    def retire(self) -> None:
        """Workers from now on run on new threads; the old ones end (none is busy)."""
        old, self.executor = self.executor, ThreadPoolExecutor()
        asyncio.get_running_loop().set_default_executor(self.executor)
        old.shutdown(wait=True)


async def test_closed_screens_leave_no_drawn_lines_behind(core, ws: Workspace, threshold) -> None:
    """Textual's cache of inner and outer backgrounds keeps the line caches of widgets that
    are gone; the collector lets go of them."""
    app = AuxotApp(core, ws.owner)
    threads = WorkerThreads()

    def line_caches() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is StylesCache)

    async def visit() -> None:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await visit()
        threads.retire()
        make_due()
        app.collector.quiet = 0.0
        assert app.collector.tick()
        before = line_caches()
        for _ in range(3):
            await visit()
        threads.retire()
        make_due()
        assert app.collector.tick()
        assert line_caches() <= before + 5  # each visit made about 40 of them
