"""SSH keys in core: who may manage whose keys, the key → account lookup the SSH server
uses, the invitation path, and the fingerprint in the audit log (parsing a key is in
test_ssh_public_keys.py)."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import asyncssh
import pytest

from core.db import HEAD_REVISION, MIGRATIONS_DIR
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.services import Core
from core.settings import Settings
from core.usecases import commands as uc
from tests.core.helpers import audit_since, is_sentence, last_audit_id, new_key
from tests.ssh_signing import key_proof, sshsig

TEAM = "Platform Engineering"
CORE_DIR = Path(__file__).resolve().parents[2] / "core"


def own_key(email: str, comment: str = "laptop") -> tuple[str, str, str]:
    """A fresh key line, its fingerprint and its proof for registering it to ``email``."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    line = key.export_public_key("openssh").decode()
    return line, key.get_fingerprint("sha256"), key_proof(key, email)


@pytest.fixture
def people(core: Core, owner):
    """An admin, a member and a second owner next to the fixture's owner."""
    admin_user = core.add_user(owner, "ada@acme.example.com", "Ada Admin", "admin")
    member_user = core.add_user(owner, "max@acme.example.com", "Max Member")
    core.add_user(owner, "oscar@acme.example.com", "Oscar Owner", "owner")
    return {
        "owner": owner,
        "admin": core.principal_for(admin_user.email),
        "member": core.principal_for(member_user.email),
        "owner2": core.principal_for("oscar@acme.example.com"),
    }


# -- managing keys ---------------------------------------------------------------------------


def test_anyone_adds_their_own_key_and_it_signs_them_in(core, people):
    line, fingerprint, proof = own_key("max@acme.example.com")
    view = core.add_ssh_key(people["member"], "MAX@acme.example.com", line, proof)
    assert (view.email, view.fingerprint, view.comment, view.key_type) == (
        "max@acme.example.com",
        fingerprint,
        "laptop",
        "ssh-ed25519",
    )
    assert view.added_by == "max@acme.example.com"
    principal = core.principal_for_ssh_key(line)
    assert principal.user_id == people["member"].user_id
    assert principal.via == f"ssh-key {fingerprint}"


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("admin", "max@acme.example.com", True),
        ("owner", "ada@acme.example.com", True),
        ("owner", "oscar@acme.example.com", True),
        ("member", "ada@acme.example.com", False),
        ("member", "owner@acme.example.com", False),
        (
            "admin",
            "owner@acme.example.com",
            False,
        ),  # an admin cannot give themselves an owner's login
    ],
)
def test_who_manages_whose_keys(core, people, actor, target, allowed):
    line, fingerprint = new_key()
    before = last_audit_id(core.db)
    if allowed:
        core.add_ssh_key(people[actor], target, line)
        assert [k.fingerprint for k in core.list_ssh_keys(people[actor], target).items] == [
            fingerprint
        ]
        core.remove_ssh_key(people[actor], target, fingerprint)
        assert core.list_ssh_keys(people[actor], target).items == []
        return
    with pytest.raises(PermissionDenied) as caught:
        core.add_ssh_key(people[actor], target, line)
    assert is_sentence(caught.value.message)
    with pytest.raises(PermissionDenied):
        core.remove_ssh_key(people[actor], target, fingerprint)
    refusals = audit_since(core.db, before)
    assert [(e.action, e.outcome) for e in refusals] == [
        ("ssh_key.add", "denied"),
        ("ssh_key.remove", "denied"),
    ]
    with pytest.raises(NotFound):
        core.principal_for_ssh_key(line)


