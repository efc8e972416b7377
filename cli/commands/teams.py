"""``auxot teams``: list, create, rename, describe and delete (archive) teams."""

from __future__ import annotations

import argparse

from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say, truncate
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc
from core.vocabulary import count

DESCRIPTION_COLUMN = 60


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "teams", "the workspace's teams")
    listing = adder.add(group, "list", list_teams, "list the teams you can see")
    add_limit_option(listing, DEFAULT_LIMIT, "teams")
    listing.add_argument("--filter", default="", metavar="TEXT", help="match team names")

    create = adder.add(group, "create", create_team, "create a team; you become its owner")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--description", default="", metavar="D")

    rename = adder.add(group, "rename", rename_team, "rename a team")
    rename.add_argument("team", metavar="TEAM", help="the team's name or id")
    rename.add_argument("new_name", metavar="NEW")

    describe = adder.add(group, "describe", describe_team, "set a team's description")
    describe.add_argument("team", metavar="TEAM", help="the team's name or id")
    describe.add_argument("text", metavar="TEXT", help="the new description ('' clears it)")

    delete = adder.add(group, "delete", delete_team, "delete (archive) a team")
    delete.add_argument("team", metavar="TEAM", help="the team's name or id")
    add_yes_option(delete)

    archived = adder.add(
        group, "archived", list_archived, "list deleted teams you could restore, newest first"
    )
    add_limit_option(archived, 50, "teams")

    restore = adder.add(
        group, "restore", restore_team, "bring a deleted team back; its API keys stay revoked"
    )
    restore.add_argument("team", metavar="TEAM", help="the deleted team's name or id")


def list_teams(ctx: Context) -> int:
    page = ctx.run(uc.ListTeams(ctx.args.filter, page=more(ctx)))
    return print_page(
        ctx,
        page,
        "team",
        ("ID", "NAME", "MEMBERS", "YOUR ROLE", "DESCRIPTION"),
        (
            (
                t.id,
                t.name,
                t.member_count,
                t.my_role or "-",
                truncate(" ".join(t.description.split()), DESCRIPTION_COLUMN),
            )
            for t in page.items
        ),
        empty="No teams to show." if not ctx.args.filter else "No team names match.",
    )


def create_team(ctx: Context) -> int:
    team = ctx.run(uc.CreateTeam(ctx.args.name, ctx.args.description))
    if ctx.json:
        print_json(team)
    else:
        say(f"Created the team {team.name} (#{team.id}); you are its owner.")
    return 0


def rename_team(ctx: Context) -> int:
    old = ctx.run(uc.OpenTeam(ctx.args.team)).team.name
    team = ctx.run(uc.RenameTeam(ctx.args.team, ctx.args.new_name))
    if ctx.json:
        print_json(team)
    else:
        say(f"Renamed the team {old} to {team.name}.")
    return 0


def describe_team(ctx: Context) -> int:
    team = ctx.run(uc.DescribeTeam(ctx.args.team, ctx.args.text))
    if ctx.json:
        print_json(team)
    elif team.description:
        say(f"Updated the description of {team.name}.")
    else:
        say(f"Cleared the description of {team.name}.")
    return 0


def delete_team(ctx: Context) -> int:
    confirm(ctx, f"Delete the team {quoted(ctx.args.team)}? Its keys stop working.")
    team = ctx.run(uc.ArchiveTeam(ctx.args.team))
    if ctx.json:
        print_json(team)
    else:
        say(
            f"Deleted the team {team.name}; its name is free again and the audit log keeps its history."
        )
    return 0


def list_archived(ctx: Context) -> int:
    page = ctx.run(uc.ListArchivedTeams(more(ctx)))
    return print_page(
        ctx,
        page,
        "deleted team",
        ("ID", "NAME", "MEMBERS", "DELETED", "DESCRIPTION"),
        (
            (
                t.id,
                t.name,
                t.member_count,
                t.archived_at,
                truncate(" ".join(t.description.split()), DESCRIPTION_COLUMN),
            )
            for t in page.items
        ),
        empty="No deleted teams that you could restore.",
    )


def restore_team(ctx: Context) -> int:
    team = ctx.run(uc.RestoreTeam(ctx.args.team))
    if ctx.json:
        print_json(team)
    else:
        say(
            f"Restored the team {team.name} (#{team.id}) with {count(team.member_count, 'member')}; "
            "its old API keys stay revoked."
        )
    return 0
