"""The UI benchmark's data sets: seeded once and kept, a SQLite file under --cache and a
PostgreSQL database of the benchmark's own (with a small SQLite one beside the large, for the
app's memory without the data set)."""

from __future__ import annotations

import argparse
from pathlib import Path

PG_DATABASE = "auxot_ui_bench"
SMALL = {"teams": 50, "users": 1_000, "members_per_team": 10, "big_team": 500}


def small_args(args: argparse.Namespace) -> argparse.Namespace:
    """The same run on a small workspace: the app's memory without the data set."""
    return argparse.Namespace(**{**vars(args), **SMALL})


def sqlite_url(args: argparse.Namespace) -> str:
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / (
        f"ui-bench-{args.teams}-{args.users}-{args.members_per_team}-{args.big_team}.db"
    )
    url = f"sqlite:///{path}"
    if path.exists() and not args.reseed:
        return url
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    seed(url, args)
    return url


def postgres_url(args: argparse.Namespace) -> str:
    """A database of the benchmark's own on the --postgres server, seeded once."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.postgres).set(drivername="postgresql+psycopg")
    url = server.set(database=PG_DATABASE).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": PG_DATABASE}
            )
            if exists and (args.reseed or not seeded_as_asked(url, args)):
                conn.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                exists = False
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
                seed(url, args)
    finally:
        admin.dispose()
    # Seeded by an earlier version: its schema brought up to this one, as `auxot db upgrade`.
    from core.db import open_database

    open_database(url, auto_upgrade=True).engine.dispose()
    return url


def drop_postgres(args: argparse.Namespace) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.postgres).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    admin.dispose()


def seeded_as_asked(url: str, args: argparse.Namespace) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            teams = conn.scalar(text("SELECT count(*) FROM teams"))
            users = conn.scalar(text("SELECT count(*) FROM users"))
    except Exception:  # noqa: BLE001 - a half-made database is simply made again
        return False
    finally:
        engine.dispose()
    return teams == args.teams + 1 and users == args.users + 1


def seed(url: str, args: argparse.Namespace) -> None:
    from core.db import open_database
    from core.seeding import seed_workspace

    print(f"seeding {url} ...", flush=True)
    db = open_database(url, auto_upgrade=True)
    try:
        result = seed_workspace(
            db, args.teams, args.users, args.members_per_team, big_team_members=args.big_team
        )
        if db.is_sqlite:
            import sqlite3

            with sqlite3.connect(str(db.engine.url.database)) as conn:
                conn.execute("ANALYZE")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # What autovacuum does on a live server soon after a bulk load: statistics and
            # the visibility map (for index-only scans).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        print(
            f"seeded {result.users:,} users, {result.teams:,} teams, "
            f"{result.memberships:,} memberships in {result.seconds:.1f} s",
            flush=True,
        )
    finally:
        db.dispose()
