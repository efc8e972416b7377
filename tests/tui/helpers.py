"""Small helpers for driving the app in Pilot tests."""

from __future__ import annotations

import html
import re

from textual.pilot import Pilot
from textual.widgets import DataTable

from tui.app import AuxotApp
from tui.widgets.virtual_table import VirtualTable


async def settle(pilot: Pilot[None], rounds: int = 4) -> None:
    """Let workers finish and their results land; a result may start another worker."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def wait_for(selector: str, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    """A step that waits until ``selector`` matches on the current screen: panes added after
    a worker's answer (the API keys tab) can lag behind settle() on a loaded machine."""

    async def step(pilot: Pilot[None]) -> None:
        for _ in range(int(timeout / 0.05)):
            if pilot.app.screen.query(selector):
                return
            await pilot.pause(0.05)
        raise AssertionError(f"{selector} never appeared")

    return step


async def wait_until(pilot: Pilot[None], condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Pause until ``condition()`` holds: what follows a mount (the focus moving into a tab
    shown for the first time) can lag behind settle() on a loaded machine."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[_key(ch) for ch in text])


def _key(ch: str) -> str:
    return {
        " ": "space",
        "[": "left_square_bracket",
        "]": "right_square_bracket",
        "/": "slash",
    }.get(ch, ch)


def screen_text(app: AuxotApp) -> str:
    """What a person sees: the screenshot's text, without SVG markup."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape("".join(texts)).replace("\xa0", " ")


def static_text(app: AuxotApp) -> str:
    """The plain text of every Static on the current screen, unwrapped."""
    from textual.widgets import Static

    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def table_column(app: AuxotApp, selector: str, column: int = 0) -> list[str]:
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


def notifications(app: AuxotApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def move_to(pilot: Pilot[None], selector: str, text: str, column: int = 0) -> None:
    """Put the cursor of the table ``selector`` on the row whose ``column`` reads ``text``."""
    rows = table_column(pilot.app, selector, column)  # type: ignore[arg-type]
    index = next(i for i, value in enumerate(rows) if value.startswith(text))
    table = pilot.app.screen.query_one(selector)
    if isinstance(table, VirtualTable):
        table.move_cursor(index)
    else:
        assert isinstance(table, DataTable)
        table.move_cursor(row=index)
    await pilot.pause()


def freeze_cursors(app: AuxotApp) -> None:
    """Stop blinking cursors so a snapshot does not depend on when it is taken."""
    from textual.widgets import Input, TextArea

    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False


def script(*steps: object):  # type: ignore[no-untyped-def]
    """A ``run_before`` for snap_compare: wait for the app, then each step (a key, ``"wait"``
    for the debounce, ``"text:..."`` to type, or a callable taking the pilot), settling
    after each one; cursors frozen at the end."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for step in steps:
            if callable(step):
                result = step(pilot)
                if hasattr(result, "__await__"):
                    await result
            elif step == "wait":
                await pilot.pause(0.3)
            elif isinstance(step, str) and step.startswith("text:"):
                await type_text(pilot, step[5:])
            else:
                await pilot.press(str(step))
            await settle(pilot)
        freeze_cursors(pilot.app)  # type: ignore[arg-type]
        await pilot.pause()

    return run
