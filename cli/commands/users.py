"""``auxot users``: the workspace's accounts."""

from __future__ import annotations

import argparse

from cli.commands import offboard, people
from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, print_table, say
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    adder.add(subparsers, "whoami", whoami, "who you act as, and what you may do")
    group = adder.group(subparsers, "users", "the workspace's accounts")
    listing = adder.add(group, "list", list_users, "list every account")
    add_limit_option(listing, DEFAULT_LIMIT, "accounts")
    listing.add_argument("--filter", default="", metavar="TEXT", help="match emails and names")

    add = adder.add(group, "add", add_user, "add an account")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--name", metavar="N", help="display name (default: the email's local part)")
    add.add_argument(
        "--workspace-role", default="member", metavar="R", help="owner, admin or member (default)"
    )

    for name, handler, text in (
        ("show", show_user, "one account"),
        ("reactivate", reactivate_user, "let a deactivated account act again"),
    ):
        adder.add(group, name, handler, text).add_argument("email", metavar="EMAIL")
    deactivate = adder.add(
        group, "deactivate", deactivate_user, "stop an account from doing anything"
    )
    deactivate.add_argument("email", metavar="EMAIL")
    deactivate.add_argument(
        "--successor",
        metavar="EMAIL",
        help="who becomes owner of the teams whose last active owner this account is",
    )
    add_yes_option(deactivate)
    offboard.register_under(group, adder)
    people.register_under(group, adder)


def list_users(ctx: Context) -> int:
    page = ctx.run(uc.ListUsers(ctx.args.filter, page=more(ctx)))
    return print_page(
        ctx,
        page,
        "account",
        ("EMAIL", "NAME", "WORKSPACE ROLE", "STATUS", "CREATED"),
        ((u.email, u.display_name, u.workspace_role, u.status, u.created_at) for u in page.items),
        empty="No accounts match.",
    )


def show_user(ctx: Context) -> int:
    user = ctx.run(uc.GetUser(ctx.args.email))
    if ctx.json:
        print_json(user)
        return 0
    print_table(
        ("EMAIL", "NAME", "WORKSPACE ROLE", "STATUS", "CREATED"),
        [(user.email, user.display_name, user.workspace_role, user.status, user.created_at)],
    )
    return 0


def whoami(ctx: Context) -> int:
    """Who --user or AUXOT_USER is, in which workspace, and what they may do there."""
    me = ctx.run(uc.ShowMe())
    if ctx.json:
        print_json({"user": me.user, "workspace": me.workspace, "actions": sorted(me.actions)})
        return 0
    user, workspace = me.user, me.workspace
    say(
        f"{user.display_name} <{user.email}>, workspace {user.workspace_role} of "
        f"{workspace.name} ({workspace.plan} plan)."
    )
    return 0


def add_user(ctx: Context) -> int:
    args = ctx.args
    user = ctx.run(uc.AddUser(args.email, args.name, args.workspace_role))
    if ctx.json:
        print_json(user)
    else:
        say(f"Added {user.email} ({user.display_name}) as workspace {user.workspace_role}.")
    return 0


def deactivate_user(ctx: Context) -> int:
    confirm(ctx, f"Deactivate {quoted(ctx.args.email)}? They can no longer do anything.")
    user = ctx.run(uc.DeactivateUser(ctx.args.email, ctx.args.successor))
    if ctx.json:
        print_json(user)
    else:
        say(f"Deactivated {user.email}; their memberships stay for the record.")
        if ctx.args.successor:
            heir = ctx.args.successor.strip()
            say(f"Where {user.email} was the last active owner of a team, {heir} now owns it.")
    return 0


def reactivate_user(ctx: Context) -> int:
    user = ctx.run(uc.ReactivateUser(ctx.args.email))
    if ctx.json:
        print_json(user)
    else:
        say(f"Reactivated {user.email}.")
    return 0
