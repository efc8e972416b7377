"""Typed domain errors. Each carries a sentence a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal core makes. ``str(error)`` is the sentence to show."""

    outcome = "failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """What was typed cannot be used as it is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """The named thing does not exist, or the actor may not know it exists."""


class Conflict(DomainError):
    """The change clashes with something that already exists."""


class PermissionDenied(DomainError):
    """The actor's role does not allow the action."""

    outcome = "denied"


class PlanRequired(DomainError):
    """The workspace's plan does not include the feature."""

    outcome = "denied"


class LastOwner(DomainError):
    """The change would leave a team without an owner."""

    outcome = "denied"


class DatabaseBusy(DomainError):
    """Another program held the database's write lock for longer than we wait for it."""

    def __init__(self) -> None:
        super().__init__(
            "The database is busy: another program is writing to it. Nothing changed; "
            "try again in a moment."
        )


class ConfigError(Exception):
    """A setting or database URL cannot be used. Raised before any work starts."""
