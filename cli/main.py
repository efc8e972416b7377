"""``auxot``: the parser, the dispatch, and the one place errors become exit codes.

0 done; 1 refused, not found or invalid input (one sentence on stderr); 2 usage error;
130 interrupted. No traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from cli.context import CliError, Context
from cli.options import CommandAdder, add_global_options
from cli.output import terminal_text, warn
from core.errors import ConfigError, DomainError

EPILOG = (
    "Without a command, auxot opens the terminal app. "
    "Try `auxot demo` for a workspace full of example teams."
)


def build_parser() -> argparse.ArgumentParser:
    from cli.commands import GROUPS, app

    parser = _Parser(
        prog="auxot",
        description="Auxot Teams: manage the teams of an Auxot workspace.",
        epilog=EPILOG,
    )
    add_global_options(parser, after_command=False)
    parser.add_argument("--version", action=_VersionAction)
    parser.set_defaults(handler=app.open_app)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    adder = CommandAdder()
    for group in GROUPS:
        group.register(subparsers, adder)
    _add_examples(subparsers)
    return parser


def _add_examples(subparsers: argparse._SubParsersAction, path: tuple[str, ...] = ()) -> None:
    """Every leaf command's examples (cli/examples.py) under its help."""
    from cli.examples import add_examples

    for name, sub in subparsers.choices.items():
        groups = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        if groups:
            _add_examples(groups[0], (*path, name))
        else:
            add_examples(" ".join((*path, name)), sub)


class _VersionAction(argparse.Action):
    """``--version``: the installed version, read only when asked for (reading the package's
    metadata costs every other command time and, in a forked SSH session, memory)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        sys.stdout.write(f"auxot {_version()}\n")
        parser.exit()


def _version() -> str:
    from core.release import this_release

    return this_release() or "(not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(argv) if argv is not None else sys.argv[1:]
    undecodable = _not_utf8(arguments)
    if undecodable is not None:
        _error_line(undecodable)
        return 1
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        # argparse has printed usage and its message (or the help, for --help).
        return exit_.code if isinstance(exit_.code, int) else 2
    ctx = Context(args)
    try:
        return int(args.handler(ctx))
    except (DomainError, ConfigError, CliError) as error:
        _error_line(str(error))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`auxot audit | head`); stop quietly.
        _silence_stdout()
        return 1
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(error, SQLAlchemyError):
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            if reason and "database is locked" in reason[0]:
                from core.errors import DatabaseBusy

                _error_line(str(DatabaseBusy()))
                return 1
            _error_line(
                "The database could not do this"
                + (f" ({reason[0][:200]})" if reason else "")
                + "; nothing changed."
            )
            return 1
        message = " ".join(str(error).split())
        _error_line(f"auxot: unexpected error: {type(error).__name__}: {message}")
        return 1
    finally:
        ctx.close()


def _not_utf8(arguments: list[str]) -> str | None:
    """The sentence for the first argument that is not UTF-8 text (the shell passed bytes
    Python could only keep as surrogate escapes), naming it by position and option."""
    for position, argument in enumerate(arguments, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            option = argument.split("=", 1)[0] if argument.startswith("--") else ""
            if "=" not in argument:
                previous = arguments[position - 2] if position > 1 else ""
                option = previous if previous.startswith("-") else ""
            where = f"the value of {option}" if option.isascii() and option else "an argument"
            return (
                f"Argument {position} ({where}) is not valid UTF-8 text; "
                "retype it or fix the terminal's encoding. Nothing changed."
            )
    return None


def _error_line(message: str) -> None:
    warn(message)  # made safe to show there, like every other line


class _Parser(argparse.ArgumentParser):
    """argparse's usage and error lines quote what was typed; they reach the terminal
    through the same safe text as every other line."""

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        super()._print_message(terminal_text(message) if message else message, file)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
