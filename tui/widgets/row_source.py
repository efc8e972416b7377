"""Where a :class:`~tui.widgets.virtual_table.VirtualTable`'s rows come from, and how to read
a long list from its nearer end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.text import Text

if TYPE_CHECKING:
    from core.views import Page

T = TypeVar("T")


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


__all__ = ["RowSource", "nearer_end"]
