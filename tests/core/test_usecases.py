"""The registry of named use cases: each command maps onto its service method, every one is
reachable from the CLI, the agent plans only registered ones, ``Core.run`` carries out the
after-commit effects, and the owner-only rules hold."""

from __future__ import annotations

import inspect
from dataclasses import fields
from pathlib import Path

import pytest

from cli.main import main
from core.agent import execute as agent_execute
from core.errors import PermissionDenied
from core.services import Core
from core.usecases import commands as uc
from core.usecases.commands import Command
from core.usecases.effects import DeliverNow
from core.usecases.registry import REGISTRY, Effect, use_case
from core.views import Principal


def test_every_command_is_its_methods_keyword_arguments() -> None:
    for command, case in REGISTRY.items():
        assert case.command is command
        parameters = inspect.signature(getattr(Core, case.method)).parameters
        names = set(parameters) - {"self", "actor"}
        for spec in fields(command):
            wanted = {"offset", "limit"} if spec.name == "page" else {spec.name}
            assert wanted <= names, f"{command.__name__}.{spec.name} is no {case.method} argument"
        assert ("actor" in parameters) is (command is not uc.AcceptInvitation), command
        # A use case that needs a permission has core's sentence for its absence.
        assert (case.refusal is None) is (case.permission is None), command
        assert case.refusal is None or case.refusal.endswith("."), command


def test_every_command_class_is_registered_once() -> None:
    defined = {
        value
        for value in vars(uc).values()
        if isinstance(value, type) and issubclass(value, Command) and value is not Command
    }
    assert defined == set(REGISTRY)
    assert len({case.method for case in REGISTRY.values()}) == len(REGISTRY)


def test_the_agent_runs_only_registered_commands() -> None:
    assert set(agent_execute._SUMMARIES) | {uc.InviteMembers} <= set(REGISTRY)
    with pytest.raises(LookupError):
        use_case(Command())


# -- reachable from the CLI ------------------------------------------------------------------

PUBKEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl cli@test"
FINGERPRINT = "SHA256:"  # filled in from the listing


