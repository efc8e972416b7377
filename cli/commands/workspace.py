"""``auxot init`` and ``auxot plan``: the workspace itself."""

from __future__ import annotations

import argparse

from cli.context import CliError, Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.usecases import commands as uc

NO_WORKSPACE = "There is no workspace yet; run `auxot init` or `auxot demo` first."


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    init = adder.add(
        subparsers, "init", init_workspace, "create the workspace and its owner account"
    )
    init.add_argument("--workspace", required=True, metavar="NAME", help="the workspace's name")
    init.add_argument("--owner", required=True, metavar="EMAIL", help="the owner's email")
    init.add_argument("--name", metavar="NAME", help="the owner's display name")
    init.add_argument(
        "--plan",
        default="business",
        metavar="PLAN",
        help="free, team, business (default) or enterprise",
    )

    plan = adder.add(
        subparsers, "plan", show_or_set_plan, "show the plan, or set it (workspace owner)"
    )
    plan.add_argument("plan", nargs="?", metavar="PLAN", help="free, team, business or enterprise")


def init_workspace(ctx: Context) -> int:
    args = ctx.args
    core = ctx.core()
    owner = core.init_workspace(args.workspace, args.owner, args.name, plan=args.plan)
    workspace = core.get_workspace()
    assert workspace is not None
    if ctx.json:
        print_json({"workspace": workspace, "owner": owner})
        return 0
    say(
        f"Created the workspace {workspace.name} on the {workspace.plan} plan; "
        f"its owner is {owner.email}."
    )
    say(f"Act as the owner with --user {owner.email} or AUXOT_USER={owner.email}.")
    return 0


def show_or_set_plan(ctx: Context) -> int:
    core = ctx.core()
    if ctx.args.plan is None:
        workspace = core.get_workspace()
        if workspace is None:
            raise CliError(NO_WORKSPACE)
    else:
        workspace = ctx.run(uc.SetPlan(ctx.args.plan))
    if ctx.json:
        print_json(workspace)
        return 0
    teams = "teams enabled" if workspace.teams_enabled else "no teams on this plan"
    verb = "is on" if ctx.args.plan is None else "is now on"
    say(f"{workspace.name} {verb} the {workspace.plan} plan ({teams}).")
    return 0
