"""``auxot health``: whether this installation can serve, checked without changing anything
(no migration, no database file created): the database answers, its schema is the one this
version needs, the data directory is writable, mail is configured sensibly and its server
answers, and how much mail is waiting."""

from __future__ import annotations

import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from core.db import HEAD_REVISION, create_engine_for, current_revision, invalid_url, release_of
from core.errors import ConfigError
from core.models import OutboxMessage
from core.settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_health(settings: Settings) -> list[Check]:
    checks = _database_checks(settings.resolved_database_url())
    checks.append(_data_dir_check(settings.resolved_data_dir()))
    checks.append(_mail_check(settings))
    return checks


def _database_checks(url: str) -> list[Check]:
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(parsed.database).expanduser()
            if not path.is_file():
                return [Check("database", False, f"there is no database file at {path}")]
        engine = create_engine_for(url)
    except ConfigError as error:
        return [Check("database", False, str(error))]
    except Exception:  # noqa: BLE001 - an unreadable URL is one failed check
        return [Check("database", False, str(invalid_url(url)))]
    shown = engine.url.render_as_string(hide_password=True)
    try:
        revision = current_revision(engine)
        checks = [Check("database", True, f"reachable at {shown}")]
        if revision == HEAD_REVISION:
            checks.append(Check("schema", True, f"at revision {revision}, this version's"))
            checks.append(_outbox_check(engine))
        elif revision is None:
            checks.append(Check("schema", False, "empty: run `auxot init` or `auxot db upgrade`"))
        elif revision.isdigit() and HEAD_REVISION.isdigit() and revision < HEAD_REVISION:
            checks.append(
                Check(
                    "schema",
                    False,
                    f"at revision {revision}, needs {HEAD_REVISION}: run `auxot db upgrade`",
                )
            )
        else:
            newer = "a newer version of Auxot Teams"
            if release := release_of(engine, revision):
                newer += f" ({release})"
            checks.append(Check("schema", False, f"at revision {revision}, made by {newer}"))
        return checks
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return [Check("database", False, f"cannot reach {shown}: {reason}")]
    finally:
        engine.dispose()


def _outbox_check(engine: Engine) -> Check:
    with engine.connect() as conn:
        waiting, oldest = conn.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_(("queued", "failed", "sending"))
            )
        ).one()
    if not waiting:
        return Check("outbox", True, "no mail waiting")
    return Check(
        "outbox", True, f"{waiting} message(s) waiting, the oldest from {oldest:%Y-%m-%d %H:%M}"
    )


def _data_dir_check(data_dir: Path) -> Check:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".health-"):
            pass
    except OSError as error:
        return Check(
            "data directory", False, f"{data_dir} is not writable: {error.strerror or error}"
        )
    return Check("data directory", True, f"{data_dir} is writable")


def _mail_check(settings: Settings) -> Check:
    if not settings.smtp_host:
        return Check("mail", True, f"no mail server: mail is written to {settings.outbox_dir()}")
    address = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with socket.create_connection(
            (settings.smtp_host, settings.smtp_port), timeout=min(settings.smtp_timeout, 5.0)
        ):
            pass
    except OSError as error:
        return Check(
            "mail", False, f"the mail server {address} does not answer: {error.strerror or error}"
        )
    return Check("mail", True, f"the mail server {address} answers")
