"""Admins acting at the same moment on one PostgreSQL database.

Each race releases CONTENDERS actions together, ROUNDS times, once from threads (each with its
own engine, as the app's workers and the SSH sessions act) and once from processes running the
``auxot`` command line (a pool started once for the module, as several terminals would).
After every race: no duplicate row, no deadlock or other unexpected error reaching the person,
every team still has an owner, and there is exactly one workspace.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.managers import SyncManager
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from core.db import Database, create_engine_for
from core.errors import DomainError
from core.models import Invitation, Membership, Resource, Team, TeamApiKey, User, Workspace
from core.services import Core
from core.settings import Settings
from core.views import Principal
from tests.conftest import PG_URL, _empty

ROUNDS = 20  # rounds of each race, for threads and for processes alike
CONTENDERS = 3  # actions released together in each round
SECRET = "reliability-suite-secret-key-0123456789abcdef"
OWNER = "owner@acme.example.com"
ADMINS = (OWNER, "ada@acme.example.com", "ben@acme.example.com")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL,
        reason="AUXOT_TEST_DATABASE_URL is not set; set it to a PostgreSQL URL to run the races",
    ),
]


@dataclass(frozen=True)
class Act:
    """One contender: who acts (``None``: no account, as when accepting or running the first
    ``init``), the Core method and arguments the app would call, and the command line a
    person would type for the same thing."""

    user: str | None
    method: str
    args: tuple[Any, ...]
    argv: tuple[str, ...]


def perform(core: Core, act: Act) -> None:
    """Carry out ``act`` as the app does: the use case on Core, as the acting account."""
    method = getattr(core, act.method)
    if act.user is None:
        method(*act.args)
    else:
        method(core.principal_for(act.user), *act.args)


def outcome_of(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    if isinstance(error, DomainError):
        return f"refused: {error}"
    return f"unexpected: {type(error).__name__}: {error}"


# -- the two ways of racing --------------------------------------------------------------------


class ThreadRacer:
    """CONTENDERS threads, each with its own engine, released together by a barrier."""

    def __init__(self, url: str) -> None:
        settings = Settings(secret_key=SECRET)
        self.cores = [Core(Database(create_engine_for(url)), settings=settings) for _ in ADMINS]
        self.barrier = threading.Barrier(CONTENDERS, timeout=60)

    def race(self, acts: list[Act]) -> list[str]:
        outcomes: list[str] = [""] * len(acts)

        def contender(index: int) -> None:
            self.barrier.wait()
            try:
                perform(self.cores[index], acts[index])
                outcomes[index] = outcome_of(None)
            except Exception as error:  # noqa: BLE001 - what would reach a person, as a word
                outcomes[index] = outcome_of(error)

        threads = [threading.Thread(target=contender, args=(i,)) for i in range(len(acts))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "a contender hung"
        return outcomes

    def close(self) -> None:
        for core in self.cores:
            core.db.dispose()


class ProcessRacer:
    """CONTENDERS processes released by a shared barrier, each running the use case on its
    own warm Core, or (``cli``) running ``auxot`` itself (cli.main.main) as a terminal would."""

    def __init__(self, pool: ProcessPoolExecutor, barrier: Any, url: str, cli: bool) -> None:
        self.pool, self.barrier, self.url, self.cli = pool, barrier, url, cli

    def race(self, acts: list[Act]) -> list[str]:
        run = _run_cli if self.cli else _run_core
        futures = [self.pool.submit(run, self.barrier, self.url, act) for act in acts]
        return [future.result(timeout=120) for future in futures]

    def close(self) -> None:
        pass


def _start_process(data_dir: str) -> None:
    os.environ["AUXOT_DATA_DIR"] = data_dir
    os.environ["AUXOT_SECRET_KEY"] = SECRET
    for name in list(os.environ):
        if name.startswith("AUXOT_") and name not in ("AUXOT_DATA_DIR", "AUXOT_SECRET_KEY"):
            del os.environ[name]
    import cli.main  # noqa: F401 - imported once per process, before the first race


_CORES: dict[str, Core] = {}


def _run_core(barrier: Any, url: str, act: Act) -> str:
    """``act`` on this pool process's Core for ``url`` (built once, as the app keeps one)."""
    core = _CORES.get(url)
    if core is None:
        core = _CORES[url] = Core(Database(create_engine_for(url)), settings=Settings())
    barrier.wait()
    try:
        perform(core, act)
    except Exception as error:  # noqa: BLE001 - what would reach a person, as a word
        return outcome_of(error)
    return outcome_of(None)


def _run_cli(barrier: Any, url: str, act: Act) -> str:
    """One ``auxot`` run in this pool process: its outcome as the person would read it."""
    from cli.main import main

    options = ["--db", url] + (["--user", act.user] if act.user else [])
    out, err = io.StringIO(), io.StringIO()
    barrier.wait()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*options, *act.argv])
    said = err.getvalue().strip()
    if code == 0:
        return "ok"
    if "unexpected error" in said or "Traceback" in said:
        return f"unexpected: {said}"
    return f"refused: {said}"


