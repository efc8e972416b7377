"""Running the corpus: each sentence through the admin agent (the planner and executor that
``auxot ask`` uses) against a copy of its seeded workspace, then the state checked.

Scores, per sentence:
- a positive is ``right`` when it plans the expected command and running it leaves the
  expected state (or, when the corpus expects a question, when it asks); ``asked`` when it asks
  instead of planning; ``not done`` when it explains or refuses; ``wrong`` when it plans
  anything else (for an expected question: when it plans at all).
- a negative ``changed`` something when its plan, run as ``auxot ask --yes`` would, left any
  row (audit log aside) different.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.agent import Agent, Clarify, Plan
from core.db import Database, create_engine_for, upgrade
from core.errors import DomainError
from core.services import Core
from tests.agent_corpus.workspace import OWNER, STATES, build

HERE = Path(__file__).parent
PARTS = ("holdout", "tuning")
_SKIPPED_TABLES = ("audit_events",)


class _Clock:
    def __call__(self) -> datetime:
        return datetime(2026, 1, 15, 9, 30)


@dataclass(frozen=True)
class Entry:
    sentence: str
    state: str
    expect: Any  # a dict (command and key fields), "asks", or "nothing" for a negative
    actor: str = OWNER

    @property
    def negative(self) -> bool:
        return self.expect == "nothing"


def load(part: str) -> list[Entry]:
    lines = (HERE / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
    return [Entry(**json.loads(line)) for line in lines if line.strip()]


@dataclass
class Score:
    positives: Counter[str] = field(default_factory=Counter)
    negatives: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (sentence, what happened)

    @property
    def positive_total(self) -> int:
        return sum(self.positives.values())

    @property
    def right_share(self) -> float:
        return self.positives["right"] / max(1, self.positive_total)


class Workspaces:
    """One seeded SQLite file per state, built once; each executed plan gets its own copy."""

    def __init__(self, root: Path | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="agent-corpus-") if root is None else None
        self.root = Path(self._tmp.name) if self._tmp else root  # type: ignore[union-attr]
        template = self.root / "migrated.db"
        engine = create_engine_for(f"sqlite:///{template}")
        upgrade(engine)
        engine.dispose()
        self.files: dict[str, Path] = {}
        for state in STATES:
            path = self.root / f"{state}.db"
            shutil.copy(template, path)
            engine = create_engine_for(f"sqlite:///{path}")
            build(Core(Database(engine), _Clock()), state)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.files[state] = path
        self._readers = {s: self._open(p) for s, p in self.files.items()}
        self._copies = 0
        self._scratch: dict[str, Core] = {}

    @staticmethod
    def _open(path: Path) -> Core:
        return Core(Database(create_engine_for(f"sqlite:///{path}")), _Clock())

    def reader(self, state: str) -> Core:
        """A core for planning only (planning never writes)."""
        return self._readers[state]

    def copy(self, state: str) -> tuple[Core, Path]:
        """A fresh copy of the state, for a test to change as it likes (its own file)."""
        self._copies += 1
        path = self.root / f"copy-{self._copies}.db"
        shutil.copy(self.files[state], path)
        return self._open(path), path

    def scratch(self, state: str) -> tuple[Core, Path]:
        """The state's scratch copy, put back to the seeded state: one engine per state for
        the whole run, so its compiled statements are reused; its connections are closed
        before the file is replaced."""
        path = self.root / f"scratch-{state}.db"
        if state not in self._scratch:
            shutil.copy(self.files[state], path)
            self._scratch[state] = self._open(path)
        core = self._scratch[state]
        core.db.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.files[state], path)
        return core, path

    def close(self) -> None:
        for core in (*self._readers.values(), *self._scratch.values()):
            core.db.dispose()
        if self._tmp is not None:
            self._tmp.cleanup()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
            if name not in _SKIPPED_TABLES and not name.startswith(("sqlite_", "alembic"))
        }


def run_part(spaces: Workspaces, part: str) -> Score:
    score = Score()
    for entry in load(part):
        outcome, note = run_one(spaces, entry)
        (score.negatives if entry.negative else score.positives)[outcome] += 1
        if outcome not in ("right", "asked", "unchanged"):
            score.failures.append((entry.sentence, f"{outcome}: {note}"))
    return score


def run_one(spaces: Workspaces, entry: Entry) -> tuple[str, str]:
    reader = spaces.reader(entry.state)
    actor = reader.principal_for(entry.actor)
    answer = Agent(reader).plan(actor, entry.sentence)
    if entry.negative:
        if not isinstance(answer, Plan) or not answer.changes:
            return "unchanged", _said(answer)
        return (
            ("changed", answer.description)
            if _executed_changes(spaces, entry, answer)
            else (
                "unchanged",
                answer.description,
            )
        )
    if entry.expect == "asks":
        if isinstance(answer, Clarify):
            return "right", answer.question
        return ("wrong" if isinstance(answer, Plan) else "not done"), _said(answer)
    if isinstance(answer, Clarify):
        return "asked", answer.question
    if not isinstance(answer, Plan):
        return "not done", _said(answer)
    got = describe(spaces.files[entry.state], answer)
    wanted = dict(entry.expect)
    mismatched = {k: got.get(k) for k, v in wanted.items() if _norm(got.get(k)) != _norm(v)}
    if mismatched:
        return "wrong", f"{answer.description} {mismatched}"
    core, path = spaces.scratch(entry.state)
    before = snapshot(path)
    try:
        Agent(core).execute(core.principal_for(entry.actor), answer)
        problem = check_state(path, wanted, before)
    except DomainError as error:
        problem = f"core refused on execute: {error.message}"
    return ("wrong", problem) if problem else ("right", answer.description)


def _executed_changes(spaces: Workspaces, entry: Entry, plan: Plan) -> bool:
    core, path = spaces.scratch(entry.state)
    before = snapshot(path)
    with contextlib.suppress(DomainError):
        Agent(core).execute(core.principal_for(entry.actor), plan)
    return snapshot(path) != before


def _said(answer: object) -> str:
    for name in ("message", "question", "description"):
        if hasattr(answer, name):
            return str(getattr(answer, name))
    return type(answer).__name__


def _norm(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return sorted(str(v).casefold() for v in value)
    return value.casefold() if isinstance(value, str) else value


def describe(path: Path, plan: Plan) -> dict[str, Any]:
    """The plan's command with ids turned back into names, as the corpus writes them."""
    args: dict[str, Any] = {"command": type(plan.command).__name__}
    args.update(asdict(plan.command))  # type: ignore[call-overload]
    with contextlib.closing(sqlite3.connect(path)) as conn:
        teams = dict(conn.execute("SELECT id, name FROM teams").fetchall())
        if isinstance(args.get("team"), int):
            args["team"] = teams[args["team"]]
        if "resource_id" in args:
            row = conn.execute(
                "SELECT kind, name, team_id FROM resources WHERE id = ?", (args["resource_id"],)
            ).fetchone()
            if row is not None:
                args.update(kind=row[0], name=row[1], team=teams.get(row[2]))
        if args["command"] in ("RevokeKey", "RotateKey"):
            row = conn.execute(
                "SELECT name FROM team_api_keys WHERE key_id = ?", (args["key"],)
            ).fetchone()
            if row is not None:
                args["key"] = row[0]
    return args


