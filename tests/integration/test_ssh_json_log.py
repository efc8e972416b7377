"""The server's log as JSON lines (AUXOT_LOG_FORMAT=json or --log-format json): one object per
line, with the fields of a session's start and end (account, key, address, duration) and of a
crashed app (its traceback)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sshd.background import BackgroundServer
from sshd.serve import JsonLineFormatter, configure_logging
from tests.integration.ssh_helpers import (
    MEMBER,
    SCREEN_TIMEOUT,
    Workspace,
    connect,
    make_workspace,
    open_app,
    run,
    serve_options,
)

ROOT = Path(__file__).resolve().parents[2]
QUICK_APP = "print('hello from the app')"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    space = make_workspace(tmp_path_factory.mktemp("ssh-json-log"))
    yield space
    space.core.db.dispose()


@pytest.fixture
def logging_as_it_was() -> Iterator[None]:
    """configure_logging changes the loggers of the whole process: give them back."""
    names = ("auxot.sshd", "asyncssh", "asyncio")
    saved = [(logging.getLogger(n), logging.getLogger(n).handlers[:]) for n in names]
    kept = [(logger, logger.level, logger.propagate) for logger, _ in saved]
    yield
    for logger, handlers in saved:
        logger.handlers[:] = handlers
    for logger, level, propagate in kept:
        logger.setLevel(level)
        logger.propagate = propagate


def test_a_json_line_holds_the_event_and_its_fields(logging_as_it_was):
    stream = io.StringIO()
    configure_logging(stream, "json")
    log = logging.getLogger("auxot.sshd")
    log.info("plain %s", "event")
    fields = {"event": "session.end", "account": "a@b.example", "duration_s": 1.5}
    log.info("session ended\nover two lines", extra={"fields": fields})
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        log.exception("it failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # one line per event, whatever the text holds
    plain, ended, failed = (json.loads(line) for line in lines)
    assert plain["message"] == "plain event" and plain["level"] == "info"
    assert plain["logger"] == "auxot.sshd" and plain["time"].endswith("Z")
    assert ended["event"] == "session.end" and ended["duration_s"] == 1.5
    assert ended["message"] == "session ended\nover two lines"
    assert failed["level"] == "error" and failed["error"] == "ValueError: bad\nvalue"


def test_a_session_start_and_end_carry_who_from_where_and_how_long(workspace, tmp_path, caplog):
    options = serve_options(
        workspace,
        host_key_path=tmp_path / "host_key",
        app_argv=[sys.executable, "-c", QUICK_APP],
    )

    async def session() -> None:
        async with connect(background.port, workspace.keys[MEMBER]) as conn:
            chan, screen = await open_app(conn)
            await screen.wait_for("hello from the app")
            await asyncio.wait_for(chan.wait_closed(), SCREEN_TIMEOUT)

    with (
        caplog.at_level(logging.INFO, logger="auxot.sshd"),
        BackgroundServer(workspace.core, options) as background,
    ):
        run(session())
    formatter = JsonLineFormatter()
    events = {}
    for record in caplog.records:
        entry = json.loads(formatter.format(record))
        if "event" in entry:
            events[entry["event"]] = entry
    start, end = events["session.start"], events["session.end"]
    for entry in (start, end):
        assert entry["account"] == MEMBER
        assert entry["key"].startswith("SHA256:")
        assert entry["address"].startswith("127.0.0.1")
        assert isinstance(entry["pid"], int) and entry["pid"] == start["pid"]
    assert end["status"] == 0 and 0 <= end["duration_s"] < SCREEN_TIMEOUT


def test_serve_ssh_writes_json_lines_to_stderr(workspace, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(AUXOT_DATA_DIR=str(tmp_path), AUXOT_SSH_WARM="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve-ssh", "--db", workspace.url]
        + ["--listen", "127.0.0.1:0", "--log-format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stderr is not None
        assert "Serving Auxot over SSH" in server.stdout.readline()
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err[-2000:]
    entries = [json.loads(line) for line in err.splitlines()]  # every line is an object
    messages = [entry["message"] for entry in entries]
    assert messages[0].startswith("serving Auxot over SSH on 127.0.0.1:")
    assert any(message.startswith("stopping: hanging up 0 session(s)") for message in messages)
    assert all(entry["time"].endswith("Z") for entry in entries)
