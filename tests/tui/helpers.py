"""Small helpers for driving the app in Pilot tests."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerState

from tui.widgets.virtual_table import VirtualTable

# Generous: two full runs of the suite side by side on two CPUs. Reaching it is a failure
# that says what was still awaited, never a pause that hopes the app got there.
SETTLE_DEADLINE = 60.0  # seconds
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(
    pilot: Pilot[None], until: str | None = None, *, deadline: float = SETTLE_DEADLINE
) -> None:
    """Wait for a settled screen: every message handled, no worker pending or running and,
    when given, the text ``until`` where a person sees it. That must hold twice in a row,
    because a worker's answer can start another worker or mount a pane."""
    await wait_until(
        pilot,
        lambda: until is None or until in screen_text(pilot.app),
        deadline=deadline,
        awaiting=f"{until!r} on screen" if until is not None else "a settled screen",
    )


async def wait_until(
    pilot: Pilot[None],
    condition: Callable[[], object],
    *,
    deadline: float = SETTLE_DEADLINE,
    awaiting: str = "the condition",
) -> None:
    """Pause until no worker is pending or running and ``condition()`` holds, twice in a
    row; fail after ``deadline`` seconds naming what was awaited, the workers still busy and
    the screen's text."""
    app = pilot.app
    end = time.monotonic() + deadline
    calm = 0
    while calm < 2:
        await pilot.pause()
        if app._exit:
            return  # an app on its way out paints and starts nothing more
        busy = busy_workers(app) + unpainted_screens(app)
        if not busy and condition():
            calm += 1
            continue
        calm = 0
        if time.monotonic() > end:
            raise AssertionError(
                f"waited {deadline:.0f} s for {awaiting}; still busy: {busy or 'nothing'};"
                f" the screen ({type(app.screen).__name__}) reads:\n{screen_text(app)}"
            )
        # Give thread workers the interpreter rather than spinning on the event loop.
        await asyncio.sleep(0.01)


def busy_workers(app: App[Any]) -> list[str]:
    """The workers of ``app`` not yet done, by group and name."""
    return [f"{w.group}/{w.name}" for w in app.workers if w.state in _BUSY]


def unpainted_screens(app: App[Any]) -> list[str]:
    """The top screen, when it has changes not yet painted or callbacks waiting for a paint.
    (Screens under a modal: see :func:`paint_screens_under_modal`.)"""
    screen = app.screen
    pending = (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    )
    return [f"{type(screen).__name__} (not painted yet)"] if pending else []


def paint_screens_under_modal(app: App[Any]) -> None:
    """Paint the screens a translucent modal shows, as their update timer would.

    A screen under a modal repaints on its own timer, which Textual starts when the screen
    goes idle with changes to paint; a change made after its last idle (the keys list
    reloading behind the key reveal dialog) can wait for an unrelated event before it shows.
    Seen in the key reveal snapshots, where the list behind the dialog stayed at the old key
    for up to a minute, until the outbox's retry timer woke the app."""
    for below, screen in enumerate(reversed(app.screen_stack)):
        if below:
            screen._on_timer_update()
        if screen.styles.background.a == 1:
            break


def wait_for(selector: str):
    """A ``script`` step: wait, as :func:`settle` does, until ``selector`` matches on the
    current screen (the API keys tab is added once a worker has said the user may see it)."""

    async def step(pilot: Pilot[None]) -> None:
        await wait_until(
            pilot, lambda: pilot.app.screen.query(selector), awaiting=f"{selector} to appear"
        )

    return step


def shows(text: str):
    """A ``script`` step: wait, as :func:`settle` does, until ``text`` is on screen."""

    async def step(pilot: Pilot[None]) -> None:
        await settle(pilot, text)

    return step


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[_key(ch) for ch in text])


def _key(ch: str) -> str:
    return {
        " ": "space",
        "[": "left_square_bracket",
        "]": "right_square_bracket",
        "/": "slash",
    }.get(ch, ch)


def screen_text(app: App[Any]) -> str:
    """What a person sees: the screenshot's text, without SVG markup."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape("".join(texts)).replace("\xa0", " ")


def static_text(app: App[Any]) -> str:
    """The plain text of every Static on the current screen, unwrapped."""
    from textual.widgets import Static

    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def table_column(app: App[Any], selector: str, column: int = 0) -> list[str]:
    """The text of one column of a table, every row (of a virtual table: every row that has
    arrived from the top)."""
    table = app.screen.query_one(selector)
    if isinstance(table, VirtualTable):
        source = table.source
        if source is None:
            return []
        return [source.cells(row)[column].plain for row in table.loaded_rows()]
    assert isinstance(table, DataTable)
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


def notifications(app: App[Any]) -> list[str]:
    return [notification.message for notification in app._notifications]


async def move_to(pilot: Pilot[None], selector: str, text: str, column: int = 0) -> None:
    """Put the cursor of the table ``selector`` on the row whose ``column`` reads ``text``."""
    rows = table_column(pilot.app, selector, column)
    index = next(i for i, value in enumerate(rows) if value.startswith(text))
    table = pilot.app.screen.query_one(selector)
    if isinstance(table, VirtualTable):
        table.move_cursor(index)
    else:
        assert isinstance(table, DataTable)
        table.move_cursor(row=index)
    await pilot.pause()


def freeze_cursors(app: App[Any]) -> None:
    """Stop blinking cursors so a snapshot does not depend on when it is taken."""
    from textual.widgets import Input, TextArea

    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False


def script(*steps: object):
    """A ``run_before`` for snap_compare: wait for a settled app, then take each step (a key,
    ``"text:..."`` to type, or a callable taking the pilot such as :func:`shows`), settling
    after each one; cursors frozen at the end."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for step in steps:
            if callable(step):
                result = step(pilot)
                if hasattr(result, "__await__"):
                    await result
            elif isinstance(step, str) and step.startswith("text:"):
                await type_text(pilot, step[5:])
            else:
                await pilot.press(str(step))
            await settle(pilot)
        freeze_cursors(pilot.app)
        paint_screens_under_modal(pilot.app)
        await settle(pilot)

    return run
