"""The virtual table on its own: an in-memory source of 5,000 rows that counts its reads."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot

from core.views import Page
from tests.tui.helpers import settle
from tui.widgets.table import Column
from tui.widgets.virtual_table import RowSource, VirtualTable, nearer_end

COLUMNS = (Column("name", "Name", min_width=10), Column("n", "Number", width=8, justify="right"))


@dataclass(frozen=True)
class Item:
    id: int
    name: str


@dataclass
class Rows:
    """A list that answers pages like core does, and remembers what it was asked."""

    items: list[Item]
    reads: list[tuple[int, int]] = field(default_factory=list)
    gate: threading.Event | None = None

    def from_end_source(self) -> RowSource[Item]:
        """Pages past the middle counted back from the end, on the count last seen, as the
        members and activity lists read them."""

        def fetch(offset: int, limit: int, total: int | None) -> Page[Item]:
            start, count, from_end = nearer_end(offset, limit, total)
            self.reads.append((start, count))
            if not from_end:
                return Page(self.items[start : start + count], len(self.items), start)
            stop = len(self.items) - start
            first = max(0, stop - count)
            return Page(self.items[first:stop], len(self.items), first)

        return RowSource(fetch, key=lambda item: str(item.id), cells=cells)

    def source(self, query: str = "") -> RowSource[Item]:
        def fetch(offset: int, limit: int, total: int | None) -> Page[Item]:
            if self.gate is not None:
                self.gate.wait(5)
            self.reads.append((offset, limit))
            matching = [item for item in self.items if query in item.name]
            return Page(matching[offset : offset + limit], len(matching), offset)

        return RowSource(fetch, key=lambda item: str(item.id), cells=cells)


def cells(item: Item) -> Sequence[Text]:
    return (Text(item.name), Text(str(item.id)))


def many(count: int) -> list[Item]:
    return [Item(n, f"row {n:05d}") for n in range(count)]


class TableApp(App[None]):
    def __init__(self, rows: Rows) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[Item] = []
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="table")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.show(self.rows.source())
        table.focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(cast("Item", event.row))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.highlighted.append(event.index)


def table_of(pilot: Pilot[None]) -> VirtualTable[Item]:
    return pilot.app.query_one(VirtualTable)


def lines(pilot: Pilot[None]) -> list[str]:
    """The table's lines as drawn, without trailing blanks."""
    table = table_of(pilot)
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def screen_lines(app: App[None]) -> list[str]:
    """The text of the app's last frame, line by line (the SVG's text runs, by height)."""
    svg = app.export_screenshot()
    texts = re.findall(r'<text[^>]*y="([0-9.]+)"[^>]*>(.*?)</text>', svg, flags=re.DOTALL)
    by_line: dict[float, str] = {}
    for y, text in texts:
        by_line[float(y)] = by_line.get(float(y), "") + html.unescape(text).replace("\xa0", " ")
    return [by_line[y] for y in sorted(by_line)]


