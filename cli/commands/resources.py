"""``auxot resources``: agents, skills, context files and tool policies."""

from __future__ import annotations

import argparse

from cli.arguments import resource_kind
from cli.commands import resource_edit
from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.usecases import commands as uc
from core.vocabulary import kind_label


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "resources", "agents, skills, context files and tool policies")
    listing = adder.add(group, "list", list_resources, "list the resources you can see")
    add_limit_option(listing, DEFAULT_LIMIT, "resources")
    listing.add_argument("--team", metavar="TEAM", help="only this team's resources")
    listing.add_argument("--kind", type=resource_kind, metavar="K", help="only this kind")

    create = adder.add(group, "create", create_resource, "create a resource")
    create.add_argument(
        "kind", type=resource_kind, metavar="KIND", help="agent, skill, context-file or tool-policy"
    )
    create.add_argument("name", metavar="NAME")
    scope = create.add_mutually_exclusive_group()
    scope.add_argument("--team", metavar="TEAM", help="scope it to this team")
    scope.add_argument("--personal", action="store_true", help="scope it to yourself")
    create.add_argument("--body", default="", metavar="TEXT", help="its content")

    delete = adder.add(group, "delete", delete_resource, "delete a resource")
    delete.add_argument("kind", type=resource_kind, metavar="KIND")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--team", metavar="TEAM", help="the team it is scoped to")
    add_yes_option(delete)
    resource_edit.register_under(group, adder)


def list_resources(ctx: Context) -> int:
    page = ctx.run(uc.ListResources(ctx.args.team, ctx.args.kind, page=more(ctx)))
    items = page.items
    return print_page(
        ctx,
        page,
        "resource",
        ("KIND", "NAME", "SCOPE", "TEAM", "OWNER", "CREATED"),
        (
            (
                kind_label(r.kind),
                r.name,
                r.scope,
                r.team_name or "-",
                r.owner_email or "-",
                r.created_at,
            )
            for r in items
        ),
        empty="No resources to show.",
    )


def create_resource(ctx: Context) -> int:
    args = ctx.args
    resource = ctx.run(
        uc.CreateResource(args.kind, args.name, args.team, args.body, personal=args.personal)
    )
    if ctx.json:
        print_json(resource)
        return 0
    where = {
        "team": f"in {resource.team_name}",
        "user": "for you alone",
        "workspace": "for the whole workspace",
    }[resource.scope]
    say(f"Created the {kind_label(resource.kind)} {resource.name} {where}.")
    return 0


def delete_resource(ctx: Context) -> int:
    resource = ctx.run(uc.FindResource(ctx.args.kind, ctx.args.name, ctx.args.team))
    where = f" of {resource.team_name}" if resource.team_name else ""
    confirm(ctx, f"Delete the {kind_label(resource.kind)} {resource.name}{where}?")
    ctx.run(uc.DeleteResource(resource.id))
    if ctx.json:
        print_json({"deleted": resource})
    else:
        where = f" from {resource.team_name}" if resource.team_name else ""
        say(f"Deleted the {kind_label(resource.kind)} {resource.name}{where}.")
    return 0
