"""Running the server in the foreground: logging as one line per event, a clean stop on
Ctrl+C or SIGTERM (every session hung up and its app reaped)."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from core.errors import ConfigError
from core.services import Core
from core.settings import Settings
from sshd.host_key import default_host_key_path
from sshd.limits import Limits
from sshd.server import ServeOptions, SshServer

log = logging.getLogger("auxot.sshd")


class OneLineFormatter(logging.Formatter):
    """Every record on one line; exception details shrink to their type and message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info:
            error = record.exc_info[1]
            record = logging.makeLogRecord(record.__dict__)
            record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return " ".join(super().format(record).split())

    def formatException(self, ei) -> str:
        return ""


class JsonLineFormatter(logging.Formatter):
    """Every record as one JSON object on its line: time (UTC), level, logger and message,
    and the fields an event carries (``extra={"fields": {...}}``: a session's account, key,
    address and duration; a crashed app's traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, object] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: v for k, v in fields.items() if k not in entry})
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__name__}: {error}"
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(stream=None, log_format: str = "text") -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLineFormatter() if log_format == "json" else OneLineFormatter())
    for name, level in (
        ("auxot.sshd", logging.INFO),
        ("asyncssh", logging.WARNING),
        ("asyncio", logging.WARNING),
    ):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    error = context.get("exception")
    message = context.get("message", "")
    detail = f"{type(error).__name__}: {' '.join(str(error).split())}" if error else ""
    log.error("%s", " ".join(f"{message} {detail}".split()))


def serve(
    core: Core,
    *,
    database_url: str,
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 2222,
    host_key_path: Path | None = None,
    settings: Settings | None = None,
) -> int:
    """Serve until interrupted. Returns the exit code."""
    settings = settings or Settings()
    configure_logging(log_format=settings.log_format)
    options = ServeOptions(
        database_url=database_url,
        data_dir=data_dir,
        host_key_path=host_key_path or default_host_key_path(data_dir),
        host=host,
        port=port,
        limits=limits_from(settings),
        access_check_interval=settings.ssh_access_check_interval,
        outbox_interval=settings.ssh_outbox_interval,
        warm=settings.ssh_warm,
    )
    return asyncio.run(_serve(core, options))


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_startups=settings.ssh_max_startups,
        max_startups_per_source=settings.ssh_max_startups_per_source,
        login_grace_time=settings.ssh_login_grace_time,
        max_sessions=settings.ssh_max_sessions,
        max_sessions_per_account=settings.ssh_max_sessions_per_account,
        max_sessions_per_connection=settings.ssh_max_sessions_per_connection,
    )


async def _serve(core: Core, options: ServeOptions) -> int:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(loop_exception_handler)
    server = SshServer(core, options)
    try:
        await server.start()
    except OSError as error:
        # Host-key problems arrive as ConfigError already; these are the socket's.
        raise ConfigError(
            f"Cannot listen on {options.host}:{options.port}: {error.strerror or error}."
        ) from None
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    host, port = server.address
    made = " (new)" if server.host_key_created else ""
    log.info(
        "serving Auxot over SSH on %s:%s; host key %s%s at %s; database %s",
        host,
        port,
        server.host_fingerprint,
        made,
        options.host_key_path,
        _safe_url(options.database_url),
    )
    sys.stdout.write(
        f"Serving Auxot over SSH on {host}:{port} (host key {server.host_fingerprint}). "
        "Stop with Ctrl+C.\n"
    )
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        log.info("stopping: hanging up %d session(s)", len(server.sessions))
        await server.close()
    return 0


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "(unreadable URL)"
