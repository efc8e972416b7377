"""``auxot health``: exit 0 with every check passing, 1 with one line naming what fails, for
a good database, a missing one, one that is down, one of a newer schema, and mail."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cli.main import main
from core.db import HEAD_REVISION, open_database
from core.services import Core
from core.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUXOT_DATA_DIR", str(tmp_path))
    for name in ("AUXOT_DATABASE_URL", "AUXOT_SMTP_HOST", "AUXOT_SMTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def good_db(data_dir: Path) -> str:
    url = f"sqlite:///{data_dir / 'auxot.db'}"
    core = Core(open_database(url), settings=Settings(data_dir=data_dir))
    owner = core.init_workspace("Acme", "olive@acme.example.com", "Olive Owner")
    core.create_team(owner, "Platform")
    core.invite_member(owner, "Platform", "nina@example.com", "member")  # queued, not sent
    core.db.dispose()
    return url


def health(capsys: pytest.CaptureFixture[str], url: str) -> tuple[int, dict[str, dict]]:
    code = main(["health", "--db", url, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is (code == 0)
    return code, {check["name"]: check for check in report["checks"]}


def test_a_good_installation_is_healthy(capsys, good_db):
    code, checks = health(capsys, good_db)
    assert code == 0
    assert set(checks) == {"database", "schema", "outbox", "data directory", "mail"}
    assert HEAD_REVISION in checks["schema"]["detail"]
    assert checks["outbox"]["detail"].startswith("1 message(s) waiting")
    # Without --json: one line per check.
    assert main(["health", "--db", good_db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("ok") for line in lines)


def test_a_missing_sqlite_file_fails_and_is_not_created(capsys, data_dir):
    url = f"sqlite:///{data_dir / 'nowhere.db'}"
    code, checks = health(capsys, url)
    assert code == 1 and not checks["database"]["ok"]
    assert not (data_dir / "nowhere.db").exists()


def test_a_database_that_is_down_fails(capsys, data_dir):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        code, checks = health(capsys, f"postgresql+psycopg://auxot@127.0.0.1:{port}/auxot")
    assert code == 1
    assert "cannot reach" in checks["database"]["detail"]
    assert "Traceback" not in checks["database"]["detail"]


def test_a_database_of_a_newer_schema_fails_and_is_left_alone(capsys, good_db):
    engine = create_engine(good_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    code, checks = health(capsys, good_db)
    assert code == 1
    assert "newer version of Auxot Teams" in checks["schema"]["detail"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


def test_mail_server_answering_or_not(capsys, good_db, monkeypatch, smtp):
    monkeypatch.setenv("AUXOT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AUXOT_SMTP_PORT", str(smtp.port))
    code, checks = health(capsys, good_db)
    assert code == 0 and "answers" in checks["mail"]["detail"]
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("AUXOT_SMTP_PORT", str(closed.getsockname()[1]))
        code, checks = health(capsys, good_db)
    assert code == 1 and "does not answer" in checks["mail"]["detail"]
