"""A one-line filter over a list in a tab: the list asks core again as you type.

It stays out of sight until ``/`` opens it, so a tab's toolbar keeps its room at 80
columns; it stays open while it holds text, so the list never looks unfiltered when it is
not."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from core.validation import FILTER_MAX
from tui.bindings import NAVIGATE


class FilterInput(Input):
    """A filter over a list: Down or Enter goes to the list; Escape clears the text and goes
    to the list too, so the next key is a shortcut again rather than more filter text."""

    BINDINGS: ClassVar = [
        Binding("down", "leave", "To the list", show=False, id="filter.leave", group=NAVIGATE),
        Binding("escape", "clear", "Clear filter", id="filter.clear", group=NAVIGATE),
    ]

    def __init__(
        self, target: str, placeholder: str, *, id: str | None = None, compact: bool = True
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=compact, max_length=FILTER_MAX)
        self.target = target  # the selector of the list it filters

    def action_leave(self) -> None:
        self.screen.query_one(self.target).focus()

    def action_clear(self) -> None:
        self.value = ""
        self.action_leave()

    async def action_submit(self) -> None:
        await super().action_submit()
        self.action_leave()


class ListFilter(FilterInput):
    """A tab's filter, out of sight until ``/`` opens it."""

    DEFAULT_CSS = """
    ListFilter {
        width: 1fr;
        margin: 0;
    }
    """

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        """Show the filter and put the cursor in it."""
        self.display = True
        self.focus()

    def on_blur(self, _event: events.Blur) -> None:
        if not self.value:
            self.display = False
