"""One module per command group; each exposes ``register(subparsers, adder)``."""

from __future__ import annotations

from cli.commands import app, audit, database, members, resources, seed, teams, users, workspace

GROUPS = (workspace, users, teams, members, resources, audit, database, seed, app)

__all__ = ["GROUPS"]
