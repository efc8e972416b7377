"""The global options, accepted before the subcommand and again after it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cli.context import Context

# A command: runs with its context and returns the exit code.
Handler = Callable[["Context"], int]


def add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """``after_command`` parsers leave unset options out of the namespace (SUPPRESS), so
    that ``auxot --json teams list`` is not undone by the subcommand's own defaults."""
    default = argparse.SUPPRESS if after_command else None
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default,
        help="database URL (else AUXOT_DATABASE_URL, else a SQLite file in the data directory)",
    )
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        default=default,
        help="the account to act as (else AUXOT_USER)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if after_command else False,
        help="print machine-readable JSON",
    )


def global_options_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    add_global_options(parent, after_command=True)
    return parent


class CommandAdder:
    """Adds leaf commands that all accept the global options after their name."""

    def __init__(self) -> None:
        self.parent = global_options_parent()

    def add(
        self,
        subparsers: argparse._SubParsersAction,
        name: str,
        handler: Handler,
        help: str,
        **kwargs: Any,
    ) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(
            name,
            help=help,
            description=help,
            parents=[self.parent],
            **kwargs,
        )
        parser.set_defaults(handler=handler)
        return parser

    def group(
        self,
        subparsers: argparse._SubParsersAction,
        name: str,
        help: str,
    ) -> argparse._SubParsersAction:
        """A command group such as ``auxot teams``; its own subcommand is required."""
        parser = subparsers.add_parser(name, help=help, description=help, parents=[self.parent])
        return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)