def check_state(path: Path, wanted: dict[str, Any], before: dict[str, Any]) -> str:
    """'' when the workspace now holds what the command was for; otherwise what is off."""
    after = snapshot(path)
    if after == before:
        return "nothing changed"
    command = wanted["command"]
    with contextlib.closing(sqlite3.connect(path)) as conn:
        team_id = None
        if "team" in wanted and wanted["team"] is not None:
            found = conn.execute(
                "SELECT id FROM teams WHERE name = ? AND archived_at IS NULL", (wanted["team"],)
            ).fetchone()
            team_id = found[0] if found else None

        def role_of(email: str) -> str | None:
            row = conn.execute(
                "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id "
                "WHERE m.team_id = ? AND lower(u.email) = lower(?)",
                (team_id, email),
            ).fetchone()
            return row[0] if row else None

        def invited_as(email: str) -> str | None:
            row = conn.execute(
                "SELECT role FROM invitations WHERE team_id = ? AND lower(email) = lower(?) "
                "AND status = 'pending'",
                (team_id, email),
            ).fetchone()
            return row[0] if row else None

        if command == "InviteMembers":
            for email in wanted["addresses"]:
                if wanted["role"] not in (role_of(email), invited_as(email)):
                    return f"{email} is neither {wanted['role']} nor invited as one"
        elif command == "ChangeRole" and role_of(wanted["email"]) != wanted["role"]:
            return f"{wanted['email']} is {role_of(wanted['email'])}"
        elif command == "ChangeInvitationRole" and invited_as(wanted["email"]) != wanted["role"]:
            return f"{wanted['email']} is invited as {invited_as(wanted['email'])}"
        elif command == "RemoveMember" and role_of(wanted["email"]) is not None:
            return f"{wanted['email']} is still a member"
        elif command == "RevokeInvitation" and invited_as(wanted["email"]) is not None:
            return f"{wanted['email']} is still invited"
        elif command == "CreateTeam":
            if not conn.execute("SELECT 1 FROM teams WHERE name = ?", (wanted["name"],)).fetchone():
                return f"no team {wanted['name']}"
        elif command == "CreateResource":
            row = conn.execute(
                "SELECT 1 FROM resources WHERE kind = ? AND name = ? AND team_id IS ?",
                (wanted["kind"], wanted["name"], team_id),
            ).fetchone()
            if row is None:
                return "the resource is not there"
        elif command == "CreateKey":
            row = conn.execute(
                "SELECT 1 FROM team_api_keys WHERE team_id = ? AND name = ?",
                (team_id, wanted["name"]),
            ).fetchone()
            if row is None:
                return "the key is not there"
    return ""
