"""Named use cases: the commands (:mod:`.commands`), the table that says what each needs and
leaves behind (:mod:`.registry`), and what runs after a commit (:mod:`.effects`)."""

from __future__ import annotations

from core.usecases.commands import PageRequest
from core.usecases.effects import AfterCommit, DeliverNow
from core.usecases.registry import REGISTRY, Effect, UseCase, use_case

__all__ = ["REGISTRY", "AfterCommit", "DeliverNow", "Effect", "PageRequest", "UseCase", "use_case"]
