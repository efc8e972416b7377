"""``auxot db upgrade``: bring a database's schema to this version on purpose; ``auxot db
backup PATH``: a consistent copy of a SQLite database."""

from __future__ import annotations

import argparse

from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from core.errors import ConfigError


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "db", "the database schema")
    adder.add(group, "upgrade", upgrade_database, "run every pending schema revision")
    backup = adder.add(
        group, "backup", backup_database, "copy a SQLite database (safe while in use)"
    )
    backup.add_argument("path", metavar="PATH", help="the copy to write (replaced if it exists)")


def backup_database(ctx: Context) -> int:
    from pathlib import Path

    from core.db import create_engine_for
    from core.sqlite_backup import backup_sqlite, sqlite_path

    engine = create_engine_for(ctx.database_url())
    try:
        source = sqlite_path(engine)
    finally:
        engine.dispose()
    if source is None:
        raise ConfigError(
            "`auxot db backup` copies SQLite databases; back up PostgreSQL with pg_dump."
        )
    if not source.is_file():
        raise ConfigError(f"There is no database file at {source}.")
    target = backup_sqlite(source, Path(ctx.args.path).expanduser())
    if ctx.json:
        print_json({"from": str(source), "to": str(target)})
    else:
        say(f"Copied the database {source} to {target}.")
    return 0


def upgrade_database(ctx: Context) -> int:
    # Not open_database: that refuses an older shared PostgreSQL schema, which is exactly
    # what this command is for.
    from sqlalchemy.exc import SQLAlchemyError

    from core.db import create_engine_for, current_revision, upgrade

    url = ctx.database_url()
    engine = create_engine_for(url, create_folder=not ctx.settings.database_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ConfigError(f"Cannot upgrade the database at {engine.url!r}: {reason}") from None
    finally:
        engine.dispose()
    if ctx.json:
        print_json({"from": before, "to": after})
    elif before == after:
        say(f"The database is already at revision {after}.")
    else:
        say(f"Upgraded the database from revision {before or 'none'} to {after}.")
    return 0
