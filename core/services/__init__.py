"""The service layer: one method per use case, each taking the acting principal first.

``Core`` gathers them over one :class:`~core.db.Database`; build it with :func:`open_core`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from core.db import Database, open_database
from core.errors import InvalidInput
from core.services.archived_teams import ArchivedTeamServices
from core.services.audit import AuditServices
from core.services.base import Clock, utcnow
from core.services.invitations import InvitationServices, split_addresses
from core.services.keys import KeyServices
from core.services.members import MemberServices
from core.services.offboarding import OffboardingServices
from core.services.outbox import OutboxServices
from core.services.people import PeopleServices
from core.services.resource_edits import ResourceEditServices
from core.services.resources import ResourceServices
from core.services.ssh_keys import SshKeyServices
from core.services.teams import TeamServices
from core.services.users import UserServices
from core.services.workspace import WorkspaceServices
from core.settings import Settings
from core.usecases.commands import AcceptInvitation, Command, PageRequest
from core.usecases.effects import AfterCommit, DeliverNow
from core.usecases.registry import Effect, use_case
from core.views import Principal


class Core(
    WorkspaceServices,
    UserServices,
    PeopleServices,
    OffboardingServices,
    TeamServices,
    ArchivedTeamServices,
    OutboxServices,
    InvitationServices,
    MemberServices,
    ResourceServices,
    ResourceEditServices,
    KeyServices,
    AuditServices,
    SshKeyServices,
):
    """Every use case of Auxot Teams over one database.

    :meth:`run` is the one entry for a named command; the methods it calls stay public as
    typed shortcuts for callers that want a precise return type."""

    def __init__(
        self,
        db: Database,
        clock: Clock = utcnow,
        settings: Settings | None = None,
        after_commit: AfterCommit | None = None,
    ) -> None:
        super().__init__(db, clock, settings)
        self.after_commit: AfterCommit = after_commit or DeliverNow()

    def run(self, actor: Principal | None, command: Command) -> Any:
        """Run ``command`` as ``actor`` in its one unit of work, then carry out what the
        registry says follows its commit (mail, ending sessions). Refusals are raised as
        core's typed errors, with nothing changed and nothing carried out."""
        case = use_case(command)
        method = getattr(self, case.method)
        arguments = command_arguments(command)
        if isinstance(command, AcceptInvitation):
            result = method(**arguments)  # no account acts: the token is the credential
        else:
            if actor is None:
                raise InvalidInput("Say who is acting.", "actor")
            result = method(actor, **arguments)
        if Effect.MAIL in case.effects:
            count = case.mail_count(result) if case.mail_count else 1
            if count:
                self.after_commit.mail_queued(self, count)
        if Effect.END_SESSIONS in case.effects:
            self.after_commit.access_ended(command)
        return result


def command_arguments(command: Command) -> dict[str, Any]:
    """The command's fields as its method's keyword arguments; a page becomes offset, limit
    and (when it counts from the end) from_end."""
    arguments: dict[str, Any] = {}
    for spec in fields(command):
        value = getattr(command, spec.name)
        if isinstance(value, PageRequest):
            arguments["offset"], arguments["limit"] = value.offset, value.limit
            if value.from_end:
                arguments["from_end"] = True
        else:
            arguments[spec.name] = value
    return arguments


def open_core(url: str, clock: Clock = utcnow, settings: Settings | None = None) -> Core:
    return Core(open_database(url), clock, settings)


__all__ = ["Core", "Database", "open_core", "split_addresses"]