def test_listing_shows_what_the_actor_may_see(core, people):
    keys = {name: new_key(comment=name)[0] for name in ("owner", "admin", "member")}
    emails = {
        "owner": "owner@acme.example.com",
        "admin": "ada@acme.example.com",
        "member": "max@acme.example.com",
    }
    for name, line in keys.items():
        core.add_ssh_key(people["owner"], emails[name], line)
    assert [k.email for k in core.list_ssh_keys(people["admin"]).items] == sorted(emails.values())
    assert [k.email for k in core.list_ssh_keys(people["member"]).items] == ["max@acme.example.com"]
    assert [
        k.comment for k in core.list_ssh_keys(people["admin"], "owner@acme.example.com").items
    ] == ["owner"]
    with pytest.raises(PermissionDenied, match="see the SSH keys"):
        core.list_ssh_keys(people["member"], "ada@acme.example.com")
    with pytest.raises(NotFound):
        core.list_ssh_keys(people["admin"], "nobody@acme.example.com")
    assert all(
        k.added_by == "owner@acme.example.com" for k in core.list_ssh_keys(people["owner"]).items
    )


def test_keys_list_a_page_at_a_time_from_either_end(core, people, clock):
    owners = ["max@acme.example.com", "ada@acme.example.com", "max@acme.example.com"]
    owners += ["owner@acme.example.com", "ada@acme.example.com"]
    for n, email in enumerate(owners):
        core.add_ssh_key(people["owner"], email, new_key(comment=f"key {n}")[0])
        clock.advance(minutes=1)
    admin = people["admin"]
    whole = core.list_ssh_keys(admin).items
    # By account, then age: Ada's two, Max's two, then the owner's.
    assert [k.comment for k in whole] == ["key 1", "key 4", "key 0", "key 2", "key 3"]
    read = []
    for offset in range(0, 5, 2):
        page = core.list_ssh_keys(admin, offset=offset, limit=2)
        assert (page.total, page.offset) == (5, offset)
        read.extend(page.items)
    assert read == whole
    last = core.list_ssh_keys(admin, limit=2, from_end=True)
    assert (last.total, last.offset, last.items) == (5, 3, whole[3:])
    before = core.run(admin, uc.ListSshKeys(page=uc.PageRequest(2, 2, from_end=True)))
    assert (before.offset, before.items) == (1, whole[1:3])
    # Counting one account's keys, or only one's own: the total follows the filter.
    assert core.list_ssh_keys(admin, "max@acme.example.com", limit=0).total == 2
    assert core.run(people["member"], uc.ListSshKeys(page=uc.PageRequest(limit=1))).total == 2
    with pytest.raises(InvalidInput):
        core.list_ssh_keys(admin, offset=-1)


def test_a_key_belongs_to_one_account(core, people):
    line, _, proof = own_key("max@acme.example.com")
    core.add_ssh_key(people["member"], "max@acme.example.com", line, proof)
    with pytest.raises(Conflict, match="already registered to this account"):
        core.add_ssh_key(people["member"], "max@acme.example.com", line, proof)
    with pytest.raises(Conflict, match="another account"):
        core.add_ssh_key(people["admin"], "ada@acme.example.com", line.replace("laptop", "other"))


def test_a_member_cannot_take_someone_elses_public_key(core, people):
    """Public keys are public: without a signature by the key, a member cannot bind the
    owner's key to their own account, so the owner's logins never sign in as the member."""
    owners_key = asyncssh.generate_private_key("ssh-ed25519", comment="olive@laptop")
    line = owners_key.export_public_key("openssh").decode()
    members_key = asyncssh.generate_private_key("ssh-ed25519")
    member, email = people["member"], "max@acme.example.com"
    challenge = core.ssh_key_challenge(member, email, line)
    before = last_audit_id(core.db)
    forgeries = {
        "no signature": None,
        "signed by the member's own key": sshsig(members_key, challenge.encode()),
        "the owner's signature for the owner": key_proof(owners_key, "owner@acme.example.com"),
        "another purpose": sshsig(owners_key, challenge.encode(), namespace="file"),
        "not a signature": "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----",
    }
    for why, signature in forgeries.items():
        with pytest.raises(InvalidInput) as refused:
            core.add_ssh_key(member, email, line, signature)
        assert refused.value.field == "signature", why
        assert is_sentence(refused.value.message), why
    assert "ssh-keygen -Y sign" in core_message(core, member, email, line)
    assert core.list_ssh_keys(member).items == []
    assert {(e.action, e.outcome) for e in audit_since(core.db, before)} == {
        ("ssh_key.add", "failed")
    }
    with pytest.raises(NotFound):
        core.principal_for_ssh_key(line)
    # The owner registers it with its proof, and it signs the owner in.
    core.add_ssh_key(
        people["owner"],
        "owner@acme.example.com",
        line,
        key_proof(owners_key, "owner@acme.example.com"),
    )
    assert core.principal_for_ssh_key(line).email == "owner@acme.example.com"


