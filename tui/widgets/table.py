"""A DataTable that holds one page of rows and fits its columns to the width it gets.

DataTable measures every cell it holds, so callers give it one page (≤ 100 rows) and page
with core's offset/limit. Cells are ``Text``: user text is never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import JustifyMethod
from rich.text import Text
from textual import events
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist, RowKey


def theme_color(widget: MessagePump, name: str, fallback: str) -> str:
    """A colour of the current theme for a Rich style (cells cannot use tcss variables)."""
    value = widget.app.theme_variables.get(name, "")
    return value if value.startswith("#") else fallback


# Room kept for the vertical scrollbar, so a long page does not push the last column out.
_SCROLLBAR = 2


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None  # a fixed width; None shares what the fixed columns leave
    min_width: int = 8
    justify: JustifyMethod = "left"
    weight: int = 1  # a flexible column's share of the spare width


def fit_column_widths(
    columns: Sequence[Column], spare: int, wants: Sequence[int] | None = None
) -> tuple[int, ...]:
    """Each column's width when ``spare`` cells are left for the text of all of them: fixed
    columns keep theirs, flexible ones share the rest by weight (never under their minimum).

    With ``wants`` (the widest text seen in each column) the share follows the content: a
    column whose text is short gives what it does not need to the others, and width left
    once every text fits goes to the heaviest column (a description, not the names)."""
    if wants is not None:
        return _fit_to_content(columns, spare, wants)
    fixed = sum(spec.width or 0 for spec in columns)
    weights = sum(spec.weight for spec in columns if spec.width is None) or 1
    spare = max(0, spare - fixed)
    widths = []
    left = spare
    for spec in columns:
        if spec.width is not None:
            widths.append(spec.width)
        else:
            share = spare * spec.weight // weights
            widths.append(max(spec.min_width, share))
            left -= share
    # Give the rounding remainder to the first flexible column.
    for index, spec in enumerate(columns):
        if spec.width is None:
            widths[index] += max(0, left)
            break
    return tuple(widths)


def _fit_to_content(columns: Sequence[Column], spare: int, wants: Sequence[int]) -> tuple[int, ...]:
    widths = [spec.width if spec.width is not None else spec.min_width for spec in columns]
    flexible = [i for i, spec in enumerate(columns) if spec.width is None]
    left = max(0, spare - sum(widths))
    # Fill the columns whose text does not fit yet, by weight, until each fits or none is left.
    hungry = [i for i in flexible if wants[i] > widths[i]]
    while left > 0 and hungry:
        weights = sum(columns[i].weight for i in hungry)
        given = 0
        for i in hungry:
            share = max(1, left * columns[i].weight // weights)
            step = min(share, wants[i] - widths[i], left - given)
            widths[i] += step
            given += step
        left -= given
        hungry = [i for i in hungry if wants[i] > widths[i]]
        if not given:
            break
    # What is left once every text fits goes to the heaviest column (the description, the
    # body, the email), so short names keep their columns short at any width.
    if left > 0 and flexible:
        widths[max(flexible, key=lambda i: columns[i].weight)] += left
    return tuple(widths)


class ResponsiveTable(DataTable[Text]):
    """One page of rows; PageDown on the last row (PageUp on the first) asks for the next
    (previous) page with :class:`PageRequested`."""

    class PageRequested(Message):
        def __init__(self, table: ResponsiveTable, step: int) -> None:
            super().__init__()
            self.table = table
            self.step = step

        @property
        def control(self) -> ResponsiveTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._specs = tuple(columns)
        self._rows: list[tuple[str, tuple[Text, ...]]] = []
        self._widths: tuple[int, ...] = ()

    # -- rows ---------------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[tuple[str, Sequence[Text]]], *, keep_cursor: bool = True
    ) -> None:
        """Show these rows (key, cells), keeping the cursor on the same key when it is still
        there."""
        current = self.current_key if keep_cursor else None
        self._rows = [(key, tuple(cells)) for key, cells in rows]
        self._rebuild(current)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:  # the cursor sits outside the rows while they are replaced
            return None
        return str(key.value) if key.value is not None else None

    def move_to_key(self, key: str) -> None:
        try:
            self.move_cursor(row=self.get_row_index(RowKey(key)))
        except RowDoesNotExist:  # the row left with the last reload: the cursor stays put
            return

    # -- layout -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._fit_widths(event.size.width) != self._widths:
            self._rebuild(self.current_key)

    def on_mount(self) -> None:
        self._rebuild(None)

    def _fit_widths(self, total: int) -> tuple[int, ...]:
        padding = 2 * self.cell_padding * len(self._specs)
        return fit_column_widths(self._specs, (total or 80) - padding - _SCROLLBAR)

    def _rebuild(self, key: str | None) -> None:
        self._widths = self._fit_widths(self.size.width)
        self.clear(columns=True)
        for spec, width in zip(self._specs, self._widths, strict=True):
            self.add_column(Text(spec.label, justify=spec.justify), width=width, key=spec.key)
        for row_key, cells in self._rows:
            self.add_row(*cells, key=row_key)
        if key is not None:
            self.move_to_key(key)

    # -- paging at the edges -------------------------------------------------------------

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageRequested(self, +1))
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.PageRequested(self, -1))
            return
        super().action_page_up()
