"""A database records which release of Auxot Teams brought its schema revision, so that an
older release meeting a newer schema says which release it needs, and changes nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cli.main import main
from core.db import HEAD_REVISION, open_database
from core.errors import ConfigError
from core.release import this_release
from core.services import Core
from core.settings import Settings

NEWER = "0099"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AUXOT_DATA_DIR", str(tmp_path))
    for name in ("AUXOT_DATABASE_URL", "AUXOT_SMTP_HOST", "AUXOT_USER"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'auxot.db'}"
    core = Core(open_database(url), settings=Settings(data_dir=tmp_path))
    core.init_workspace("Acme", "olive@acme.example.com", "Olive Owner")
    core.db.dispose()
    return url


def _sql(url: str, statement: str, **values: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), values)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _as_if_newer(url: str, release: str | None) -> None:
    """What a later release leaves: its revision, and (if it records one) its row."""
    _sql(url, "UPDATE alembic_version SET version_num = :r", r=NEWER)
    if release is not None:
        _sql(url, "INSERT INTO schema_releases VALUES (:r, :v)", r=NEWER, v=release)


def _digest(url: str) -> str:
    return hashlib.sha256(Path(url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


def test_an_upgrade_records_this_release_for_the_head_revision(db: str) -> None:
    release = this_release()
    assert release  # the package is installed, as the README's install makes it
    assert _sql(db, "SELECT revision, release FROM schema_releases") == [(HEAD_REVISION, release)]
    open_database(db).dispose()  # opening again writes nothing more
    assert _sql(db, "SELECT count(*) FROM schema_releases") == [(1,)]


def test_a_newer_schema_names_the_release_it_needs_and_nothing_changes(db, capsys) -> None:
    _as_if_newer(db, "7.3.0")
    before = _digest(db)
    with pytest.raises(ConfigError) as refused:
        open_database(db)
    sentence = str(refused.value)
    assert f"schema revision {NEWER}, from Auxot Teams 7.3.0" in sentence
    assert "upgrade Auxot to 7.3.0 or newer" in sentence and sentence.endswith("Nothing changed.")
    # The same from the command line, and from `db upgrade`, which must not try.
    for argv in (["teams", "list", "--user", "olive@acme.example.com"], ["db", "upgrade"]):
        assert main([*argv, "--db", db]) == 1
        err = capsys.readouterr().err
        assert "Auxot Teams 7.3.0" in err and "Traceback" not in err
    assert _digest(db) == before


def test_health_names_the_release_of_a_newer_schema(db, capsys) -> None:
    _as_if_newer(db, "7.3.0")
    assert main(["health", "--db", db, "--json"]) == 1
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert not checks["schema"]["ok"]
    assert checks["schema"]["detail"] == (
        f"at revision {NEWER}, made by a newer version of Auxot Teams (7.3.0)"
    )


def test_a_newer_schema_without_a_recorded_release_says_only_that_it_is_newer(db) -> None:
    _as_if_newer(db, None)
    with pytest.raises(ConfigError) as refused:
        open_database(db)
    assert str(refused.value) == (
        f"The database was created by a newer version of Auxot (schema revision {NEWER}); "
        "upgrade Auxot to use it. Nothing changed."
    )