@pytest.fixture(scope="module")
def process_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """The pool and its barrier, started once: later races reuse warm processes."""
    context = multiprocessing.get_context("spawn")
    manager = SyncManager(ctx=context)
    manager.start()
    data_dir = str(tmp_path_factory.mktemp("race-data"))
    pool = ProcessPoolExecutor(
        CONTENDERS, mp_context=context, initializer=_start_process, initargs=(data_dir,)
    )
    try:
        yield pool, manager.Barrier(CONTENDERS, timeout=60)
    finally:
        pool.shutdown(cancel_futures=True)
        manager.shutdown()


@pytest.fixture
def url(pg_schema_url: str, pg_cleaner: Engine) -> Iterator[str]:
    _empty(pg_cleaner)
    yield pg_schema_url
    _empty(pg_cleaner)


@pytest.fixture(params=["threads", "processes"])
def racer(request: pytest.FixtureRequest, url: str) -> Iterator[ThreadRacer | ProcessRacer]:
    chosen: ThreadRacer | ProcessRacer
    if request.param == "threads":
        chosen = ThreadRacer(url)
    else:
        pool, barrier = request.getfixturevalue("process_pool")
        chosen = ProcessRacer(pool, barrier, url, cli=False)
    yield chosen
    chosen.close()


@pytest.fixture
def cli_racer(url: str, process_pool: tuple[Any, Any]) -> ProcessRacer:
    pool, barrier = process_pool
    return ProcessRacer(pool, barrier, url, cli=True)


@pytest.fixture
def core(url: str) -> Iterator[Core]:
    built = Core(Database(create_engine_for(url)), settings=Settings(secret_key=SECRET))
    yield built
    built.db.dispose()


@pytest.fixture
def owner(core: Core) -> Principal:
    """The workspace owner, and two workspace admins: the three contenders."""
    principal = core.init_workspace("Acme", OWNER, "Olive Owner", plan="business")
    for email in ADMINS[1:]:
        core.add_user(principal, email, workspace_role="admin")
    return principal


# -- what must hold after every race -----------------------------------------------------------


def assert_sound(core: Core, outcomes: list[list[str]]) -> None:
    """No deadlock or other unexpected error reached anyone; every live team has an owner;
    there is one workspace."""
    unexpected = [o for round_ in outcomes for o in round_ if o.startswith("unexpected")]
    assert not unexpected, f"{len(unexpected)} unexpected errors, first: {unexpected[0]}"
    with core.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1
        owned = select(Membership.team_id).where(Membership.role == "owner")
        ownerless = session.scalars(
            select(Team.name).where(Team.archived_at.is_(None), Team.id.not_in(owned))
        ).all()
    assert ownerless == [], f"teams without an owner: {ownerless}"


def exactly_one_ok(outcomes: list[list[str]], sentence: str) -> list[str]:
    """The rounds that did not end with one success and the others refused with ``sentence``."""
    wrong = []
    for number, round_ in enumerate(outcomes):
        refused = [o for o in round_ if o != "ok"]
        if round_.count("ok") != 1 or not all(sentence in o for o in refused):
            wrong.append(f"round {number}: {round_}")
    return wrong


# -- the races ------------------------------------------------------------------------------------


def test_rotating_one_key_at_once_leaves_one_replacement(
    core: Core, owner: Principal, racer: ThreadRacer | ProcessRacer
) -> None:
    core.create_team(owner, "Platform")
    outcomes = []
    for number in range(ROUNDS):
        name = f"deploy {number}"
        # The same key, by its id, as each admin's screen shows it.
        key_id = core.create_key(owner, "Platform", name).key.key_id
        acts = [
            Act(admin, "rotate_key", ("Platform", key_id), ("keys", "rotate", "Platform", key_id))
            for admin in ADMINS
        ]
        outcomes.append(racer.race(acts))
    assert_sound(core, outcomes)
    with core.db.session(write=False) as session:
        live = dict(
            session.execute(
                select(TeamApiKey.name, func.count())
                .where(TeamApiKey.revoked_at.is_(None), TeamApiKey.rotated_at.is_(None))
                .group_by(TeamApiKey.name)
            ).all()
        )
    duplicated = {name: count for name, count in live.items() if count != 1}
    assert duplicated == {}, f"names with several live keys after {ROUNDS} rounds: {duplicated}"
    assert len(live) == ROUNDS
    assert exactly_one_ok(outcomes, "already rotated") == []


def test_creating_one_key_name_at_once_makes_one_key(
    core: Core, owner: Principal, racer: ThreadRacer | ProcessRacer
) -> None:
    core.create_team(owner, "Platform")
    outcomes = []
    for number in range(ROUNDS):
        name = f"ci {number}"
        acts = [
            Act(admin, "create_key", ("Platform", name), ("keys", "create", "Platform", name))
            for admin in ADMINS
        ]
        outcomes.append(racer.race(acts))
    assert_sound(core, outcomes)
    with core.db.session(write=False) as session:
        per_name = session.execute(
            select(TeamApiKey.name, func.count()).group_by(TeamApiKey.name)
        ).all()
    assert sorted(count for _, count in per_name) == [1] * ROUNDS, per_name
    assert exactly_one_ok(outcomes, "already has a key named") == []


