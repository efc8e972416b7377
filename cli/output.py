r"""Printing results: aligned plain-text tables for people, JSON for scripts.

Every text that reaches the terminal passes through here, and here only is it made safe:
control characters (C0, DEL, C1, so every escape sequence), bidirectional overrides and line
separators are shown as escapes such as ``\x1b`` or ``\u202e``, never sent
(:func:`core.text.visible`). In a table cell, line breaks and tabs are shown as spaces so that
every row stays on one line; JSON keeps the same characters as ``\u`` escapes, so it stays
valid and decodes to what was stored.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TextIO

from core.text import is_control, visible


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from views: dataclasses become objects, datetimes ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a NamedTuple view
        return to_jsonable(value._asdict())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return utc(value, "%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def utc(moment: datetime, layout: str = "%Y-%m-%d %H:%MZ") -> str:
    """A moment in UTC with its ``Z``: core keeps times as UTC without a zone, and an aware
    time is turned to UTC first."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(layout)


def json_text(value: Any) -> str:
    """``value`` as indented JSON that a terminal can show. ``json.dumps`` escapes C0 only;
    DEL, C1 and the bidirectional controls are escaped here too. Outside its strings JSON is
    ASCII with no control but the indentation's line breaks, so each of them is inside a
    string, where ``\\uXXXX`` means it (a line break there is already ``\\n``)."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    return "".join(f"\\u{ord(ch):04x}" if is_control(ch) and ch != "\n" else ch for ch in text)


def print_json(value: Any, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json_text(value) + "\n")


def cell_width(text: str) -> int:
    """Terminal columns taken by ``text``: wide (East Asian) characters take two, combining
    marks none, so columns line up with names in any script."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def one_line(value: object) -> str:
    """A table cell: on one line, with nothing in it a terminal would act on."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return utc(value)
    return visible(" ".join(str(value).split()))


def truncate(text: str, limit: int) -> str:
    if cell_width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = cell_width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    cells = [[one_line(c) for c in row] for row in rows]
    widths = [cell_width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_width(cell))

    def line(row: Sequence[str]) -> str:
        padded = [c + " " * (widths[i] - cell_width(c)) for i, c in enumerate(row)]
        return "  ".join(padded).rstrip()

    return [line(list(headers))] + [line(row) for row in cells]


def print_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    empty: str = "Nothing to show.",
    out: TextIO | None = None,
) -> None:
    out = out or sys.stdout
    rows = list(rows)
    if not rows:
        out.write(terminal_text(empty) + "\n")
        return
    for text in format_table(headers, rows):
        out.write(text + "\n")  # every cell made safe by one_line


def terminal_text(message: str) -> str:
    """A message of one or more lines, safe to show: only its line breaks are kept."""
    return visible(message, keep="\n")


def say(message: str, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(terminal_text(message) + "\n")


def warn(message: str) -> None:
    """A line on standard error (an error sentence, a note beside the output)."""
    sys.stdout.flush()
    sys.stderr.write(terminal_text(message) + "\n")
    sys.stderr.flush()
