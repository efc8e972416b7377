"""``auxot resources show`` and ``auxot resources edit``: read a resource's whole body;
rename it, rewrite its body (from the command line, a file or standard input) or move it to
another team or to the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.arguments import resource_kind
from cli.context import CliError, Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.usecases import commands as uc
from core.vocabulary import kind_label

BODY_FILE_LIMIT = 1_000_000  # bytes; far beyond any real prompt, short of a mistake

if TYPE_CHECKING:
    from core.views import ResourceView


def register_under(group: argparse._SubParsersAction, adder: CommandAdder) -> None:
    show = adder.add(group, "show", show_resource, "print a resource with its whole body")
    _identify(show)

    edit = adder.add(group, "edit", edit_resource, "rename, rewrite or move a resource")
    _identify(edit)
    edit.add_argument("--name", dest="name_new", metavar="N", help="its new name")
    body = edit.add_mutually_exclusive_group()
    body.add_argument("--body", metavar="TEXT", help="its new body")
    body.add_argument(
        "--body-file", metavar="F", help="its new body from a UTF-8 file, or - for standard input"
    )
    place = edit.add_mutually_exclusive_group()
    place.add_argument("--move-to", metavar="TEAM", help="move it to this team")
    place.add_argument("--to-workspace", action="store_true", help="move it to the whole workspace")


def _identify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", type=resource_kind, metavar="KIND")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--team", metavar="TEAM", help="the team it is scoped to")


def show_resource(ctx: Context) -> int:
    resource = ctx.run(uc.FindResource(ctx.args.kind, ctx.args.name, ctx.args.team))
    if ctx.json:
        print_json(resource)
        return 0
    say(f"{kind_label(resource.kind, capital=True)} {resource.name} · {_where(resource)}")
    say("")
    say(resource.body if resource.body else "(no body)")
    return 0


def edit_resource(ctx: Context) -> int:
    args = ctx.args
    resource = ctx.run(uc.FindResource(args.kind, args.name, args.team))
    body = args.body if args.body_file is None else _read_body(args.body_file)
    edited = ctx.run(
        uc.EditResource(resource.id, args.name_new, body, args.move_to, args.to_workspace)
    )
    if ctx.json:
        print_json(edited)
    else:
        say(f"Saved the {kind_label(edited.kind)} {edited.name} {_where(edited)}.")
    return 0


def _where(resource: ResourceView) -> str:
    if resource.scope == "team":
        return f"in {resource.team_name}"
    return "for you alone" if resource.scope == "user" else "for the whole workspace"


def _read_body(source: str) -> str:
    try:
        if source == "-":
            data = sys.stdin.buffer.read(BODY_FILE_LIMIT + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(BODY_FILE_LIMIT + 1)
    except OSError as error:
        raise CliError(f"Cannot read {source}: {error.strerror or error}.") from None
    if len(data) > BODY_FILE_LIMIT:
        raise CliError(f"{source} is over {BODY_FILE_LIMIT:,} bytes; a body must be shorter.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CliError(f"{source} is not UTF-8 text (byte {error.start} is not).") from None
