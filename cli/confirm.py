"""Destructive commands ask first at a terminal; without one they need ``--yes``.

As ``gh repo delete`` does: a person at a terminal is asked, a script says ``--yes`` on
purpose, and a script that forgot it is refused with a sentence instead of deleting anything.
"""

from __future__ import annotations

import argparse
import sys

from cli.context import CliError, Context


def add_yes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help="do it without asking first")


def confirm(ctx: Context, question: str) -> None:
    """Return when the person agreed to ``question`` (or gave --yes); else refuse."""
    if getattr(ctx.args, "yes", False):
        return
    if not sys.stdin.isatty():
        raise CliError(f"{question} Nothing was done: with no terminal to ask at, add --yes.")
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise CliError("Nothing was done.")
