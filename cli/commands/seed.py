"""``auxot seed``: a large synthetic workspace for benchmarks and trying the app at scale."""

from __future__ import annotations

import argparse

from cli.arguments import non_negative_int
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    seed = adder.add(
        subparsers, "seed", seed_database, "fill the database with synthetic teams and users"
    )
    seed.add_argument("--teams", type=non_negative_int, required=True, metavar="N")
    seed.add_argument("--users", type=non_negative_int, required=True, metavar="N")
    seed.add_argument("--members-per-team", type=non_negative_int, required=True, metavar="N")
    seed.add_argument(
        "--big-team",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="also one team with N members",
    )
    seed.add_argument(
        "--rng-seed",
        type=int,
        default=1,
        metavar="N",
        help="the same seed gives the same names and memberships",
    )


def seed_database(ctx: Context) -> int:
    from core.seeding import SEED_OWNER_EMAIL, seed_workspace

    args = ctx.args
    result = seed_workspace(
        ctx.open(),
        args.teams,
        args.users,
        args.members_per_team,
        big_team_members=args.big_team,
        rng_seed=args.rng_seed,
    )
    if ctx.json:
        print_json(result)
        return 0
    say(
        f"Seeded {result.users:,} users, {result.teams:,} teams and "
        f"{result.memberships:,} memberships in {result.seconds:.1f} s."
    )
    if result.workspace_created:
        say(f"Created the workspace; act as its owner with --user {SEED_OWNER_EMAIL}.")
    return 0
