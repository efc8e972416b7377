"""How a :class:`~tui.widgets.virtual_table.VirtualTable` reads its rows: a page at a time
from its :class:`RowSource`, in thread workers, the pages under the view and the cursor
first, a few pages kept; the previous read's rows are drawn until the new read answers, and
the cursor follows its row, by key, across reads."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.geometry import Size
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.widgets.row_source import RowSource
from tui.widgets.table_lines import TableLines
from tui.widgets.table_messages import Loaded, PageArrived, ReadFailed, RowHighlighted

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    from core.views import Page

    # A mixin at run time (the table puts ScrollView after it); a ScrollView to the type
    # checker, which then knows the scrolling and worker methods used here.
    _ScrollView = ScrollView
else:

    class _ScrollView:
        pass


T = TypeVar("T")

PAGE_SIZE = 200
CACHED_PAGES = 8  # pages kept besides those in view: 1,600 rows
MAX_IN_FLIGHT = 2  # page reads at once; later wishes wait and are folded into one


@dataclass
class _Stored(Generic[T]):
    rows: list[T]
    serial: int  # tells the render cache that the rows changed


class PagedReading(_ScrollView, Generic[T]):
    """The reading half of :class:`~tui.widgets.virtual_table.VirtualTable`."""

    cursor_row: int  # the table's reactive
    _lines: TableLines

    def _init_reading(self, page_size: int) -> None:
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
                    self._lines.forget_row(stored.serial, offset)
                    found = True
                    position = index * self._page_size + offset
                    if position == self.cursor_row:
                        self.post_message(RowHighlighted(self, position, row))
                    self._refresh_position(position)
        return found

    def _refresh_position(self, position: int) -> None:
        """Repaint the line of row ``position`` if it is in view (line 0 is the header)."""
        y = position - int(self.scroll_y) + 1
        if 1 <= y < self.scrollable_content_region.height:
            self.refresh_line(position + 1)  # in scrolled coordinates, as refresh_line takes

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
        self.post_message(PageArrived(generation, index, page))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed read is not retried until the rows are read again.
        if event.worker.group == "virtual-table" and event.state is WorkerState.ERROR:
            self._in_flight = max(0, self._in_flight - 1)
            if event.worker.error is not None:
                self.post_message(ReadFailed(self, event.worker.error))

    def on_virtual_table_page_arrived(self, message: PageArrived) -> None:
        message.stop()
        self._in_flight = max(0, self._in_flight - 1)
        if message.generation != self._generation:
            self._request_rows()  # an answer to an older question: ask what is wanted now
            return
        page: Page[T] = message.page
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
            self.post_message(Loaded(self, page.total))
            self._request_rows()
            return
        self._store(message.index, list(page.items))
        self.virtual_size = Size(0, page.total + 1)
        self._place_cursor(message.index, first_answer)
        if first_answer or total_changed:
            self.post_message(Loaded(self, page.total))
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
            self.post_message(RowHighlighted(self, target, self.row_at(target)))

    # -- the cursor and keys --------------------------------------------------------------


__all__ = ["CACHED_PAGES", "MAX_IN_FLIGHT", "PAGE_SIZE", "PagedReading"]
