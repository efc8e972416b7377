"""``auxot users``: the workspace's accounts."""

from __future__ import annotations

import argparse

from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, print_table, say
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:  # type: ignore[type-arg]
    group = adder.group(subparsers, "users", "the workspace's accounts")
    listing = adder.add(group, "list", list_users, "list every account")
    listing.add_argument("--filter", default="", metavar="TEXT", help="match emails and names")

    add = adder.add(group, "add", add_user, "add an account")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--name", metavar="N", help="display name (default: the email's local part)")
    add.add_argument(
        "--workspace-role", default="member", metavar="R", help="owner, admin or member (default)"
    )

    for name, handler, text in (
        ("deactivate", deactivate_user, "stop an account from doing anything"),
        ("reactivate", reactivate_user, "let a deactivated account act again"),
    ):
        adder.add(group, name, handler, text).add_argument("email", metavar="EMAIL")


def list_users(ctx: Context) -> int:
    page = ctx.run(uc.ListUsers(ctx.args.filter))
    if ctx.json:
        print_json(page.items)
        return 0
    print_table(
        ("EMAIL", "NAME", "WORKSPACE ROLE", "STATUS", "CREATED"),
        ((u.email, u.display_name, u.workspace_role, u.status, u.created_at) for u in page.items),
        empty="No accounts match.",
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
    user = ctx.run(uc.DeactivateUser(ctx.args.email))
    if ctx.json:
        print_json(user)
    else:
        say(f"Deactivated {user.email}; their memberships stay for the record.")
    return 0


def reactivate_user(ctx: Context) -> int:
    user = ctx.run(uc.ReactivateUser(ctx.args.email))
    if ctx.json:
        print_json(user)
    else:
        say(f"Reactivated {user.email}.")
    return 0
