"""An app that dies of an error in a session: its traceback goes to the server's log, and the
user's terminal gets one sentence and no traceback. The app here is a small Textual app that
fails as it starts, wired to the server as the real one is (tui.crash_report)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from sshd.background import BackgroundServer
from sshd.serve import JsonLineFormatter
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
from tui.crash_report import CRASH_SENTENCE

FAILING_APP = """
from textual.app import App
from tui.crash_report import say_if_crashed, send_crashes_to_server

class Failing(App):
    def on_mount(self) -> None:
        raise RuntimeError("the app failed while mounting")

app = Failing()
send_crashes_to_server(app)
app.run()
say_if_crashed(app)
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    space = make_workspace(tmp_path_factory.mktemp("ssh-crash"))
    yield space
    space.core.db.dispose()


def test_a_crash_is_logged_on_the_server_not_shown_to_the_user(workspace, tmp_path, caplog):
    options = serve_options(
        workspace,
        host_key_path=tmp_path / "host_key",
        app_argv=[sys.executable, "-c", FAILING_APP],
    )

    async def session() -> str:
        async with connect(background.port, workspace.keys[MEMBER]) as conn:
            chan, screen = await open_app(conn)
            await screen.wait_for(CRASH_SENTENCE)
            await asyncio.wait_for(chan.wait_closed(), SCREEN_TIMEOUT)
            return screen.text()

    with (
        caplog.at_level(logging.ERROR, logger="auxot.sshd"),
        BackgroundServer(workspace.core, options) as background,
    ):
        shown = run(session())
    assert "Traceback" not in shown and "failed while mounting" not in shown
    records = [r for r in caplog.records if "crashed" in r.getMessage()]
    crashes = [r.getMessage() for r in records]
    assert len(crashes) == 1
    assert MEMBER in crashes[0]
    assert "RuntimeError" in crashes[0] and "the app failed while mounting" in crashes[0]
    # As a JSON line (AUXOT_LOG_FORMAT=json): the traceback whole, in a field of its own.
    entry = json.loads(JsonLineFormatter().format(records[0]))
    assert entry["event"] == "app.crash" and entry["account"] == MEMBER
    assert "Traceback" in entry["traceback"]
    assert "RuntimeError: the app failed while mounting" in entry["traceback"]
