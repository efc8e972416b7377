"""``auxot users offboard EMAIL [--successor EMAIL] [--yes]``: someone leaves the company.

The plan is printed first (teams, who takes over, SSH keys, invitations, the team keys they
made that keep working); then it runs in one transaction, after a yes at a terminal or with
--yes in a script."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.usecases import commands as uc
from core.vocabulary import count

if TYPE_CHECKING:
    from core.views import OffboardingPlan


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
        for line in plan_lines(plan):
            say(line)
    blocked = any(team.last_owner for team in plan.teams) and plan.successor is None
    if not blocked:  # else core refuses at once, naming the teams: nothing to ask
        confirm(ctx, f"Offboard {plan.email}?")
    done = ctx.run(uc.OffboardUser(email, successor))
    if ctx.json:
        print_json(done)
    else:
        say(f"Offboarded {done.email}; the account is deactivated.")
    return 0


def plan_lines(plan: OffboardingPlan) -> list[str]:
    lines = [f"Offboarding {plan.display_name} <{plan.email}>:"]
    for team in plan.teams:
        line = f"  remove from {team.name} ({team.role})"
        if team.last_owner:
            line += (
                f"; {plan.successor} becomes its owner"
                if plan.successor
                else "; they are its last active owner: name a --successor"
            )
        lines.append(line)
    if not plan.teams:
        lines.append("  in no team")
    lines.append(f"  remove {count(plan.ssh_keys, 'SSH key')}")
    lines.append(f"  revoke {count(plan.invitations, 'pending invitation')} they sent")
    lines.append("  deactivate the account" + (" (already deactivated)" * plan.already_deactivated))
    if plan.keys_kept:
        lines.append("Team API keys they created keep working; rotate any they held:")
        lines += [f"  {key.team_name}: {key.name} ({key.key_id})" for key in plan.keys_kept]
    return lines
