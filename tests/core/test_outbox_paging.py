"""Reading the outbox a page at a time: newest first, with how many messages there are,
from either end, and only for those who may read it."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, PermissionDenied
from core.services import Core
from core.usecases import commands as uc
from core.views import Principal

INVITED = [f"guest{n}@example.com" for n in range(7)]


@pytest.fixture
def queued(core: Core, owner: Principal) -> list[str]:
    """Seven invitations waiting in the outbox (a direct call queues and does not send)."""
    team = core.create_team(owner, "Ops")
    for address in INVITED:
        core.invite_member(owner, team.id, address)
    return INVITED


def test_outbox_pages_newest_first_from_either_end(
    core: Core, owner: Principal, queued: list[str]
) -> None:
    whole = core.list_outbox(owner).items
    assert [m.recipient for m in whole] == queued[::-1]
    assert [m.id for m in whole] == sorted((m.id for m in whole), reverse=True)
    read = []
    for offset in range(0, len(whole), 3):
        page = core.list_outbox(owner, offset, 3)
        assert (page.total, page.offset) == (7, offset)
        read.extend(page.items)
    assert read == whole
    oldest = core.list_outbox(owner, limit=3, from_end=True)
    assert (oldest.offset, oldest.items) == (4, whole[4:])
    assert oldest.items[-1].recipient == queued[0]
    before = core.run(owner, uc.ListOutbox(uc.PageRequest(3, 3, from_end=True)))
    assert (before.total, before.offset, before.items) == (7, 1, whole[1:4])
    # The command's default page is the newest hundred.
    assert core.run(owner, uc.ListOutbox()).items == whole
    assert core.run(owner, uc.ListOutbox(uc.PageRequest(limit=0))).items == []
    with pytest.raises(InvalidInput):
        core.list_outbox(owner, limit=-1)


def test_outbox_pages_are_for_workspace_admins(
    core: Core, owner: Principal, queued: list[str]
) -> None:
    member = core.add_user(owner, "mo@acme.example.com", "Mo")
    with pytest.raises(PermissionDenied, match="Only workspace admins"):
        core.list_outbox(core.principal_for(member.email), limit=0)
    admin = core.add_user(owner, "ada@acme.example.com", "Ada", "admin")
    assert core.list_outbox(core.principal_for(admin.email), limit=0).total == len(queued)
