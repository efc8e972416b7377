"""Paged lists on the command line: the ``--limit`` option, and the note that says how many
more rows there are beyond the ones printed."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cli.arguments import positive_int
from cli.output import print_json, print_table, warn
from core.usecases.commands import PageRequest

if TYPE_CHECKING:
    from cli.context import Context
    from core.views import Page

# Rows a list prints unless --limit says otherwise (gh prints 30; an admin's tables run longer).
DEFAULT_LIMIT = 100


def add_limit_option(
    parser: argparse.ArgumentParser, default: int, what: str, most: int | None = None
) -> None:
    """``--limit N``: how many rows of ``what`` (a plural noun) to print; core caps the page
    at ``most``, if it has a cap."""
    cap = f", at most {most}" if most else ""
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=default,
        metavar="N",
        help=f"how many {what} (default {default}{cap})",
    )


def note_more(page: Page[object], noun: str) -> None:
    """Say how many rows follow the page, if any, naming them by ``noun`` (singular). On
    standard error, so that the table on standard output stays whole for a script."""
    remaining = page.total - page.offset - len(page.items)
    if remaining > 0:
        plural = noun if remaining == 1 else f"{noun}s"
        warn(f"{remaining} more {plural}; raise --limit to see them.")


def more(ctx: Context) -> PageRequest:
    """The page a list command asks core for: its first ``--limit`` rows."""
    return PageRequest(limit=ctx.args.limit)


def print_page(
    ctx: Context,
    page: Page[object],
    noun: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    empty: str,
) -> int:
    """A list command's output and exit status: the page as JSON (``--json``) or as a table
    of ``rows`` (read only for the table), then how many more there are, on standard error."""
    if ctx.json:
        print_json(page.items)
    else:
        print_table(headers, rows, empty=empty)
    note_more(page, noun)
    return 0
