"""``auxot members``: who is in a team and with which role."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say, to_jsonable, warn
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc
from core.vocabulary import with_article

if TYPE_CHECKING:
    from core.views import DeliveryReport


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "members", "a team's members and their roles")
    listing = adder.add(group, "list", list_members, "list a team's members")
    add_limit_option(listing, DEFAULT_LIMIT, "members")
    listing.add_argument("team", metavar="TEAM", help="the team's name or id")
    listing.add_argument("--filter", default="", metavar="TEXT", help="match names and emails")

    add = adder.add(
        group,
        "add",
        add_members,
        "add people to a team: existing accounts join at once, other addresses are invited by "
        "email",
    )
    add.add_argument("team", metavar="TEAM", help="the team's name or id")
    add.add_argument(
        "emails", nargs="+", metavar="EMAIL", help="one or more addresses; each gets its own result"
    )
    add.add_argument(
        "--role", default="member", metavar="R", help="owner, admin or member (default)"
    )

    role = adder.add(group, "role", change_role, "change a member's role")
    role.add_argument("team", metavar="TEAM", help="the team's name or id")
    role.add_argument("email", metavar="EMAIL")
    role.add_argument("role", metavar="ROLE", help="owner, admin or member")

    remove = adder.add(group, "remove", remove_member, "remove a member from a team")
    remove.add_argument("team", metavar="TEAM", help="the team's name or id")
    remove.add_argument("email", metavar="EMAIL")
    add_yes_option(remove)

    leave = adder.add(group, "leave", leave_team, "leave a team yourself")
    leave.add_argument("team", metavar="TEAM", help="the team's name or id")


def list_members(ctx: Context) -> int:
    page = ctx.run(uc.ListMembers(ctx.args.team, ctx.args.filter, page=more(ctx)))
    return print_page(
        ctx,
        page,
        "member",
        ("NAME", "EMAIL", "ROLE", "STATUS", "ADDED", "ADDED BY"),
        (
            (m.display_name, m.email, m.role, m.status, m.added_at, m.added_by or "-")
            for m in page.items
        ),
        empty="No members match.",
    )


def add_members(ctx: Context) -> int:
    """Existing accounts are added at once, unknown addresses invited by email (DESIGN §6).
    Each address gets its own result line; one refusal does not stop the others."""
    # Resolve the team once, so a wrong team name is one sentence rather than one per address.
    team = ctx.run(uc.OpenTeam(ctx.args.team)).team
    # Core sends the mail of what it committed before this returns (failures are retried).
    outcomes = ctx.run(uc.InviteMembers(team.id, tuple(ctx.args.emails), ctx.args.role))
    report = ctx.delivery()
    if ctx.json:
        results = [{**to_jsonable(o), "ok": o.ok} for o in outcomes]
        print_json({"results": results, "mail": report})
    else:
        for outcome in outcomes:
            if outcome.ok:
                say(outcome.message)
            else:
                # Core's sentence usually names the address already; only prefix it when not.
                named = outcome.address.strip().casefold() in outcome.message.casefold()
                warn(outcome.message if named else f"{outcome.address}: {outcome.message}")
        if report is not None:
            say_delivery(report)
    # Fewer outcomes than addresses: core stopped at a refusal that would repeat for each.
    complete = len(outcomes) == len(ctx.args.emails)
    return 0 if complete and all(o.ok for o in outcomes) else 1


def say_delivery(report: DeliveryReport | None) -> None:
    """What became of each email: sent, written to a file, queued (why) or refused for good."""
    from core.delivery import delivery_lines

    if report is None:
        return
    for line in delivery_lines(report):
        (say if line.ok else warn)(line.text)
    if report.left:
        warn("Run `auxot outbox flush` to send the rest.")


def change_role(ctx: Context) -> int:
    team = ctx.run(uc.OpenTeam(ctx.args.team)).team
    member = ctx.run(uc.ChangeRole(team.id, ctx.args.email, ctx.args.role))
    if ctx.json:
        print_json(member)
    else:
        say(f"{member.email} is now {with_article(member.role)} in {team.name}.")
    return 0


def remove_member(ctx: Context) -> int:
    confirm(ctx, f"Remove {quoted(ctx.args.email)} from {quoted(ctx.args.team)}?")
    team = ctx.run(uc.OpenTeam(ctx.args.team)).team
    ctx.run(uc.RemoveMember(team.id, ctx.args.email))
    if ctx.json:
        print_json({"team": team.name, "email": ctx.args.email.strip(), "removed": True})
    else:
        say(f"Removed {ctx.args.email.strip()} from {team.name}.")
    return 0


def leave_team(ctx: Context) -> int:
    team = ctx.run(uc.OpenTeam(ctx.args.team)).team
    ctx.run(uc.LeaveTeam(team.id))
    if ctx.json:
        print_json({"team": team.name, "email": ctx.actor().email, "left": True})
    else:
        say(f"You left {team.name}.")
    return 0
