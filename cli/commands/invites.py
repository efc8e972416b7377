"""``auxot invites`` and ``auxot accept``: pending invitations of a team, and redeeming one."""

from __future__ import annotations

import argparse

from cli.commands.members import say_delivery
from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "invites", "a team's invitations")
    listing = adder.add(group, "list", list_invites, "list a team's pending invitations")
    add_limit_option(listing, DEFAULT_LIMIT, "invitations")
    listing.add_argument("team", metavar="TEAM", help="the team's name or id")
    listing.add_argument(
        "--all", action="store_true", help="also accepted, revoked and expired ones"
    )
    for name, handler, text in (
        ("resend", resend_invite, "send the invitation again with a new link"),
        ("revoke", revoke_invite, "withdraw an invitation; its link stops working"),
        ("link", invite_link, "print the invitation's link, for when mail cannot reach them"),
    ):
        command = adder.add(group, name, handler, text)
        command.add_argument("team", metavar="TEAM", help="the team's name or id")
        command.add_argument("email", metavar="EMAIL")
        if name == "revoke":
            add_yes_option(command)

    role = adder.add(group, "role", invite_role, "change the role a pending invitation gives")
    role.add_argument("team", metavar="TEAM", help="the team's name or id")
    role.add_argument("email", metavar="EMAIL")
    role.add_argument("role", metavar="ROLE", help="owner, admin or member")

    accept = adder.add(subparsers, "accept", accept_invite, "accept an invitation with its token")
    accept.add_argument("token", metavar="TOKEN", help="the token from the invitation email")
    accept.add_argument("--name", metavar="NAME", help="your display name, for a new account")


def list_invites(ctx: Context) -> int:
    page = ctx.run(uc.ListInvitations(ctx.args.team, include_closed=ctx.args.all, page=more(ctx)))
    items = page.items
    return print_page(
        ctx,
        page,
        "invitation",
        ("EMAIL", "ROLE", "STATUS", "MAIL", "INVITED BY", "EXPIRES"),
        ((i.email, i.role, i.status, i.delivery, i.invited_by or "-", i.expires_at) for i in items),
        empty="No pending invitations.",
    )


def resend_invite(ctx: Context) -> int:
    invitation = ctx.run(uc.ResendInvitation(ctx.args.team, ctx.args.email))
    report = ctx.delivery()
    if ctx.json:
        print_json({"invitation": invitation, "mail": report})
        return 0
    say(
        f"Made a new invitation for {invitation.email} to {invitation.team_name}; "
        "the old link no longer works."
    )
    say_delivery(report)
    return 0


def revoke_invite(ctx: Context) -> int:
    confirm(ctx, f"Revoke the invitation of {quoted(ctx.args.email)} to {quoted(ctx.args.team)}?")
    invitation = ctx.run(uc.RevokeInvitation(ctx.args.team, ctx.args.email))
    if ctx.json:
        print_json(invitation)
    else:
        say(f"Revoked the invitation of {invitation.email} to {invitation.team_name}.")
    return 0


def invite_role(ctx: Context) -> int:
    invitation = ctx.run(uc.ChangeInvitationRole(ctx.args.team, ctx.args.email, ctx.args.role))
    if ctx.json:
        print_json(invitation)
    else:
        say(
            f"The invitation of {invitation.email} to {invitation.team_name} now makes them "
            f"{invitation.role}."
        )
    return 0


def invite_link(ctx: Context) -> int:
    link = ctx.run(uc.InvitationLink(ctx.args.team, ctx.args.email))
    if ctx.json:
        print_json({"email": ctx.args.email.strip(), "link": link})
    else:
        say(link)
    return 0


def accept_invite(ctx: Context) -> int:
    """No --user: the token itself says who is joining."""
    result = ctx.core().run(None, uc.AcceptInvitation(ctx.args.token, ctx.args.name))
    if ctx.json:
        print_json(result)
        return 0
    account = "Created your account" if result.created_account else "Welcome back"
    say(f"{account}, {result.principal.email}: {result.outcome}")
    say(f"Open the app with `auxot --user {result.principal.email}`.")
    return 0
