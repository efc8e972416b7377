"""A one-line filter for a list in a tab's toolbar: the list asks core again as you type."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.widgets import Input

from tui.bindings import NAVIGATE


class ListFilter(Input):
    """Down or Enter goes to the list; Escape clears the text, or (empty) goes to the list."""

    DEFAULT_CSS = """
    ListFilter {
        width: 26;
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar = [
        Binding("down", "leave", "To the list", show=False, id="filter.leave", group=NAVIGATE),
        Binding("escape", "clear", "Clear filter", id="filter.clear", group=NAVIGATE),
    ]

    def __init__(self, target: str, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.target = target  # the selector of the list it filters

    def action_leave(self) -> None:
        self.screen.query_one(self.target).focus()

    def action_clear(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.action_leave()

    async def action_submit(self) -> None:
        await super().action_submit()
        self.action_leave()
