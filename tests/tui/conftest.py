"""App fixtures for the tui tests: a small deterministic workspace built through core's
services, and apps acting as its people."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core.db import Database, create_engine_for
from core.services import Core
from core.settings import Settings
from core.views import Principal, TeamView
from tests.conftest import FakeClock
from tui.app import AuxotApp


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run this folder's ``async def`` Pilot tests on a fresh event loop each (no plugin)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


MARKUP_TEAM = "[b]x[/b]"
MARKUP_DESCRIPTION = "[red]not red[/red] [link=http://x]y"


@dataclass(frozen=True)
class Workspace:
    """Who is who in the test workspace."""

    owner: Principal  # workspace owner; owner of every team below (their creator)
    ada: Principal  # admin of Platform Engineering
    bob: Principal  # member of Platform Engineering, owner of Data Science
    cyd: Principal  # plain member of Platform Engineering only
    dee: Principal  # member of Platform Engineering, deactivated
    eve: Principal  # has an account, in no team
    platform: TeamView
    data: TeamView
    markup: TeamView


def build_workspace(core: Core, clock: FakeClock, plan: str = "business") -> Workspace:
    owner = core.init_workspace("Acme", "owner@acme.example.com", "Olive Owner", plan="business")

    def user(email: str, name: str) -> Principal:
        clock.advance(minutes=1)
        view = core.add_user(owner, email, name)
        return Principal(view.id, view.email)

    ada = user("ada@acme.example.com", "Ada Admin")
    bob = user("bob@acme.example.com", "Bob Builder")
    cyd = user("cyd@acme.example.com", "Cyd Member")
    dee = user("dee@acme.example.com", "Dee Gone")
    eve = user("eve@acme.example.com", "Eve Newcomer")

    clock.advance(hours=1)
    platform = core.create_team(
        owner, "Platform Engineering", "Infrastructure, CI and the developer platform"
    )
    clock.advance(minutes=5)
    core.add_member(owner, platform.id, ada.email, "admin")
    core.add_member(owner, platform.id, bob.email, "member")
    core.add_member(owner, platform.id, cyd.email, "member")
    core.add_member(owner, platform.id, dee.email, "member")
    clock.advance(minutes=5)
    core.create_resource(
        ada, "agent", "Infra Bot", team=platform.id, body="Watches the clusters\nand pages on-call."
    )
    core.create_resource(
        ada, "skill", "Kubernetes Runbook", team=platform.id, body="Steps for a failed rollout."
    )
    core.create_resource(ada, "context_file", "oncall.md", team=platform.id, body="# On-call rota")

    clock.advance(days=1)
    data = core.create_team(owner, "Data Science", "Models, notebooks and the feature store")
    core.add_member(owner, data.id, bob.email, "owner")
    clock.advance(days=1)
    markup = core.create_team(owner, MARKUP_TEAM, MARKUP_DESCRIPTION)
    clock.advance(days=1)
    core.deactivate_user(owner, dee.email)
    if plan != "business":
        core.set_plan(owner, plan)
    clock.advance(days=1)
    return Workspace(owner, ada, bob, cyd, dee, eve, platform, data, markup)


def isolated_settings(data_dir: Path, **overrides: object) -> Settings:
    """No mail server (emails become .eml files) and a secret key, all under ``data_dir``:
    nothing is written to the user's own data directory."""
    values: dict[str, Any] = {"smtp_host": None, **overrides}
    return Settings(data_dir=data_dir, secret_key="s" * 40, **values)


@pytest.fixture
def core(database: Database, clock: FakeClock, tmp_path: Path) -> Core:
    return Core(database, clock, isolated_settings(tmp_path / "data"))


@pytest.fixture
def ws(core: Core, clock: FakeClock) -> Workspace:
    return build_workspace(core, clock)


@pytest.fixture
def make_app(core: Core) -> Callable[[Principal], AuxotApp]:
    return lambda actor: AuxotApp(core, actor)


# -- snapshots: SQLite only, one fresh file per test -------------------------------------------


@dataclass
class SnapshotWorld:
    core: Core
    clock: FakeClock
    ws: Workspace

    def app(self, actor: Principal) -> AuxotApp:
        return AuxotApp(self.core, actor)


@pytest.fixture
def snapshot_world_factory(
    sqlite_template: Path, tmp_path: Path
) -> Iterator[Callable[..., SnapshotWorld]]:
    databases: list[Database] = []

    def make(plan: str = "business") -> SnapshotWorld:
        path = tmp_path / f"snap-{len(databases)}.db"
        shutil.copy(sqlite_template, path)
        database = Database(create_engine_for(f"sqlite:///{path}"))
        databases.append(database)
        clock = FakeClock()
        core = Core(database, clock, isolated_settings(tmp_path / "data"))
        return SnapshotWorld(core, clock, build_workspace(core, clock, plan))

    yield make
    for database in databases:
        database.dispose()


@pytest.fixture
def world(snapshot_world_factory: Callable[..., SnapshotWorld]) -> SnapshotWorld:
    return snapshot_world_factory()
