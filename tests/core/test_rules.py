"""Owner guards count active owners only; deactivating a last owner needs a successor; key
expiry is whole days; accepting as an existing member says so; names have one form; error
sentences quote a short prefix of what was typed."""

from __future__ import annotations

import pytest

from core.errors import Conflict, InvalidInput, LastOwner, NotFound
from core.services import Core
from core.settings import Settings
from core.validation import clean_expiry_days, name_key
from core.views import Principal
from tests.core.helpers import state_snapshot

DOMAIN = "acme.example.com"


def _person(core: Core, owner: Principal, name: str, role: str = "member") -> Principal:
    view = core.add_user(owner, f"{name.lower()}@{DOMAIN}", name, role)
    return Principal(view.id, view.email)


@pytest.fixture
def two_owners(core: Core, owner: Principal) -> tuple[Principal, Principal, int]:
    """Infra, owned by Alice and by Bob, whose account is then deactivated."""
    alice, bob = _person(core, owner, "Alice"), _person(core, owner, "Bob")
    team = core.create_team(owner, "Infra")
    core.add_member(owner, team.id, alice.email, "owner")
    core.add_member(owner, team.id, bob.email, "owner")
    core.leave_team(owner, team.id)
    core.deactivate_user(owner, bob.email)
    return alice, bob, team.id


def test_a_deactivated_owner_does_not_keep_a_team_owned(core, owner, two_owners, database):
    alice, _, team = two_owners
    before = state_snapshot(database)
    for attempt in (
        lambda: core.leave_team(alice, team),
        lambda: core.change_role(owner, team, alice.email, "admin"),
        lambda: core.remove_member(owner, team, alice.email),
    ):
        with pytest.raises(LastOwner, match="last active owner of Infra"):
            attempt()
    assert state_snapshot(database) == before


def test_deactivating_the_last_active_owner_is_refused_naming_the_teams(core, owner, database):
    alice = _person(core, owner, "Alice")
    for name in ("Infra", "Data"):
        team = core.create_team(owner, name)
        core.add_member(owner, team.id, alice.email, "owner")
        core.leave_team(owner, team.id)
    before = state_snapshot(database)
    with pytest.raises(LastOwner) as refused:
        core.deactivate_user(owner, alice.email)
    assert "Infra" in refused.value.message and "Data" in refused.value.message
    assert "successor" in refused.value.message
    assert state_snapshot(database) == before


def test_a_successor_takes_over_in_the_same_transaction(core, owner):
    alice, carol = _person(core, owner, "Alice"), _person(core, owner, "Carol")
    infra = core.create_team(owner, "Infra")
    data = core.create_team(owner, "Data")
    for team in (infra, data):
        core.add_member(owner, team.id, alice.email, "owner")
        core.leave_team(owner, team.id)
    core.add_member(owner, data.id, carol.email, "member")
    with pytest.raises(NotFound):
        core.deactivate_user(owner, alice.email, successor="nobody@example.com")
    assert core.get_user(owner, alice.email).status == "active"
    core.deactivate_user(owner, alice.email, successor=carol.email)
    assert core.get_user(owner, alice.email).status == "deactivated"
    for team in (infra, data):
        roles = {m.email: m.role for m in core.list_members(owner, team.id).items}
        assert roles[carol.email] == "owner"
    events = core.list_audit(owner).items
    handed = [e for e in events if e.details.get("successor_of") == alice.email]
    assert sorted(e.action for e in handed) == ["member.add", "member.role"]


def test_key_expiry_is_whole_days_from_1_to_3650(core, owner):
    team = core.create_team(owner, "Infra")
    for bad in (0.00001, 0, 1.5, 3651, "2.5", "x", -1, True):
        with pytest.raises(InvalidInput, match="whole number of days"):
            core.create_key(owner, team.id, f"k{bad}", bad)
    assert core.list_keys(owner, team.id).total == 0
    assert clean_expiry_days("30") == 30 and clean_expiry_days(None) is None
    assert core.create_key(owner, team.id, "ci", 3650).key.expires_at is not None


def test_accepting_as_an_existing_admin_keeps_and_reports_the_role(core, owner, tmp_path):
    inviter = Core(core.db, core.clock, Settings(data_dir=tmp_path, secret_key="s" * 40))
    team = inviter.create_team(owner, "Infra")
    inviter.invite_member(owner, team.id, "dan@example.com", "member")
    token = inviter.invitation_link(owner, team.id, "dan@example.com").rsplit("/", 1)[1]
    inviter.add_user(owner, "dan@example.com", "Dan")
    inviter.add_member(owner, team.id, "dan@example.com", "admin")
    result = inviter.accept_invitation(token)
    assert (result.role, result.joined) == ("admin", False)
    assert "already an admin of Infra" in result.outcome
    roles = {m.email: m.role for m in inviter.list_members(owner, team.id).items}
    assert roles["dan@example.com"] == "admin"
    with pytest.raises(Conflict, match="already been used"):
        inviter.accept_invitation(token)


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\u200c", "\u200e", "\u061c", "\ufeff"])
def test_names_differing_by_format_characters_are_one_name(core, owner, hidden):
    team = core.create_team(owner, f"A{hidden}B")
    assert team.name == "AB"
    with pytest.raises(Conflict):
        core.create_team(owner, "AB")
    assert core.team_access(owner, f"A{hidden}B").team.id == team.id
    assert name_key("Ａ\u200bB") == name_key("ab")  # full-width A, NFKC
    key = core.create_key(owner, team.id, f"ci{hidden}key")
    assert key.key.name == "cikey"
    with pytest.raises(Conflict):
        core.create_key(owner, team.id, "cikey")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200d \ufeff", "\u2060"])
def test_a_name_with_no_visible_character_is_refused(core, owner, invisible, database):
    before = state_snapshot(database)
    with pytest.raises(InvalidInput, match="at least one visible character"):
        core.create_team(owner, invisible)
    with pytest.raises(InvalidInput, match="at least one visible character"):
        core.create_resource(owner, "skill", invisible, personal=True)
    assert state_snapshot(database) == before


def test_error_sentences_quote_a_short_prefix(core, owner):
    huge = "x" * 1_000_000
    for attempt in (
        lambda: core.team_access(owner, huge),
        lambda: core.get_user(owner, huge),
        lambda: core.find_resource(owner, "skill", huge),
        lambda: core.add_user(owner, huge),
    ):
        with pytest.raises((NotFound, InvalidInput)) as refused:
            attempt()
        assert len(refused.value.message) < 300, refused.value.message[:300]
    with pytest.raises(NotFound) as refused:
        core.team_access(owner, huge)
    assert "(1,000,000 characters)" in refused.value.message
