"""``auxot users suggest PREFIX``: the active accounts whose email or name starts with PREFIX,
one address per line, for scripts and shell completion (the Invite dialog asks the same)."""

from __future__ import annotations

import argparse

from cli.arguments import positive_int
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.usecases import commands as uc


def register_under(group: argparse._SubParsersAction, adder: CommandAdder) -> None:
    suggest = adder.add(
        group, "suggest", suggest_people, "addresses of active people whose email or name starts so"
    )
    suggest.add_argument("prefix", metavar="PREFIX", help="at least two characters")
    suggest.add_argument(
        "--limit",
        type=positive_int,
        default=10,
        metavar="N",
        help="at most N (default 10, up to 20)",
    )


def suggest_people(ctx: Context) -> int:
    people = ctx.run(uc.SuggestPeople(ctx.args.prefix, ctx.args.limit))
    if ctx.json:
        print_json(people)
    else:
        for person in people:
            say(person.email)
    return 0
