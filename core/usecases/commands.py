"""Every use case as a named, frozen command: what to do, with the values it needs.

A command is plain data. :mod:`core.usecases.registry` records, once for each, the permission
it needs, its audit action and its after-commit effects; ``Core.run(actor, command)`` runs
it. Field names are the keyword arguments of the service method that carries it out (a
``page`` becomes ``offset``, ``limit`` and ``from_end``), which a test checks."""

from __future__ import annotations

from dataclasses import Field, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class PageRequest:
    """The one way of asking for part of a list: ``limit`` rows from ``offset``; with
    ``from_end`` the offset counts back from the last row (the rows still come in order)."""

    offset: int = 0
    limit: int | None = None
    from_end: bool = False


ALL = PageRequest()


class Command:
    """Base of every command; a subclass is a frozen dataclass."""

    # What @dataclass gives each subclass, declared here so that fields() and asdict()
    # accept any Command.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


# -- workspace and accounts -------------------------------------------------------------------


@dataclass(frozen=True)
class ShowMe(Command):
    pass


@dataclass(frozen=True)
class SetPlan(Command):
    plan: str


@dataclass(frozen=True)
class AddUser(Command):
    email: str
    display_name: str | None = None
    workspace_role: str = "member"


@dataclass(frozen=True)
class ListUsers(Command):
    query: str = ""
    page: PageRequest = ALL


@dataclass(frozen=True)
class GetUser(Command):
    email: str


@dataclass(frozen=True)
class DeactivateUser(Command):
    """``successor`` (an email) becomes owner of the teams whose last active owner this is."""

    email: str
    successor: str | None = None


@dataclass(frozen=True)
class ReactivateUser(Command):
    email: str


@dataclass(frozen=True)
class ListOutbox(Command):
    page: PageRequest = PageRequest(limit=100)


# -- teams ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTeam(Command):
    name: str
    description: str = ""


@dataclass(frozen=True)
class ListTeams(Command):
    query: str = ""
    page: PageRequest = ALL


@dataclass(frozen=True)
class OpenTeam(Command):
    """The team with what the actor may do on it."""

    team: int | str


@dataclass(frozen=True)
class RenameTeam(Command):
    team: int | str
    new_name: str


@dataclass(frozen=True)
class DescribeTeam(Command):
    team: int | str
    description: str


@dataclass(frozen=True)
class ArchiveTeam(Command):
    team: int | str


@dataclass(frozen=True)
class SuggestPeople(Command):
    """Active accounts whose email or name starts with what was typed."""

    prefix: str
    limit: int = 5


@dataclass(frozen=True)
class PlanOffboarding(Command):
    """What offboarding someone would do, changing nothing."""

    email: str
    successor: str | None = None


@dataclass(frozen=True)
class OffboardUser(Command):
    """Remove someone from every team, their SSH keys and invitations; deactivate them."""

    email: str
    successor: str | None = None


@dataclass(frozen=True)
class ListArchivedTeams(Command):
    """Deleted teams the actor could restore."""

    page: PageRequest = ALL


@dataclass(frozen=True)
class RestoreTeam(Command):
    """Bring a deleted team back; its API keys stay revoked."""

    team: int | str


# -- members and invitations ------------------------------------------------------------------


@dataclass(frozen=True)
class ListMembers(Command):
    team: int | str
    query: str = ""
    page: PageRequest = ALL


@dataclass(frozen=True)
class ChangeRole(Command):
    team: int | str
    email: str
    role: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RemoveMember(Command):
    team: int | str
    email: str


@dataclass(frozen=True)
class LeaveTeam(Command):
    team: int | str


@dataclass(frozen=True)
class InviteMembers(Command):
    """Existing accounts are added at once, unknown addresses invited; one result each."""

    team: int | str
    addresses: tuple[str, ...] | str
    role: str = "member"


@dataclass(frozen=True)
class ListInvitations(Command):
    team: int | str
    include_closed: bool = False
    page: PageRequest = ALL


@dataclass(frozen=True)
class ResendInvitation(Command):
    team: int | str
    email: str


@dataclass(frozen=True)
class RevokeInvitation(Command):
    team: int | str
    email: str


@dataclass(frozen=True)
class ChangeInvitationRole(Command):
    """The role a pending invitation will give when it is accepted."""

    team: int | str
    email: str
    role: str


@dataclass(frozen=True)
class InvitationLink(Command):
    team: int | str
    email: str


@dataclass(frozen=True)
class AcceptInvitation(Command):
    """Redeem a token (no account acts); with ``public_key``, register that SSH key for the
    account in the same transaction."""

    token: str
    display_name: str | None = None
    public_key: str | bytes | None = field(default=None, repr=False)


# -- team API keys ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateKey(Command):
    team: int | str
    name: str
    expires_in_days: int | None = None  # whole days, 1 to 3,650
    scope: str = "full"


@dataclass(frozen=True)
class ListKeys(Command):
    team: int | str
    active_only: bool = False
    page: PageRequest = ALL


@dataclass(frozen=True)
class RevokeKey(Command):
    team: int | str
    key: str


@dataclass(frozen=True)
class RotateKey(Command):
    """With ``until_unused``, the old key ends once it has gone ``quiet_minutes`` unused."""

    team: int | str
    key: str
    grace_hours: float = 24
    until_unused: bool = False
    quiet_minutes: float = 60


@dataclass(frozen=True)
class SetKeyScope(Command):
    team: int | str
    key: str
    scope: str


@dataclass(frozen=True)
class ListExpiringKeys(Command):
    """Keys ending within ``days``, across the teams whose keys the actor manages."""

    days: float = 14


# -- resources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateResource(Command):
    kind: str
    name: str
    team: int | str | None = None
    body: str = ""
    personal: bool = False


@dataclass(frozen=True)
class ListResources(Command):
    team: int | str | None = None
    kind: str | None = None
    query: str = ""
    page: PageRequest = ALL


@dataclass(frozen=True)
class FindResource(Command):
    kind: str
    name: str
    team: int | str | None = None


@dataclass(frozen=True)
class EditResource(Command):
    """Rename, rewrite or move a resource; what is left None stays as it is."""

    resource_id: int
    name: str | None = None
    body: str | None = None
    move_to: int | str | None = None  # a team
    to_workspace: bool = False


@dataclass(frozen=True)
class DeleteResource(Command):
    resource_id: int


# -- audit and SSH keys -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListAudit(Command):
    team: int | str | None = None
    page: PageRequest = PageRequest(limit=50)


@dataclass(frozen=True)
class AddSshKey(Command):
    email: str
    public_key: str | bytes = field(repr=False)
    # ssh-keygen -Y sign's signature over the key's challenge; needed to add a key for
    # yourself unless you may manage other accounts' keys.
    signature: str | bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SshKeyChallenge(Command):
    email: str
    public_key: str | bytes = field(repr=False)


@dataclass(frozen=True)
class ListSshKeys(Command):
    email: str | None = None
    page: PageRequest = ALL


@dataclass(frozen=True)
class RemoveSshKey(Command):
    email: str
    fingerprint: str