def _cli_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    """One invocation of each CLI command that runs a use case, in an order that works."""
    monkeypatch.setenv("AUXOT_DATABASE_URL", db_url)
    monkeypatch.setenv("AUXOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    owner = "owner@acme.example.com"
    key_file = tmp_path / "id.pub"
    key_file.write_text(PUBKEY)

    def auxot(*argv: str, code: int = 0) -> None:
        assert main(["--user", owner, *argv]) == code, argv

    auxot("init", "--workspace", "Acme", "--owner", owner)
    auxot("whoami")
    auxot("plan", "enterprise")
    auxot("users", "add", "alice@example.com")
    auxot("users", "list")
    auxot("users", "show", "alice@example.com")
    auxot("users", "suggest", "al")
    auxot("teams", "create", "Ops")
    auxot("teams", "list")
    auxot("teams", "rename", "Ops", "Ops Team")
    auxot("teams", "describe", "Ops Team", "Runs things")
    auxot("members", "add", "Ops Team", "alice@example.com", "new@example.com")
    auxot("members", "list", "Ops Team")
    auxot("members", "role", "Ops Team", "alice@example.com", "admin")
    auxot("invites", "list", "Ops Team")
    auxot("invites", "resend", "Ops Team", "new@example.com")
    auxot("invites", "link", "Ops Team", "new@example.com")
    auxot("invites", "role", "Ops Team", "new@example.com", "admin")
    auxot("invites", "revoke", "--yes", "Ops Team", "new@example.com")
    auxot("accept", "not-a-token", code=1)
    auxot("keys", "create", "Ops Team", "CI")
    auxot("keys", "list", "Ops Team")
    auxot("keys", "scope", "Ops Team", "CI", "read")
    auxot("keys", "expiring", "--days", "30")
    auxot("keys", "rotate", "Ops Team", "CI")
    auxot("keys", "revoke", "--yes", "Ops Team", "CI")
    auxot("resources", "create", "skill", "Runbook", "--team", "Ops Team")
    auxot("resources", "list")
    auxot("resources", "show", "skill", "Runbook", "--team", "Ops Team")
    auxot("resources", "edit", "skill", "Runbook", "--team", "Ops Team", "--body", "Step one")
    auxot("resources", "delete", "--yes", "skill", "Runbook", "--team", "Ops Team")
    auxot("audit", "--team", "Ops Team")
    auxot("outbox", "list")
    auxot("ssh-keys", "add", "alice@example.com", str(key_file))
    auxot("ssh-keys", "list")
    auxot("ssh-keys", "challenge", "alice@example.com", str(key_file))
    auxot("ssh-keys", "remove", "--yes", "alice@example.com", "SHA256:nothing-like-it", code=1)
    assert main(["--user", "alice@example.com", "members", "leave", "Ops Team"]) == 0
    auxot("members", "add", "Ops Team", "alice@example.com")
    auxot("members", "remove", "--yes", "Ops Team", "alice@example.com")
    auxot("users", "deactivate", "--yes", "alice@example.com")
    auxot("users", "reactivate", "alice@example.com")
    auxot("users", "offboard", "--yes", "alice@example.com")
    auxot("teams", "delete", "--yes", "Ops Team")
    auxot("teams", "archived")
    auxot("teams", "restore", "Ops Team")


def test_every_registered_use_case_is_reachable_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    seen: set[type[Command]] = set()
    real_run = Core.run

    def recording(self: Core, actor: Principal | None, command: Command) -> object:
        seen.add(type(command))
        return real_run(self, actor, command)

    monkeypatch.setattr(Core, "run", recording)
    _cli_walk(tmp_path, monkeypatch, db_url)
    assert set(REGISTRY) - seen == set()


# -- Core.run and its effects ----------------------------------------------------------------


def test_run_delivers_the_mail_it_queued_and_only_then(core: Core, owner: Principal) -> None:
    after = core.after_commit
    assert isinstance(after, DeliverNow)
    team = core.run(owner, uc.CreateTeam("Ops"))
    assert after.reports == []  # no mail for a team
    core.run(owner, uc.InviteMembers(team.id, ("new@example.com",)))
    [report] = after.reports
    assert (report.sent, report.failed) == (1, 0)
    # The same call made directly commits the message and leaves delivery to a later pass.
    core.invite_member(owner, team.id, "later@example.com")
    assert len(after.reports) == 1
    assert [m.recipient for m in core.list_outbox(owner).items if m.status == "queued"] == [
        "later@example.com"
    ]


def test_run_tells_who_ends_sessions_when_access_ends(core: Core, owner: Principal) -> None:
    after = core.after_commit
    assert isinstance(after, DeliverNow)
    ended: list[Command] = []
    after.on_access_ended.append(ended.append)
    core.run(owner, uc.AddUser("alice@example.com"))
    assert ended == []
    command = uc.DeactivateUser("alice@example.com")
    core.run(owner, command)
    assert ended == [command]
    assert Effect.END_SESSIONS in use_case(uc.RemoveSshKey).effects


def test_a_refused_command_carries_out_nothing(core: Core, owner: Principal) -> None:
    after = core.after_commit
    assert isinstance(after, DeliverNow)
    team = core.run(owner, uc.CreateTeam("Ops"))
    core.run(owner, uc.AddUser("alice@example.com"))
    core.add_member(owner, team.id, "alice@example.com", "member")
    alice = core.principal_for("alice@example.com")
    [outcome] = core.run(alice, uc.InviteMembers(team.id, "new@example.com"))
    assert outcome.result == "refused" and "manage members of Ops" in outcome.message
    with pytest.raises(PermissionDenied, match="manage members of Ops"):
        core.run(alice, uc.ResendInvitation(team.id, "new@example.com"))
    assert after.reports == []


# -- owner-only rules ------------------------------------------------------------------------


def test_a_workspace_admin_cannot_reactivate_a_workspace_owner(
    core: Core, owner: Principal
) -> None:
    """Deactivating an owner is refused to a workspace admin; so is bringing one back."""
    core.run(owner, uc.AddUser("second@example.com", workspace_role="owner"))
    core.run(owner, uc.AddUser("admin@example.com", workspace_role="admin"))
    admin = core.principal_for("admin@example.com")
    with pytest.raises(PermissionDenied, match="Only a workspace owner can deactivate"):
        core.run(admin, uc.DeactivateUser("second@example.com"))
    core.run(owner, uc.DeactivateUser("second@example.com"))
    with pytest.raises(PermissionDenied, match="Only a workspace owner can reactivate"):
        core.run(admin, uc.ReactivateUser("second@example.com"))
    assert core.get_user(owner, "second@example.com").status == "deactivated"
    [refusal] = [e for e in core.list_audit(owner, limit=5).items if e.action == "user.reactivate"]
    assert refusal.outcome == "denied"
    core.run(owner, uc.ReactivateUser("second@example.com"))
    assert core.get_user(owner, "second@example.com").status == "active"
