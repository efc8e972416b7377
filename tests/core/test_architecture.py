"""The shape of core: no UI imports, and a schema that Alembic and the models agree on."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import core
from core.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    create_engine_for,
    current_revision,
    known_revisions,
    open_database,
)
from core.models import SCHEMA_METADATA, Base
from core.services import Core

CORE_DIR = Path(core.__file__).parent
REPO_ROOT = CORE_DIR.parent
FORBIDDEN = ("textual", "tui", "cli")  # core is below every front end, never beside one


def _core_modules() -> list[Path]:
    paths = sorted(CORE_DIR.rglob("*.py"))
    assert len(paths) > 10, paths  # the walk really found core
    return paths


def _forbidden_imports(path: Path) -> list[str]:
    return _forbidden_imports_in(path.read_text(encoding="utf-8"), str(path.relative_to(REPO_ROOT)))


def _forbidden_imports_in(source: str, label: str) -> list[str]:
    tree = ast.parse(source, filename=label)
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        for name in names:
            if name.split(".")[0] in FORBIDDEN:
                found.append(f"{label}:{node.lineno} imports {name}")
    return found


def test_no_core_module_imports_the_ui() -> None:
    problems = [problem for path in _core_modules() for problem in _forbidden_imports(path)]
    assert not problems, "\n".join(problems)


def test_the_import_check_sees_what_it_looks_for() -> None:
    """The checker itself: each way of importing the UI is caught; relative imports and
    look-alike names are not."""
    source = (
        "import os\nimport textual.app\nfrom tui.screens import x\nfrom . import views\n"
        "import importlib\nimportlib.import_module('tui.app')\nfrom textual import work\n"
        "import textualize_other\nfrom .tui import y\n"
    )
    found = sorted(_forbidden_imports_in(source, "core/sample.py"))
    assert found == [
        "core/sample.py:2 imports textual.app",
        "core/sample.py:3 imports tui.screens",
        "core/sample.py:6 imports tui.app",
        "core/sample.py:7 imports textual",
    ]


def test_importing_all_of_core_loads_no_ui_package() -> None:
    """Also indirect imports: load every core module in a fresh interpreter and look."""
    script = (
        "import importlib, pkgutil, sys, core\n"
        "for info in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    if not info.name.startswith('core.migrations'):\n"
        "        importlib.import_module(info.name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(len([m for m in sys.modules if m.startswith('core.')]), bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,  # the return code is asserted below, with stderr shown
    )
    assert result.returncode == 0, result.stderr
    loaded, bad = result.stdout.strip().split(" ", 1)
    assert int(loaded) > 10
    assert bad == "[]"


# -- the schema ---------------------------------------------------------------------------------


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    script = ScriptDirectory.from_config(_alembic_config())
    assert script.get_heads() == [HEAD_REVISION]
    # One straight line of revisions from the first to the head.
    revisions = list(script.walk_revisions())
    assert revisions[0].revision == HEAD_REVISION and revisions[-1].down_revision is None
    # known_revisions() reads the file names; each names its revision id.
    assert known_revisions() == {r.revision for r in revisions}


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    """A database brought to head by the migrations is exactly what the models describe."""
    engine = create_engine_for(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, [Base.metadata, SCHEMA_METADATA])
            tables = set(inspect(conn).get_table_names())
        assert diffs == []
        assert set(Base.metadata.tables) <= tables
        assert current_revision(engine) == HEAD_REVISION
    finally:
        engine.dispose()


def test_compare_metadata_notices_a_missing_column(tmp_path: Path) -> None:
    """The comparison above is able to fail: drop a column and it reports it."""
    engine = create_engine_for(f"sqlite:///{tmp_path / 'drifted.db'}")
    try:
        open_database(f"sqlite:///{tmp_path / 'drifted.db'}").dispose()
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE teams DROP COLUMN description"))
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert any(d[0] == "add_column" and d[3].name == "description" for d in diffs), diffs
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", ["missing", "empty file", "first revision"])
def test_open_database_brings_an_older_sqlite_file_to_head(tmp_path: Path, start: str) -> None:
    path = tmp_path / "nested" / "dir" / "auxot.db"
    path.parent.mkdir(parents=True)  # only the default data directory is ever made
    url = f"sqlite:///{path}"
    if start == "empty file":
        path.write_bytes(b"")
    elif start == "first revision":
        engine = create_engine_for(url)
        config = _alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO workspaces (name, plan, created_at) "
                    "VALUES ('Acme', 'business', '2026-01-15 09:30:00')"
                )
            )
        assert current_revision(engine) == "0001"
        engine.dispose()

    database = open_database(url)
    try:
        assert current_revision(database.engine) == HEAD_REVISION
        with database.engine.connect() as conn:
            assert (
                compare_metadata(MigrationContext.configure(conn), [Base.metadata, SCHEMA_METADATA])
                == []
            )
            names = [row[0] for row in conn.execute(text("SELECT name FROM workspaces"))]
        assert names == (["Acme"] if start == "first revision" else [])
    finally:
        database.dispose()


def test_revision_0004_gives_existing_members_their_name_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'auxot.db'}"
    engine = create_engine_for(url)
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspaces (name, plan, created_at) VALUES ('Acme', 'business', '2026-01-15')"
            )
        )
        for n, name in enumerate(["Zoe Zed", "adam Ant", "Mia Moss"], start=1):
            conn.execute(
                text(
                    "INSERT INTO users (id, email, email_key, display_name, name_key, workspace_role,"
                    " status, created_at) VALUES (:id, :email, :email, :name, :key, 'member', 'active',"
                    " '2026-01-15')"
                ),
                {"id": n, "email": f"u{n}@example.com", "name": name, "key": name.casefold()},
            )
        conn.execute(
            text(
                "INSERT INTO teams (id, name, name_key, description, created_at)"
                " VALUES (1, 'Ops', 'ops', '', '2026-01-15')"
            )
        )
        for n in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO memberships (user_id, team_id, role, added_at, version)"
                    " VALUES (:n, 1, :role, '2026-01-15', 1)"
                ),
                {"n": n, "role": "owner" if n == 1 else "member"},
            )
    engine.dispose()

    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT user_id, member_key FROM memberships")).all())
        assert keys == {1: "zoe zed", 2: "adam ant", 3: "mia moss"}
        core = Core(database)
        owner = core.principal_for("u1@example.com")
        names = [m.display_name for m in core.list_members(owner, "Ops").items]
        assert names == ["adam Ant", "Mia Moss", "Zoe Zed"]
    finally:
        database.dispose()
