"""A table that draws only the rows in view and reads them a page at a time.

DataTable measures every cell it is given (seconds and tens of MiB for 100,000 rows), so
long lists use this Line-API widget instead. It knows only how many rows there are (for its
height and scrollbar); it asks its :class:`RowSource` for the pages under the viewport in a
thread worker, keeps a few pages, draws a placeholder for a row still on its way, and keeps
the cursor on the same row, by key, when the rows are read again.

Cells are ``Text``: user text is never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeAlias, TypeVar

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.bindings import NAVIGATE
from tui.widgets import table_messages
from tui.widgets.page_reading import PAGE_SIZE, PagedReading
from tui.widgets.row_source import RowSource, nearer_end
from tui.widgets.table import Column
from tui.widgets.table_lines import TableLines

T = TypeVar("T")

# Rows of each arriving page whose cells are measured for the column widths: enough to see
# the usual widths, few enough that a page costs a millisecond or two more.
MEASURED_ROWS = 50


class VirtualTable(PagedReading[T], ScrollView, can_focus=True):
    """Rows from a :class:`RowSource`, one line each, under a header of column labels."""

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--placeholder {
            color: $text-muted;
        }
        &:focus {
            background-tint: $foreground 4%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }

    BINDINGS: ClassVar = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up", group=NAVIGATE),
        Binding(
            "pagedown", "page_down", "Page down", show=False, id="table.page_down", group=NAVIGATE
        ),
        Binding("home", "first_row", "First row", show=False, id="table.first", group=NAVIGATE),
        Binding("end", "last_row", "Last row", show=False, id="table.last", group=NAVIGATE),
        Binding("enter", "select_cursor", "Select", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, init=False, always_update=True)

    # -- messages -------------------------------------------------------------------------

    # -- messages (in tui.widgets.table_messages) -----------------------------------------

    RowHighlighted: TypeAlias = table_messages.RowHighlighted
    RowSelected: TypeAlias = table_messages.RowSelected
    Loaded: TypeAlias = table_messages.Loaded
    ReadFailed: TypeAlias = table_messages.ReadFailed

    # -- state ----------------------------------------------------------------------------

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        page_size: int = PAGE_SIZE,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._columns = tuple(columns)
        self._init_reading(page_size)
        self._lines = TableLines(self._columns)
        # The widget's and its components' Rich styles: each costs a walk up the DOM, and a
        # frame draws every visible line. Forgotten on every style update (theme, focus).
        self._styles: dict[str, Style] = {}

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, (self._total or 1) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.RowHighlighted(self, new, self.row_at(new)))
        self._request_rows()

    def move_cursor(self, row: int) -> None:
        self.cursor_row = row

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the arrived row named ``key``; whether there is one."""
        if self._source is None:
            return False
        for index in range(self._total or 0):
            row = self.row_at(index)
            if row is not None and self._source.key(row) == key:
                self.cursor_row = index
                return True
        return False

    def _scroll_to_cursor(self) -> None:
        rows = self._rows_in_view()
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + rows:
            self.scroll_to(y=self.cursor_row - rows + 1, animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_rows()

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        step = self._rows_in_view()
        self.scroll_to(y=max(0, int(self.scroll_y) - step), animate=False)
        self.cursor_row -= step

    def action_page_down(self) -> None:
        step = self._rows_in_view()
        self.scroll_to(y=int(self.scroll_y) + step, animate=False)
        self.cursor_row += step

    def action_first_row(self) -> None:
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.cursor_row = (self._total or 1) - 1

    def action_select_cursor(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1 or self._total is None:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index >= self._total:
            return
        if index == self.cursor_row or event.chain > 1:
            self.cursor_row = index
            self.action_select_cursor()
        else:
            self.cursor_row = index

    def on_resize(self) -> None:
        self._scroll_to_cursor()
        self._request_rows()

    def on_show(self) -> None:
        self._request_rows()

    def on_mount(self) -> None:
        super().on_mount()
        # The owners' cells take colours from the theme. A signal, unsubscribed on unmount:
        # watching the app's theme reactive instead kept every closed table alive.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw())
        self._request_rows()

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    # -- drawing --------------------------------------------------------------------------

    def _store(self, index: int, rows: list[T]) -> None:
        super()._store(index, rows)
        source = self._source
        if source is not None and self._lines.measure(
            source.cells(row) for row in rows[:MEASURED_ROWS]
        ):
            self.refresh()

    def redraw(self) -> None:
        """Draw every row again (the cells' colours follow the theme)."""
        self._lines.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._styles.clear()

    def _style(self, component: str = "") -> Style:
        """The widget's Rich style (``component`` empty) or a component's, remembered until
        the next style update."""
        style = self._styles.get(component)
        if style is None:
            style = self.get_component_rich_style(component) if component else self.rich_style
            self._styles[component] = style
        return style

    @property
    def column_widths(self) -> tuple[int, ...]:
        """The width of each column's text (each has a space either side) at this size."""
        return self._lines.column_widths(self.scrollable_content_region.width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style()
        lines, console = self._lines, self.app.console
        if y == 0:
            header = self._style("virtual-table--header")
            return lines.cached(
                ("header", width, base, header),
                lambda: lines.header(width, base, header, console),
            )
        index = int(self.scroll_y) + y - 1
        total = self._total or 0
        if index >= total:
            return Strip.blank(width, base)
        cursor = index == self.cursor_row
        style = self._style("virtual-table--cursor") if cursor else None
        page, offset = divmod(index, self._page_size)
        stored = self._pages.get(page) or self._stale.get(page)
        if stored is None or offset >= len(stored.rows) or self._source is None:
            muted = self._style("virtual-table--placeholder")
            key = ("placeholder", width, base, style, muted)
            return lines.cached(key, lambda: lines.placeholder(width, base, muted, style, console))
        row = stored.rows[offset]
        source = self._source
        key = ("row", stored.serial, offset, width, base, style)
        return lines.cached(
            key, lambda: lines.line(source.cells(row), width, base, None, style, console)
        )


__all__ = ["PAGE_SIZE", "RowSource", "VirtualTable", "nearer_end"]
