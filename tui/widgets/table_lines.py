"""How a :class:`~tui.widgets.virtual_table.VirtualTable` draws its lines (header, rows, a
placeholder for a row on its way), and the drawn lines it keeps for redrawing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.widgets.table import Column, fit_column_widths

# Drawn lines kept for redrawing: a few screens' worth. A line is a Strip with its own small
# caches, about 2.5 KB; 2,000 of them held 5 MiB per list.
CACHED_STRIPS = 400


class TableLines:
    """The columns, their widths at the table's width, and the drawn lines by key."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self._strips: dict[tuple[object, ...], Strip] = {}
        self._widths: tuple[int, tuple[int, ...]] = (-1, ())
        # The widest text seen in each column (its label to start with), which the flexible
        # columns share the width by; it only grows, so columns do not jump as a filter narrows.
        self._wants = [len(column.label) for column in self.columns]

    def measure(self, rows: Iterable[Sequence[Text]]) -> bool:
        """Note the width of these rows' cells; True when a column's widest text grew (the
        widths are worked out again and every drawn line is dropped)."""
        wants = list(self._wants)
        for cells in rows:
            for index, cell in enumerate(cells[: len(wants)]):
                if self.columns[index].width is None:
                    wants[index] = max(wants[index], cell_len(cell.plain.split("\n", 1)[0]))
        if wants == self._wants:
            return False
        self._wants = wants
        self._widths = (-1, ())
        self._strips.clear()
        return True

    def clear(self) -> None:
        self._strips.clear()

    def forget_row(self, serial: int, offset: int) -> None:
        """Drop the drawn lines of one row (in any style), so only that row is drawn again."""
        for strip_key in [k for k in self._strips if k[0] == "row" and k[1:3] == (serial, offset)]:
            del self._strips[strip_key]

    def column_widths(self, width: int) -> tuple[int, ...]:
        """The width of each column's text in ``width``: each has a space before it, and all
        but the last a space after it (the last one's text may reach the edge)."""
        if self._widths[0] != width:
            padding = 2 * len(self.columns) - 1
            self._widths = (width, fit_column_widths(self.columns, width - padding, self._wants))
        return self._widths[1]

    def cached(self, key: tuple[object, ...], draw: Callable[[], Strip]) -> Strip:
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= CACHED_STRIPS:
                self._strips.clear()
            strip = self._strips[key] = draw()
        return strip

    def header(self, width: int, base: Style, style: Style, console: Console) -> Strip:
        labels = [Text(column.label) for column in self.columns]
        return self.line(labels, width, base, style, None, console)

    def placeholder(
        self, width: int, base: Style, muted: Style, cursor: Style | None, console: Console
    ) -> Strip:
        return self.line([Text("…")], width, base, muted, cursor, console)

    def line(
        self,
        cells: Sequence[Text],
        width: int,
        rich_style: Style,
        style: Style | None,
        cursor: Style | None,
        console: Console,
    ) -> Strip:
        """One line: each cell cut or padded to its column, with a space either side but after
        the last."""
        line = Text(no_wrap=True, end="")
        for index, (cell, column, column_width) in enumerate(
            zip(cells, self.columns, self.column_widths(width))
        ):
            line.append("  " if index else " ")
            line.append_text(fit(cell, column_width, column.justify))
        base = rich_style + style if style is not None else rich_style
        segments: Iterator[Segment] = iter(line.render(console))
        segments = Segment.apply_style(segments, base, cursor)
        fill = base + cursor if cursor is not None else base
        return Strip(list(segments)).adjust_cell_length(width, fill).simplify()


def fit(cell: Text, width: int, justify: str) -> Text:
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


__all__ = ["CACHED_STRIPS", "TableLines", "fit"]
