"""What a :class:`~tui.widgets.virtual_table.VirtualTable` tells its owner. Handlers are
named as for messages nested in the table (``on_virtual_table_row_highlighted``), and the
table re-exports each (``VirtualTable.RowHighlighted``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from core.views import Page
    from tui.widgets.page_reading import PagedReading


class TableMessage(Message):
    """A message about one table, which is its ``control`` (for ``@on(..., "#id")``)."""

    def __init__(self, table: PagedReading[Any]) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> PagedReading[Any]:
        return self.table


class RowHighlighted(TableMessage, namespace="virtual_table"):
    """The cursor moved, or the row under it arrived or changed. ``row`` is None while
    that row is still being read."""

    def __init__(self, table: PagedReading[Any], index: int, row: object | None) -> None:
        super().__init__(table)
        self.index = index
        self.row = row


class RowSelected(TableMessage, namespace="virtual_table"):
    """Enter (or a click on the highlighted row) on a row that has arrived."""

    def __init__(self, table: PagedReading[Any], index: int, row: object) -> None:
        super().__init__(table)
        self.index = index
        self.row = row


class Loaded(TableMessage, namespace="virtual_table"):
    """A read of the source answered for the first time, or the total changed."""

    def __init__(self, table: PagedReading[Any], total: int) -> None:
        super().__init__(table)
        self.total = total


class ReadFailed(TableMessage, namespace="virtual_table"):
    """Reading a page failed (the rows stay as they were). Unlike a worker's state change
    this bubbles, so the screen's one error handler hears of it."""

    def __init__(self, table: PagedReading[Any], error: BaseException) -> None:
        super().__init__(table)
        self.error = error


class PageArrived(Message, namespace="virtual_table"):
    """A page the table asked for, from its reading thread (handled by the table itself)."""

    def __init__(self, generation: int, index: int, page: Page[Any]) -> None:
        super().__init__()
        self.generation = generation
        self.index = index
        self.page = page


__all__ = ["Loaded", "PageArrived", "ReadFailed", "RowHighlighted", "RowSelected"]
