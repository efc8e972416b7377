"""A table that draws only the rows in view and reads them a page at a time.

DataTable measures every cell it is given (seconds and tens of MiB for 100,000 rows), so
long lists use this Line-API widget instead. It knows only how many rows there are (for its
height and scrollbar); it asks its :class:`RowSource` for the pages under the viewport in a
thread worker, keeps a few pages, draws a placeholder for a row still on its way, and keeps
the cursor on the same row, by key, when the rows are read again.

Cells are ``Text``: user text is never read as markup."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.bindings import NAVIGATE
from tui.widgets.table import Column, fit_column_widths

if TYPE_CHECKING:
    from core.views import Page

T = TypeVar("T")

PAGE_SIZE = 200
CACHED_PAGES = 8  # pages kept besides those in view: 1,600 rows
MAX_IN_FLIGHT = 2  # page reads at once; later wishes wait and are folded into one
# Drawn lines kept for redrawing: a few screens' worth. A line is a Strip with its own small
# caches, about 2.5 KB; 2,000 of them held 5 MiB per list.
CACHED_STRIPS = 400


@dataclass(frozen=True)
class RowSource(Generic[T]):
    """Where a :class:`VirtualTable`'s rows come from.

    ``fetch(offset, limit, total)`` runs in a thread worker and returns core's Page for
    those rows; ``total`` is the row count as last read (None the first time), so a source
    may read the far end of a long list from its end. ``key`` names a row across reads;
    ``cells`` draws it, on the UI thread, one ``Text`` per column."""

    fetch: Callable[[int, int, int | None], Page[T]]
    key: Callable[[T], str]
    cells: Callable[[T], Sequence[Text]]


def nearer_end(offset: int, limit: int, total: int | None) -> tuple[int, int, bool]:
    """How to ask a source that reads from either end (core's ``from_end``) for the rows
    ``offset`` to ``offset + limit``: (offset, limit, from_end). Rows past the middle of a
    long list are read from its far end, so End costs what Home does."""
    if total is None or offset >= total or offset + limit // 2 < total // 2:
        return offset, limit, False
    return max(0, total - offset - limit), min(limit, total - offset), True


@dataclass
class _Stored(Generic[T]):
    rows: list[T]
    serial: int  # tells the render cache that the rows changed


class VirtualTable(ScrollView, Generic[T], can_focus=True):
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

    class RowHighlighted(Message):
        """The cursor moved, or the row under it arrived or changed. ``row`` is None while
        that row is still being read."""

        def __init__(self, table: VirtualTable[object], index: int, row: object | None) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class RowSelected(Message):
        """Enter (or a click on the highlighted row) on a row that has arrived."""

        def __init__(self, table: VirtualTable[object], index: int, row: object) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class Loaded(Message):
        """A read of the source answered for the first time, or the total changed."""

        def __init__(self, table: VirtualTable[object], total: int) -> None:
            super().__init__()
            self.table = table
            self.total = total

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class ReadFailed(Message):
        """Reading a page failed (the rows stay as they were). Unlike a worker's state change
        this bubbles, so the screen's one error handler hears of it."""

        def __init__(self, table: VirtualTable[object], error: BaseException) -> None:
            super().__init__()
            self.table = table
            self.error = error

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class _PageArrived(Message):
        def __init__(self, generation: int, index: int, page: Page[object]) -> None:
            super().__init__()
            self.generation = generation
            self.index = index
            self.page = page

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
        self._page_size = page_size
        self._source: RowSource[T] | None = None
        self._generation = 0
        self._pages: OrderedDict[int, _Stored[T]] = OrderedDict()
        # The rows of the previous read, drawn until the new read has answered.
        self._stale: dict[int, _Stored[T]] = {}
        self._stale_until_first = False
        self._requested: set[int] = set()
        self._in_flight = 0
        self._answered = False  # the current read has answered at least once
        self._total: int | None = None
        self._follow_key: str | None = None
        self._to_top_on_answer = False
        self._serial = 0
        self._strips: dict[tuple[object, ...], Strip] = {}
        # The widget's and its components' Rich styles: each costs a walk up the DOM, and a
        # frame draws every visible line. Forgotten on every style update (theme, focus).
        self._styles: dict[str, Style] = {}
        self._widths: tuple[int, tuple[int, ...]] = (-1, ())

    @property
    def total(self) -> int | None:
        """How many rows the list has, as last read; None before the first answer."""
        return self._total

    @property
    def reading(self) -> bool:
        """The current source has not answered yet (the rows shown may be the last read's)."""
        return self._source is not None and not self._answered

    @property
    def source(self) -> RowSource[T] | None:
        return self._source

    def row_at(self, index: int) -> T | None:
        """The row at ``index`` if it has arrived (from this read or, until it answers, the
        one before)."""
        page, offset = divmod(index, self._page_size)
        stored = self._pages.get(page)
        if stored is None and self._stale:
            stored = self._stale.get(page)
        if stored is None or offset >= len(stored.rows):
            return None
        return stored.rows[offset]

    @property
    def current_row(self) -> T | None:
        if not self._total:
            return None
        return self.row_at(self.cursor_row)

    @property
    def current_key(self) -> str | None:
        row = self.current_row
        return self._source.key(row) if row is not None and self._source is not None else None

    def loaded_rows(self) -> list[T]:
        """The rows that have arrived from the top, in order, up to the first gap."""
        rows: list[T] = []
        for index in range(self._total or 0):
            row = self.row_at(index)
            if row is None:
                break
            rows.append(row)
        return rows

    # -- reading --------------------------------------------------------------------------

    def show(self, source: RowSource[T], *, keep_key: bool = True) -> None:
        """Read the rows from ``source`` (a new filter, say). The rows on screen stay until it
        answers; then the list starts at the top, on the same row when it is in the first
        page."""
        self._restart(source)
        self._follow_key = self.current_key if keep_key else None
        self._stale_until_first = True
        self._to_top_on_answer = True
        self._request_rows()

    def refresh_rows(self) -> None:
        """Read the rows again where the list stands, keeping the cursor on the same row when
        it is still near."""
        if self._source is None:
            return
        key = self.current_key
        self._restart(self._source)
        self._follow_key = key
        self._stale_until_first = False
        self._to_top_on_answer = False
        self._request_rows()

    def update_row(self, row: T) -> bool:
        """Replace the row with ``row``'s key where it is shown, at once (a later read
        confirms it). Whether it was there."""
        if self._source is None:
            return False
        key = self._source.key(row)
        found = False
        for index, stored in [*self._pages.items(), *self._stale.items()]:
            for offset, old in enumerate(stored.rows):
                if self._source.key(old) == key:
                    stored.rows[offset] = row
                    self._forget_strips(stored.serial, offset)
                    found = True
                    position = index * self._page_size + offset
                    if position == self.cursor_row:
                        self.post_message(self.RowHighlighted(self, position, row))  # type: ignore[arg-type]
                    self._refresh_position(position)
        return found

    def _forget_strips(self, serial: int, offset: int) -> None:
        """Drop the drawn lines of one row (in any style), so only that row is drawn again."""
        for strip_key in [k for k in self._strips if k[0] == "row" and k[1:3] == (serial, offset)]:
            del self._strips[strip_key]

    def _refresh_position(self, position: int) -> None:
        """Repaint the line of row ``position`` if it is in view (line 0 is the header)."""
        y = position - int(self.scroll_y) + 1
        if 1 <= y < self.scrollable_content_region.height:
            self.refresh_line(position + 1)  # in scrolled coordinates, as refresh_line takes

    def redraw(self) -> None:
        """Draw every row again (the cells' colours follow the theme)."""
        self._strips.clear()
        self.refresh()

    def _restart(self, source: RowSource[T]) -> None:
        self._source = source
        self._generation += 1
        if self._pages:
            self._stale = dict(self._pages)
        self._pages = OrderedDict()
        self._requested = set()
        self._answered = False

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _in_hidden_parent(self) -> bool:
        return any(not node.display for node in self.ancestors if isinstance(node, Widget))

    def _rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _wanted_pages(self) -> list[int]:
        """The pages to read now: the cursor's first, then the rest of the view."""
        if not self._answered and self._to_top_on_answer:
            return [0]
        if self._total is None:
            return [self.cursor_row // self._page_size]
        if self._total == 0:
            return [0] if not self._answered else []
        top = int(self.scroll_y)
        last = min(self._total - 1, top + self._rows_in_view() - 1)
        pages = [min(self.cursor_row, self._total - 1) // self._page_size]
        for page in range(top // self._page_size, last // self._page_size + 1):
            if page not in pages:
                pages.append(page)
        return pages

    def _request_rows(self) -> None:
        source = self._source
        if source is None or not self.is_attached:
            return
        if self.display and not self.size and self._in_hidden_parent():
            # Inside something hidden (an inactive tab): nothing to read until it is shown.
            # Not laid out yet, it reads at once; hidden itself, an empty list still reads
            # its next filter.
            return
        for page in self._wanted_pages():
            if page in self._pages or page in self._requested:
                continue
            if self._in_flight >= MAX_IN_FLIGHT:
                return  # asked again when a read answers
            self._requested.add(page)
            self._in_flight += 1
            self.run_worker(
                partial(self._read_page, self._generation, page, source, self._total),
                name=f"page {page}",
                group="virtual-table",
                thread=True,
                exit_on_error=False,
            )

    def _read_page(
        self, generation: int, index: int, source: RowSource[T], total: int | None
    ) -> None:
        """In a thread: one page from the source, sent back as a message."""
        page = source.fetch(index * self._page_size, self._page_size, total)
        self.post_message(self._PageArrived(generation, index, page))  # type: ignore[arg-type]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed read is not retried until the rows are read again.
        if event.worker.group == "virtual-table" and event.state is WorkerState.ERROR:
            self._in_flight = max(0, self._in_flight - 1)
            if event.worker.error is not None:
                self.post_message(self.ReadFailed(self, event.worker.error))  # type: ignore[arg-type]

    def on_virtual_table__page_arrived(self, message: _PageArrived) -> None:
        message.stop()
        self._in_flight = max(0, self._in_flight - 1)
        if message.generation != self._generation:
            self._request_rows()  # an answer to an older question: ask what is wanted now
            return
        page: Page[T] = message.page  # type: ignore[assignment]
        first_answer = not self._answered
        self._answered = True
        if first_answer and self._stale_until_first:
            self._stale = {}
        total_changed = page.total != self._total
        if total_changed and not first_answer:
            # Rows came or went while the list was read: other pages may have moved.
            self._stale = {**self._stale, **self._pages}
            self._pages = OrderedDict()
            self._requested = {message.index}
        self._total = page.total
        if page.items and page.offset != message.index * self._page_size:
            # Read from the far end on a count that has changed since: these rows belong
            # elsewhere. Read the page again, now with the new count.
            self._requested.discard(message.index)
            self.virtual_size = Size(0, page.total + 1)
            self.post_message(self.Loaded(self, page.total))  # type: ignore[arg-type]
            self._request_rows()
            return
        self._store(message.index, list(page.items))
        self.virtual_size = Size(0, page.total + 1)
        self._place_cursor(message.index, first_answer)
        if first_answer or total_changed:
            self.post_message(self.Loaded(self, page.total))  # type: ignore[arg-type]
        self.refresh()
        self._request_rows()

    def _store(self, index: int, rows: list[T]) -> None:
        self._pages[index] = _Stored(rows, self._next_serial())
        self._pages.move_to_end(index)
        self._stale.pop(index, None)
        keep = set(self._wanted_pages())
        while len(self._pages) > CACHED_PAGES + len(keep):
            oldest = next(page for page in self._pages if page not in keep)
            del self._pages[oldest]
            self._requested.discard(oldest)

    def _place_cursor(self, index: int, first_answer: bool) -> None:
        """After page ``index`` arrived: follow the remembered row, or stay in range."""
        total = self._total or 0
        before = self.cursor_row
        target = min(before, max(0, total - 1))
        if first_answer and self._to_top_on_answer:
            target = 0
            self.scroll_to(y=0, animate=False)
        follow = self._follow_key
        if follow is not None and self._source is not None:
            rows = self._pages[index].rows
            keys = [self._source.key(row) for row in rows]
            if follow in keys:
                target = index * self._page_size + keys.index(follow)
                self._follow_key = None
            elif index * self._page_size <= target < index * self._page_size + len(rows):
                self._follow_key = None  # the row is not where it was: stay at the index
        if target != before or first_answer:
            self.cursor_row = target
        elif index * self._page_size <= target < (index + 1) * self._page_size:
            self.post_message(self.RowHighlighted(self, target, self.row_at(target)))  # type: ignore[arg-type]

    # -- the cursor and keys --------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, (self._total or 1) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.RowHighlighted(self, new, self.row_at(new)))  # type: ignore[arg-type]
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
            self.post_message(self.RowSelected(self, self.cursor_row, row))  # type: ignore[arg-type]

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

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
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
        width = self.scrollable_content_region.width
        if self._widths[0] != width:
            padding = 2 * len(self._columns)
            self._widths = (width, fit_column_widths(self._columns, width - padding))
        return self._widths[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style()
        if y == 0:
            header = self._style("virtual-table--header")
            return self._cached(("header", width, base, header), lambda: self._header(header))
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
            return self._cached(key, lambda: self._placeholder(muted, style))
        row = stored.rows[offset]
        source = self._source
        key = ("row", stored.serial, offset, width, base, style)
        return self._cached(key, lambda: self._row(source.cells(row), style))

    def _cached(self, key: tuple[object, ...], draw: Callable[[], Strip]) -> Strip:
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= CACHED_STRIPS:
                self._strips.clear()
            strip = self._strips[key] = draw()
        return strip

    def _header(self, style: Style) -> Strip:
        labels = [Text(column.label) for column in self._columns]
        return self._line(labels, style, None)

    def _placeholder(self, muted: Style, cursor: Style | None) -> Strip:
        return self._line([Text("…")], muted, cursor)

    def _row(self, cells: Sequence[Text], cursor: Style | None) -> Strip:
        return self._line(cells, None, cursor)

    def _line(self, cells: Sequence[Text], style: Style | None, cursor: Style | None) -> Strip:
        """One line: each cell cut or padded to its column, one space either side."""
        width = self.scrollable_content_region.width
        rich_style = self._style()
        line = Text(no_wrap=True, end="")
        for cell, column, column_width in zip(cells, self._columns, self.column_widths):
            line.append(" ")
            line.append_text(_fit(cell, column_width, column.justify))
            line.append(" ")
        base = rich_style + style if style is not None else rich_style
        segments: Iterator[Segment] = iter(line.render(self.app.console))
        segments = Segment.apply_style(segments, base, cursor)
        fill = base + cursor if cursor is not None else base
        return Strip(list(segments)).adjust_cell_length(width, fill).simplify()


def _fit(cell: Text, width: int, justify: str) -> Text:
    """``cell`` exactly ``width`` cells wide: cut with an ellipsis, or padded."""
    text = cell.copy()
    text.end = ""
    if "\n" in text.plain:
        text = Text(" ").join(text.split("\n"))
    text.truncate(width, overflow="ellipsis")
    gap = width - text.cell_len
    if gap > 0:
        if justify == "right":
            text.pad_left(gap)
        elif justify == "center":
            text.pad_left(gap // 2)
            text.pad_right(gap - gap // 2)
        else:
            text.pad_right(gap)
    return text


__all__ = ["PAGE_SIZE", "RowSource", "VirtualTable", "nearer_end"]
