"""``auxot serve-api`` as a process: it serves, and SIGTERM writes the last uses and exits 0."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from core.services import Core
from tests.api.test_server import call

TEAM = "Ops"


def test_serve_api_answers_and_writes_last_uses_when_stopped(core: Core, owner, db_url, tmp_path):
    core.create_team(owner, TEAM)
    key = core.create_key(owner, TEAM, "CI").plaintext
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(AUXOT_DATABASE_URL=db_url, AUXOT_DATA_DIR=str(tmp_path / "data"))
    script = Path(sys.executable).parent / "auxot"
    server = subprocess.Popen(
        [str(script), "serve-api", "--listen", "127.0.0.1:0", "--flush-interval", "3600"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        started = server.stderr.readline()
        port = re.search(r"127\.0\.0\.1:(\d+)", started)
        assert port is not None, started
        url = f"http://127.0.0.1:{port.group(1)}/v1/keys/verify"
        assert call(url, headers={"x-api-key": key}).status == 200
        assert core.list_keys(owner, TEAM).items[0].last_used_at is None
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    [listed] = core.list_keys(owner, TEAM).items
    assert listed.last_used_from == "127.0.0.1" and listed.last_used_at is not None
