"""One module per command group; each exposes ``register(subparsers, adder)``."""

from __future__ import annotations

from cli.commands import (
    api,
    app,
    ask,
    audit,
    completion,
    database,
    health,
    invites,
    keys,
    members,
    outbox,
    resources,
    seed,
    ssh,
    teams,
    users,
    workspace,
)

GROUPS = (
    workspace,
    users,
    teams,
    members,
    invites,
    keys,
    resources,
    audit,
    outbox,
    database,
    health,
    seed,
    ssh,
    api,
    ask,
    completion,
    app,
)

__all__ = ["GROUPS"]