@pytest.mark.parametrize("scope", ["team", "workspace"])
def test_creating_one_resource_name_at_once_makes_one_resource(
    core: Core, owner: Principal, racer: ThreadRacer | ProcessRacer, scope: str
) -> None:
    core.create_team(owner, "Platform")
    where = ("--team", "Platform") if scope == "team" else ()
    team = "Platform" if scope == "team" else None
    outcomes = []
    for number in range(ROUNDS):
        name = f"reviewer {number}"
        acts = [
            Act(
                admin,
                "create_resource",
                ("agent", name, team),
                ("resources", "create", "agent", name, *where),
            )
            for admin in ADMINS
        ]
        outcomes.append(racer.race(acts))
    assert_sound(core, outcomes)
    with core.db.session(write=False) as session:
        per_name = session.execute(
            select(Resource.name, func.count())
            .where(Resource.scope == scope)
            .group_by(Resource.name)
        ).all()
    assert sorted(count for _, count in per_name) == [1] * ROUNDS, per_name
    assert exactly_one_ok(outcomes, "already exists") == []


def test_accepting_while_revoking_and_resending_never_deadlocks(
    core: Core, owner: Principal, racer: ThreadRacer | ProcessRacer
) -> None:
    race_accept_revoke_resend(core, owner, racer)


def test_accepting_while_revoking_and_resending_through_the_command_line(
    core: Core, owner: Principal, cli_racer: ProcessRacer
) -> None:
    """The same race as three terminals run it: no "unexpected error" line."""
    race_accept_revoke_resend(core, owner, cli_racer)


def race_accept_revoke_resend(
    core: Core, owner: Principal, racer: ThreadRacer | ProcessRacer
) -> None:
    core.create_team(owner, "Platform")
    outcomes = []
    for number in range(ROUNDS):
        email = f"new{number}@acme.example.com"
        core.invite_member(owner, "Platform", email)
        token = core.invitation_link(owner, "Platform", email).rsplit("/", 1)[1]
        acts = [
            Act(None, "accept_invitation", (token,), ("accept", token)),
            Act(
                OWNER,
                "revoke_invitation",
                ("Platform", email),
                ("invites", "revoke", "--yes", "Platform", email),
            ),
            Act(
                ADMINS[1],
                "resend_invitation",
                ("Platform", email),
                ("invites", "resend", "Platform", email),
            ),
        ]
        outcomes.append(racer.race(acts))
    assert_sound(core, outcomes)
    with core.db.session(write=False) as session:
        rows = session.execute(
            select(Invitation.email, Invitation.status, Membership.id)
            .outerjoin(User, User.email_key == Invitation.email_key)
            .outerjoin(
                Membership,
                (Membership.team_id == Invitation.team_id) & (Membership.user_id == User.id),
            )
        ).all()
        pending = session.execute(
            select(Invitation.email_key, func.count())
            .where(Invitation.status == "pending")
            .group_by(Invitation.email_key)
            .having(func.count() > 1)
        ).all()
    assert pending == []
    for email, status, membership in rows:
        # Joined exactly when the invitation was accepted.
        assert (status == "accepted") == (membership is not None), (email, status)
    for number, round_ in enumerate(outcomes):
        accepted = round_[0] == "ok"
        joined = any(e == f"new{number}@acme.example.com" and s == "accepted" for e, s, _ in rows)
        assert accepted == joined, (number, round_)


def test_first_init_run_at_once_makes_one_workspace(
    core: Core, pg_cleaner: Engine, racer: ThreadRacer | ProcessRacer
) -> None:
    race_first_init(core, pg_cleaner, racer)


def test_first_init_run_at_once_through_the_command_line(
    core: Core, pg_cleaner: Engine, cli_racer: ProcessRacer
) -> None:
    race_first_init(core, pg_cleaner, cli_racer)


def race_first_init(core: Core, pg_cleaner: Engine, racer: ThreadRacer | ProcessRacer) -> None:
    outcomes = []
    for number in range(ROUNDS):
        _empty(pg_cleaner)
        acts = [
            Act(
                None,
                "init_workspace",
                (f"W{number}-{n}", f"o{n}@acme.example.com"),
                ("init", "--workspace", f"W{number}-{n}", "--owner", f"o{n}@acme.example.com"),
            )
            for n in range(CONTENDERS)
        ]
        round_ = racer.race(acts)
        outcomes.append(round_)
        workspace = core.get_workspace()
        assert workspace is not None, (number, round_)
        assert_sound(core, [round_])
        # The ones that lost name the workspace that won.
        refused = [o for o in round_ if o != "ok"]
        assert round_.count("ok") == 1, (number, round_)
        assert all(f"already has the workspace {workspace.name!r}" in o for o in refused), round_
