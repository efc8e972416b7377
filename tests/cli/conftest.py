"""Running ``auxot`` in-process against the ``db_url`` database of each backend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

from cli.main import main

OWNER = "owner@acme.example.com"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Auxot(Protocol):
    def __call__(self, *argv: str) -> Run: ...


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No AUXOT_ setting or .env file of the machine leaks in; the data dir is private."""
    import os

    for name in list(os.environ):
        if name.startswith("AUXOT_") and name not in (
            "AUXOT_TEST_DATABASE_URL",
            "AUXOT_CONFIG_DIR",
        ):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("AUXOT_DATA_DIR", str(data))
    return data


@pytest.fixture
def auxot(
    isolated: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Auxot:
    """``auxot(*argv)`` runs the CLI on the test database and returns code, stdout, stderr."""
    monkeypatch.setenv("AUXOT_DATABASE_URL", db_url)

    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def acme(auxot: Auxot, monkeypatch: pytest.MonkeyPatch) -> Auxot:
    """A business workspace whose owner is the acting user, with two more accounts."""
    assert auxot("init", "--workspace", "Acme", "--owner", OWNER, "--name", "Olive Owner").code == 0
    monkeypatch.setenv("AUXOT_USER", OWNER)
    assert auxot("users", "add", "alice@acme.example.com", "--name", "Alice Liddell").code == 0
    assert auxot("users", "add", "bob@acme.example.com", "--name", "Bob Builder").code == 0
    return auxot


def assert_refused(run: Run, *words: str) -> None:
    """Exit 1 with one sentence on stderr, no traceback, nothing on stdout."""
    assert run.code == 1, (run.out, run.err)
    assert "Traceback" not in run.err
    assert run.err.count("\n") == 1, run.err
    for word in words:
        assert word in run.err, run.err