async def test_reads_only_the_pages_in_view() -> None:
    rows = Rows(many(5_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 5_000
        assert rows.reads == [(0, 200)]
        assert lines(pilot)[0].split() == ["Name", "Number"]
        assert lines(pilot)[1].split() == ["row", "00000", "0"]
        assert table.virtual_size.height == 5_001
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 4_999
        assert table.current_row == Item(4_999, "row 04999")
        assert lines(pilot)[-1].split() == ["row", "04999", "4999"]
        assert rows.reads == [(0, 200), (4_800, 200)]
        await pilot.press("home")
        await settle(pilot)
        assert rows.reads == [(0, 200), (4_800, 200)]  # page 0 is still kept
        assert lines(pilot)[1].split()[1] == "00000"


async def test_page_keys_move_a_screen_at_a_time() -> None:
    rows = Rows(many(1_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        view = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert table.cursor_row == view
        await pilot.press("pagedown", "down", "down")
        assert table.cursor_row == 2 * view + 2
        await pilot.press("up", "pageup")
        assert table.cursor_row == view + 1
        await pilot.press("pageup", "pageup", "up")
        assert table.cursor_row == 0


async def test_placeholders_until_a_page_arrives() -> None:
    rows = Rows(many(3_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        rows.gate = threading.Event()
        await pilot.press("end")
        await pilot.pause()
        table = table_of(pilot)
        assert table.current_row is None
        assert lines(pilot)[-1].strip() == "…"
        rows.gate.set()
        await settle(pilot)
        assert table.current_row == Item(2_999, "row 02999")


async def test_enter_and_click_select_rows() -> None:
    rows = Rows(many(50))
    app = TableApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        assert app.selected == [Item(1, "row 00001")]
        await pilot.click(VirtualTable, offset=(2, 4))  # the fourth row: moves the cursor
        assert table_of(pilot).cursor_row == 3
        assert len(app.selected) == 1
        await pilot.click(VirtualTable, offset=(2, 4))  # again: selects it
        assert app.selected[-1] == Item(3, "row 00003")


async def test_a_new_source_starts_at_the_top_keeping_the_row_when_it_is_there() -> None:
    rows = Rows(many(2_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        table.move_cursor(120)
        await settle(pilot)
        table.show(rows.source("row 001"))  # rows 100-199: the cursor's row is the 21st
        await settle(pilot)
        assert table.total == 100
        assert (table.cursor_row, table.current_key) == (20, "120")
        table.show(rows.source("row 0005"))  # rows 50-59: 120 is gone, so the top
        await settle(pilot)
        assert (table.total, table.cursor_row, table.current_key) == (10, 0, "50")
        assert [item.id for item in table.loaded_rows()] == list(range(50, 60))
        table.show(rows.source("nothing"))
        await settle(pilot)
        assert (table.total, table.current_row) == (0, None)
        assert lines(pilot)[1] == ""


async def test_old_rows_stay_on_screen_until_the_new_read_answers() -> None:
    rows = Rows(many(500))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        rows.gate = threading.Event()
        table.show(rows.source("row 0004"))
        await pilot.pause()
        assert table.total == 500 and lines(pilot)[1].split()[1] == "00000"
        rows.gate.set()
        await settle(pilot)
        assert table.total == 10 and lines(pilot)[1].split()[1] == "00040"


async def test_fast_typing_is_folded_into_few_reads_of_the_newest_text() -> None:
    """The filter's debounce: a keystroke reads at once, but while reads are under way the
    keystrokes after it wait, and only the newest text is read when one answers."""
    rows = Rows(many(5_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        rows.reads.clear()
        rows.gate = threading.Event()
        typed = ["row 0", "row 00", "row 001", "row 0012", "row 00123"]
        for text in typed:  # one keystroke after another, faster than a read answers
            table.show(rows.source(text))
            await pilot.pause()
        rows.gate.set()
        await settle(pilot)
        assert len(rows.reads) <= 3  # not one read per keystroke
        assert table.total == 1
        assert [item.name for item in table.loaded_rows()] == ["row 00123"]


async def test_rows_read_from_the_end_on_a_stale_count_are_read_again() -> None:
    rows = Rows(many(1_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        table.show(rows.from_end_source())
        await settle(pilot)
        table.move_cursor(950)
        await settle(pilot)
        assert table.current_key == "950"
        # 30 rows arrive at the front while the last pages are out of the cache: the next
        # read from the end uses the old count, so its rows are 30 places off.
        rows.items[0:0] = [Item(-n, f"new {n:02d}") for n in range(1, 31)]
        table._pages.clear()
        table._requested.clear()
        table.move_cursor(980)
        await settle(pilot)
        assert table.total == 1_030
        assert table.current_row == rows.items[980]
        on_screen = [line.split()[-1] for line in lines(pilot)[1:]]
        top = int(table.scroll_y)
        assert on_screen == [str(item.id) for item in rows.items[top : top + len(on_screen)]]


async def test_refresh_keeps_the_selected_row_when_rows_move() -> None:
    rows = Rows(many(1_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        table.move_cursor(700)
        await settle(pilot)
        assert table.current_key == "700"
        rows.items[0:0] = [Item(-1, "row -1"), Item(-2, "row -2")]  # two rows before it
        table.refresh_rows()
        await settle(pilot)
        assert table.total == 1_002
        assert (table.cursor_row, table.current_key) == (702, "700")
        rows.items.remove(Item(700, "row 00700"))  # gone: the cursor stays where it was
        table.refresh_rows()
        await settle(pilot)
        assert table.cursor_row == 702 and table.current_key == "701"


async def test_update_row_redraws_it_at_once() -> None:
    rows = Rows(many(30))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        assert table.update_row(Item(2, "renamed"))
        await pilot.pause()
        assert lines(pilot)[3].split()[0] == "renamed"
        assert not table.update_row(Item(99, "absent"))


async def test_update_row_repaints_only_its_line_on_screen() -> None:
    rows = Rows(many(500))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        table.move_cursor(300)  # scrolled: the row's line is not its index
        await settle(pilot)
        top = int(table.scroll_y)
        neighbour = table.render_line(3)
        assert table.update_row(Item(top + 4, "renamed"))  # the row on line 5
        await pilot.pause()
        shown = [line.split() for line in screen_lines(pilot.app)]
        assert ["renamed", str(top + 4)] in shown
        assert ["row", f"{top + 3:05d}", str(top + 3)] in shown
        assert table.render_line(3) is neighbour  # the other rows are not drawn again


async def test_pages_far_apart_are_dropped_from_the_cache() -> None:
    rows = Rows(many(10_000))
    async with TableApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        for row in range(0, 10_000, 200):
            table.move_cursor(row)
            await settle(pilot)
        assert len(rows.reads) == 50
        assert len(table._pages) <= 10
        table.move_cursor(0)
        await settle(pilot)
        assert len(rows.reads) == 51  # read again


def test_rows_past_the_middle_are_read_from_the_far_end() -> None:
    assert nearer_end(0, 200, None) == (0, 200, False)
    assert nearer_end(200, 200, 20_000) == (200, 200, False)
    assert nearer_end(19_800, 200, 20_000) == (0, 200, True)
    assert nearer_end(19_600, 200, 20_050) == (250, 200, True)
    assert nearer_end(20_000, 200, 20_050) == (0, 50, True)
    assert nearer_end(20_100, 200, 20_050) == (20_100, 200, False)  # the list shrank


async def test_a_hidden_table_reads_nothing_until_shown() -> None:
    rows = Rows(many(100))

    class HiddenApp(TableApp):
        def compose(self) -> ComposeResult:
            with Vertical(id="box"):
                yield VirtualTable(COLUMNS, id="table")

        def on_mount(self) -> None:  # before TableApp's, which shows the rows
            self.query_one("#box").display = False

    async with HiddenApp(rows).run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert rows.reads == [] and table_of(pilot).total is None
        pilot.app.query_one("#box").display = True
        await settle(pilot)
        assert rows.reads == [(0, 200)] and table_of(pilot).total == 100


async def test_a_failed_read_is_reported_upwards() -> None:
    def broken(offset: int, limit: int, total: int | None) -> Page[Item]:
        raise RuntimeError("the database went away")

    class FailingApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.failures: list[str] = []

        def compose(self) -> ComposeResult:
            yield VirtualTable(COLUMNS, id="table")

        def on_mount(self) -> None:
            table = self.query_one(VirtualTable)
            table.show(RowSource(broken, key=lambda item: str(item.id), cells=cells))

        def on_virtual_table_read_failed(self, event: VirtualTable.ReadFailed) -> None:
            self.failures.append(str(event.error))

    failing = FailingApp()
    async with failing.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert failing.failures == ["the database went away"]
        assert table_of(pilot).total is None
