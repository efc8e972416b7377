"""Changing the role a pending invitation gives: what inviting needs, audited, and only for
an open invitation."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.services import Core
from core.usecases.commands import ChangeInvitationRole
from core.views import Principal
from tests.core.helpers import audit_since, last_audit_id


def test_the_invitation_gives_the_new_role_and_the_change_is_audited(
    core: Core, owner: Principal
) -> None:
    core.create_team(owner, "Ops")
    core.invite_member(owner, "Ops", "new@example.com", "member")
    before = last_audit_id(core.db)
    view = core.run(owner, ChangeInvitationRole("Ops", "new@example.com", "admin"))
    assert view.role == "admin"
    assert [i.role for i in core.list_invitations(owner, "Ops").items] == ["admin"]
    rows = audit_since(core.db, before)
    assert [(r.action, r.outcome, r.details) for r in rows] == [
        ("invitation.role", "ok", {"from": "member", "to": "admin"})
    ]


def test_only_who_may_invite_may_change_it(core: Core, owner: Principal) -> None:
    core.create_team(owner, "Ops")
    core.add_user(owner, "mia@example.com", "Mia")
    core.add_member(owner, "Ops", "mia@example.com", "member")
    core.invite_member(owner, "Ops", "new@example.com", "member")
    mia = core.principal_for("mia@example.com")
    with pytest.raises(PermissionDenied):
        core.run(mia, ChangeInvitationRole("Ops", "new@example.com", "owner"))
    assert [i.role for i in core.list_invitations(owner, "Ops").items] == ["member"]


def test_no_open_invitation_and_a_bad_role_change_nothing(core: Core, owner: Principal) -> None:
    core.create_team(owner, "Ops")
    core.invite_member(owner, "Ops", "new@example.com", "member")
    with pytest.raises(NotFound):
        core.run(owner, ChangeInvitationRole("Ops", "other@example.com", "admin"))
    with pytest.raises(InvalidInput):
        core.run(owner, ChangeInvitationRole("Ops", "new@example.com", "wizard"))
    assert [i.role for i in core.list_invitations(owner, "Ops").items] == ["member"]
