"""The service layer: one method per use case, each taking the acting principal first.

``Core`` gathers them over one :class:`~core.db.Database`; build it with :func:`open_core`.
"""

from __future__ import annotations

from core.db import Database, open_database
from core.services.audit import AuditServices
from core.services.base import Clock, utcnow
from core.services.invitations import InvitationServices, split_addresses
from core.services.keys import KeyServices
from core.services.members import MemberServices
from core.services.outbox import OutboxServices
from core.services.resources import ResourceServices
from core.services.ssh_keys import SshKeyServices
from core.services.teams import TeamServices
from core.services.users import UserServices
from core.services.workspace import WorkspaceServices
from core.settings import Settings


class Core(
    WorkspaceServices,
    UserServices,
    TeamServices,
    OutboxServices,
    InvitationServices,
    MemberServices,
    ResourceServices,
    KeyServices,
    AuditServices,
    SshKeyServices,
):
    """Every use case of Auxot Teams over one database."""


def open_core(url: str, clock: Clock = utcnow, settings: Settings | None = None) -> Core:
    return Core(open_database(url), clock, settings)


__all__ = ["Core", "Database", "open_core", "split_addresses"]
