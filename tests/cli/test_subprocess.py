"""The real console script: exit codes, no traceback, and no Textual import for plain commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import OWNER


def _auxot_command() -> list[str]:
    script = Path(sys.executable).parent / "auxot"
    if script.exists():
        return [str(script)]
    found = shutil.which("auxot")
    return [found] if found else [sys.executable, "-m", "cli"]


@pytest.fixture
def run(db_url: str, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(AUXOT_DATABASE_URL=db_url, AUXOT_DATA_DIR=str(tmp_path / "data"))

    def auxot(*argv: str, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*(command or _auxot_command()), *argv],
            check=False,
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )

    return auxot


def test_console_script_exit_codes(run) -> None:
    done = run("init", "--workspace", "Acme", "--owner", OWNER)
    assert done.returncode == 0, done.stderr
    refused = run("members", "role", "1", OWNER, "member", "--user", OWNER)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert run("teams", "create", "Ops", "--user", OWNER).returncode == 0
    last = run("members", "role", "Ops", OWNER, "member", "--user", OWNER)
    assert last.returncode == 1
    assert last.stderr == (
        "You are the last owner of Ops; make someone else an owner before you change that role.\n"
    )
    usage = run("teams", "nope")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    for result in (done, refused, last, usage):
        assert "Traceback" not in result.stderr + result.stdout


def test_python_dash_m_cli_and_bad_db(run) -> None:
    module = [sys.executable, "-m", "cli"]
    bad = run("--db", "nonsense://", "--user", OWNER, "teams", "list", command=module)
    assert bad.returncode == 1
    assert bad.stderr == "The database 'nonsense' is not supported; use SQLite or PostgreSQL.\n"
    assert run("--help", command=module).returncode == 0


def test_plain_commands_do_not_import_textual(run) -> None:
    run("init", "--workspace", "Acme", "--owner", OWNER)
    probe = (
        "import sys; from cli.main import main; "
        f"code = main(['teams', 'list', '--user', {OWNER!r}]); "
        "print(code, 'textual' in sys.modules)"
    )
    result = run("-c", probe, command=[sys.executable])
    assert result.stdout.splitlines()[-1] == "0 False", result.stderr


def test_app_without_a_terminal_does_not_hang(run) -> None:
    result = run("demo")
    assert result.returncode == 1
    assert result.stderr == (
        "The app needs a terminal; for scripts use the commands (see `auxot --help`).\n"
    )