def core_message(core, actor, email, line) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        core.add_ssh_key(actor, email, line)
    return refused.value.message


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")
def test_a_signature_from_ssh_keygen_proves_the_key(core, people, tmp_path):
    private = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "max@desk", "-f", str(private)],
        check=True,
    )
    line = (tmp_path / "id_ed25519.pub").read_text()
    challenge = core.ssh_key_challenge(people["member"], "max@acme.example.com", line)
    signed = subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-n", "auxot-ssh-key", "-f", str(private)],
        input=challenge + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    view = core.add_ssh_key(people["member"], "max@acme.example.com", line, signed.stdout)
    assert core.principal_for_ssh_key(line).email == view.email == "max@acme.example.com"
    proofs = [e.details.get("proof") for e in audit_since(core.db, 0) if e.action == "ssh_key.add"]
    assert proofs[-1] == "signature"


def test_removing_an_unknown_fingerprint_says_so(core, people):
    _, fingerprint = new_key()
    with pytest.raises(NotFound, match="no SSH key with the fingerprint"):
        core.remove_ssh_key(people["member"], "max@acme.example.com", fingerprint)
    with pytest.raises(InvalidInput):
        core.remove_ssh_key(people["member"], "max@acme.example.com", "not a fingerprint")


def test_bad_key_text_is_refused_and_audited(core, people):
    before = last_audit_id(core.db)
    with pytest.raises(InvalidInput):
        core.add_ssh_key(people["member"], "max@acme.example.com", "ssh-ed25519 AAAA")
    assert [(e.action, e.outcome) for e in audit_since(core.db, before)] == [
        ("ssh_key.add", "failed")
    ]
    assert core.list_ssh_keys(people["member"]).items == []


# -- signing in ---------------------------------------------------------------------------------


def test_unknown_and_deactivated_keys_are_refused(core, people):
    unknown, _ = new_key()
    with pytest.raises(NotFound) as caught:
        core.principal_for_ssh_key(unknown)
    assert is_sentence(caught.value.message)
    line, _ = new_key()
    core.add_ssh_key(people["owner"], "max@acme.example.com", line)
    core.deactivate_user(people["owner"], "max@acme.example.com")
    with pytest.raises(PermissionDenied, match="deactivated"):
        core.principal_for_ssh_key(line)
    core.reactivate_user(people["owner"], "max@acme.example.com")
    assert core.principal_for_ssh_key(line).email == "max@acme.example.com"


def test_a_removed_key_no_longer_signs_in(core, people):
    line, fingerprint, proof = own_key("max@acme.example.com")
    core.add_ssh_key(people["member"], "max@acme.example.com", line, proof)
    core.remove_ssh_key(people["admin"], "max@acme.example.com", fingerprint)
    with pytest.raises(NotFound):
        core.principal_for_ssh_key(line)


