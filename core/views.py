"""Plain data returned by services. No live ORM object crosses the service boundary."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from core.permissions import TeamAction, WorkspaceAction
from core.vocabulary import with_article

T = TypeVar("T")


@dataclass(frozen=True)
class Principal:
    """Who is acting: an account, identified by id (and email for messages).

    ``via`` names the credential a session came in with (``ssh-key SHA256:…`` for a session
    of ``auxot serve-ssh``); when set, every audit entry of this actor records it."""

    user_id: int
    email: str
    via: str | None = None

    def over_ssh(self, fingerprint: str) -> Principal:
        """This actor, acting through the SSH key with ``fingerprint``."""
        return replace(self, via=f"ssh-key {fingerprint}")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int = 0


@dataclass(frozen=True)
class WorkspaceView:
    id: int
    name: str
    plan: str
    teams_enabled: bool


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    display_name: str
    workspace_role: str
    status: str
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Me:
    """The acting user with what they may do in the workspace: for headers and menus."""

    user: UserView
    workspace: WorkspaceView
    actions: frozenset[WorkspaceAction]


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    description: str
    member_count: int
    my_role: str | None
    created_at: datetime
    archived: bool = False
    # Live keys that stop working within EXPIRY_WARNING_DAYS; None for someone who may not
    # manage the team's keys.
    keys_expiring: int | None = None


@dataclass(frozen=True)
class ArchivedTeamView:
    """A deleted team, as ``teams archived`` lists it."""

    id: int
    name: str
    description: str
    member_count: int
    archived_at: datetime


@dataclass(frozen=True)
class TeamAccess:
    """What one user may do on one team; screens show exactly these actions."""

    team: TeamView
    role: str | None
    actions: frozenset[TeamAction]

    def can(self, action: TeamAction) -> bool:
        return action in self.actions


@dataclass(frozen=True)
class MemberView:
    user_id: int
    team_id: int
    email: str
    display_name: str
    role: str
    status: str
    added_at: datetime
    added_by: str | None
    version: int


@dataclass(frozen=True)
class ResourceView:
    id: int
    kind: str
    name: str
    scope: str
    team_id: int | None
    team_name: str | None
    owner_email: str | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    team_id: int | None
    outcome: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InvitationView:
    id: int
    team_id: int
    team_name: str
    email: str
    role: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    status: str  # pending, accepted, revoked, expired (a lapsed pending one reads expired)
    delivery: str  # queued, sent, failed
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class InviteOutcome:
    """What happened to one address of an invite: added, invited, already_member,
    already_invited, invalid or refused, with the sentence to show beside it."""

    address: str
    result: str
    message: str
    member: MemberView | None = None
    invitation: InvitationView | None = None

    @property
    def ok(self) -> bool:
        return self.result in ("added", "invited")


@dataclass(frozen=True)
class AcceptResult:
    """``role`` is the role the account holds on the team now: the invitation's when it
    joined, its own when it was a member already (``joined`` False; the invitation is spent
    all the same and the role is left as it was)."""

    principal: Principal
    team_name: str
    role: str
    created_account: bool
    joined: bool = True

    @property
    def outcome(self) -> str:
        """What happened, as a sentence fragment after the account's email."""
        if self.joined:
            return f"you joined {self.team_name} as {self.role}."
        return (
            f"you are already {with_article(self.role)} of {self.team_name}; "
            "the invitation is used up and your role is unchanged."
        )


@dataclass(frozen=True)
class OutboxView:
    id: int
    kind: str
    recipient: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    delivered_to: str | None
    final: bool = False  # failed for good: no more automatic attempts


@dataclass(frozen=True)
class MailOutcome:
    """What became of one message in a delivery pass. ``status``: "sent" (the server took
    it; ``detail`` is its reply), "written" (no mail server: ``detail`` is the .eml file),
    "queued" (not sent, tried again later; ``detail`` is why) or "rejected" (refused for
    good by the server; ``detail`` is its reply)."""

    recipient: str
    status: str
    detail: str


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    written_to: str | None = None  # the .eml directory when no SMTP server is configured
    errors: list[str] = field(default_factory=list)
    outcomes: list[MailOutcome] = field(default_factory=list)
    # Messages this pass did not reach: a limit or an unreachable server stopped it.
    left: int = 0

    @property
    def rejected(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "rejected")


@dataclass(frozen=True)
class KeyView:
    id: int
    team_id: int
    name: str
    key_id: str
    masked: str  # team.<key_id>.…
    created_by: str | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    status: str  # active, rotated (replaced, working until expires_at), expired, revoked
    scope: str = "full"  # full or read (core.vocabulary.KEY_SCOPES)
    last_used_from: str | None = None  # the caller's address at the last use
    # After a rotation "until unused": revoked once unused this long (seconds).
    quiet_seconds: int | None = None

    def expires_within(self, now: datetime, days: float) -> bool:
        """Whether this working, unreplaced key ends within ``days`` of ``now``."""
        return (
            self.status == "active"
            and self.expires_at is not None
            and now < self.expires_at <= now + timedelta(days=days)
        )


@dataclass(frozen=True)
class ExpiringKey:
    """A key that ends soon, with its team, for ``keys expiring``."""

    team_id: int
    team_name: str
    key: KeyView


@dataclass(frozen=True)
class CreatedKey:
    """A new key. ``plaintext`` is shown once and kept nowhere."""

    key: KeyView
    plaintext: str = field(repr=False)  # never in a repr, so never in a log line
    replaces: KeyView | None = None  # after a rotation: the old key, with its end time


class KeyCheck(NamedTuple):
    """The outcome of verifying a presented key: the team principal, or why not. A named
    tuple rather than a frozen dataclass: one is built on every request, at a third the cost."""

    ok: bool
    # Why not: malformed, unknown, revoked, expired, rotated-out (replaced by a rotation and
    # past its grace or quiet period), team-deleted or plan.
    reason: str | None = None
    team_id: int | None = None
    team_name: str | None = None
    key_id: str | None = None
    key_name: str | None = None
    scope: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class SshKeyView:
    """A registered SSH public key (public material only)."""

    id: int
    email: str  # the account it signs in
    key_type: str
    fingerprint: str  # SHA256:…
    comment: str
    public_key: str  # TYPE BASE64, as in a .pub file
    added_by: str | None
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class OffboardTeam:
    name: str
    role: str
    last_owner: bool  # the only active owner: ownership goes to the successor


@dataclass(frozen=True)
class OffboardKey:
    """A live team key the person created: it keeps working; rotate it if they held it."""

    team_name: str
    name: str
    key_id: str


@dataclass(frozen=True)
class OffboardingPlan:
    email: str
    display_name: str
    teams: list[OffboardTeam]
    successor: str | None  # takes over the teams where they are the last active owner
    ssh_keys: int
    invitations: int  # pending invitations they sent, to be revoked
    keys_kept: list[OffboardKey]
    already_deactivated: bool
