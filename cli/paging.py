"""Lists print one page: ``--limit N`` (with a default) and, under the table, a line saying
how many more there are, as ``gh`` does."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cli.arguments import positive_int
from cli.output import warn
from core.usecases.commands import PageRequest

if TYPE_CHECKING:
    from core.views import Page

DEFAULT_LIMIT = 50


def add_limit_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"how many {what} to show (default {DEFAULT_LIMIT})",
    )


def page_request(args: argparse.Namespace) -> PageRequest:
    return PageRequest(limit=args.limit)


def say_more(page: Page[Any], noun: str) -> None:
    """ "3 more teams not shown; …", on standard error, so that standard output stays the
    table alone. ``noun`` is singular."""
    more = page.total - page.offset - len(page.items)
    if more > 0:
        things = f"{noun}{'' if more == 1 else 's'}"
        warn(f"{more:,} more {things} not shown; use --limit {page.total} to see them all.")
