"""``auxot users offboard EMAIL [--successor EMAIL] [--yes]``: someone leaves the company.

The plan is printed first (teams, who takes over, SSH keys, invitations, the team keys they
made that keep working); then it runs in one transaction, after a yes at a terminal or with
--yes in a script."""

from __future__ import annotations

import argparse

from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.offboarding_text import needs_successor, plan_lines
from core.usecases import commands as uc


def register_under(group: argparse._SubParsersAction, adder: CommandAdder) -> None:
    offboard = adder.add(
        group,
        "offboard",
        offboard_user,
        "remove someone from every team, their SSH keys and invitations, and deactivate them",
    )
    offboard.add_argument("email", metavar="EMAIL")
    offboard.add_argument(
        "--successor",
        metavar="EMAIL",
        help="who becomes owner of the teams where they are the last active owner",
    )
    add_yes_option(offboard)


def offboard_user(ctx: Context) -> int:
    email, successor = ctx.args.email, ctx.args.successor
    plan = ctx.run(uc.PlanOffboarding(email, successor))
    if not ctx.json:
        for line in plan_lines(plan, name_successor="name a --successor"):
            say(line)
    if not needs_successor(plan):  # else core refuses at once, naming the teams: nothing to ask
        confirm(ctx, f"Offboard {plan.email}?")
    done = ctx.run(uc.OffboardUser(email, successor))
    if ctx.json:
        print_json(done)
    else:
        say(f"Offboarded {done.email}; the account is deactivated.")
    return 0