def test_login_records_last_use_and_every_audit_entry_names_the_key(core, people, clock):
    line, fingerprint = new_key()
    core.add_ssh_key(people["owner"], "ada@acme.example.com", line)
    actor = core.principal_for_ssh_key(line)
    before = last_audit_id(core.db)
    core.record_ssh_login(actor)
    core.create_team(actor, TEAM)
    with pytest.raises(Conflict):
        core.create_team(actor, TEAM)
    events = audit_since(core.db, before)
    assert [(e.action, e.outcome) for e in events] == [
        ("ssh.login", "ok"),
        ("team.create", "ok"),
        ("team.create", "failed"),
    ]
    assert all(e.details.get("via") == f"ssh-key {fingerprint}" for e in events)
    assert all(e.actor == "ada@acme.example.com" for e in events)
    (key,) = core.list_ssh_keys(actor).items
    assert key.last_used_at == clock.now
    # Without a key, no via appears.
    before = last_audit_id(core.db)
    core.create_team(people["admin"], "Another team")
    assert "via" not in audit_since(core.db, before)[0].details


def test_principal_for_carries_via(core, people):
    assert core.principal_for("max@acme.example.com").via is None
    assert (
        core.principal_for("max@acme.example.com", via="ssh-key SHA256:x").via == "ssh-key SHA256:x"
    )
    assert core.principal_for("max@acme.example.com") == people["member"]


# -- first login by invitation --------------------------------------------------------------------


@pytest.fixture
def inviter(core: Core, owner, tmp_path) -> Core:
    service = Core(core.db, core.clock, Settings(data_dir=tmp_path, secret_key="s" * 40))
    service.create_team(owner, TEAM)
    return service


def _token(core: Core, owner, email: str) -> str:
    core.invite_member(owner, TEAM, email, "admin")
    return core.invitation_link(owner, TEAM, email).rsplit("/", 1)[1]


def test_an_invitation_registers_the_presented_key_once(inviter, owner):
    token = _token(inviter, owner, "nina@example.com")
    assert inviter.check_invitation_token(token) == ("nina@example.com", TEAM)
    line, fingerprint = new_key()
    result = inviter.accept_invitation_with_ssh_key(token, line)
    assert result.created_account and result.team_name == TEAM and result.role == "admin"
    assert result.principal.via == f"ssh-key {fingerprint}"
    assert inviter.principal_for_ssh_key(line).email == "nina@example.com"
    members = {m.email: m.role for m in inviter.list_members(owner, TEAM).items}
    assert members["nina@example.com"] == "admin"
    with pytest.raises(Conflict, match="already been used"):
        inviter.check_invitation_token(token)
    other, _ = new_key()
    with pytest.raises(Conflict, match="already been used"):
        inviter.accept_invitation_with_ssh_key(token, other)
    with pytest.raises(NotFound):
        inviter.principal_for_ssh_key(other)


def test_a_taken_key_spends_no_invitation(inviter, owner):
    line, _ = new_key()
    inviter.add_ssh_key(owner, "owner@acme.example.com", line)
    token = _token(inviter, owner, "nina@example.com")
    with pytest.raises(Conflict, match="already registered"):
        inviter.accept_invitation_with_ssh_key(token, line)
    assert inviter.check_invitation_token(token)[0] == "nina@example.com"
    with pytest.raises(InvalidInput):
        inviter.accept_invitation_with_ssh_key(token, "ssh-ed25519 AAAA")
    assert inviter.check_invitation_token(token)[0] == "nina@example.com"


@pytest.mark.parametrize("token", ["", "short", "x" * 43])
def test_bad_tokens_are_refused_before_any_key_is_stored(inviter, token):
    line, _ = new_key()
    with pytest.raises((InvalidInput, NotFound)):
        inviter.check_invitation_token(token)
    with pytest.raises((InvalidInput, NotFound)):
        inviter.accept_invitation_with_ssh_key(token, line)
    with pytest.raises(NotFound):
        inviter.principal_for_ssh_key(line)


# -- structure ----------------------------------------------------------------------------------


def test_core_never_imports_an_ssh_library():
    for path in CORE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("asyncssh", "paramiko", "sshd") for n in names), path


def test_head_revision_is_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
