"""What the admin agent answers: a plan to confirm, a question, an explanation or a refusal;
and, after a confirmed plan ran, its result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.usecases.commands import Command
from core.usecases.registry import use_case


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    """A command's fields for JSON: tuples as lists, a page as its parts."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in args.items()}


@dataclass(frozen=True)
class Plan:
    """One named use case, described in plain words, not yet run.

    ``command`` is a registered command, run with ``Core.run``. Teams are named by id in it,
    so a rename between planning and confirming cannot point it at another team."""

    description: str
    command: Command
    target_team: str | None = None
    action: str = ""  # what was understood: invite, change_role, create_key, ...
    details: tuple[str, ...] = ()  # further lines to show under the description
    sentence: str = ""  # as typed
    confirm_text: str | None = None  # the name to type for an irreversible one (else the team's)

    @property
    def changes(self) -> bool:
        """False for questions (lists): nothing to confirm."""
        return use_case(self.command).changes

    @property
    def typed_confirmation(self) -> str | None:
        """What must be typed before this plan runs (the team's or the key's name), or None
        when a yes is enough."""
        if not use_case(self.command).irreversible:
            return None
        return self.confirm_text or self.target_team

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "plan",
            "description": self.description,
            "command": type(self.command).__name__,
            "args": _jsonable(asdict(self.command)),
            "target_team": self.target_team,
            "action": self.action,
            "details": list(self.details),
            "changes": self.changes,
            "type_to_confirm": self.typed_confirmation,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Clarify:
    """A name matched more than one team or person, or the sentence reads two ways. Nothing
    is chosen: the person picks.

    ``sentences[i]`` is the sentence rewritten with ``options[i]`` spelled out exactly, ready
    to be planned again (empty when no such sentence could be written). When the sentence read
    two ways, ``plans[i]`` is the plan of ``options[i]``, ready to confirm."""

    question: str
    options: list[str]
    sentences: list[str] = field(default_factory=list)
    about: str = "team"  # team, person, resource or reading
    plans: list[Plan] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "clarify",
            "question": self.question,
            "options": self.options,
            "sentences": self.sentences,
            "about": self.about,
            "plans": [plan.to_dict() for plan in self.plans],
        }


@dataclass(frozen=True)
class NotUnderstood:
    """The sentence could not be read completely, or names something that does not exist.

    ``missing`` names the part that could not be read (team, person, role, name, key, text,
    what, command, sentence) and ``examples`` are the closest sentences that work."""

    message: str
    examples: list[str]
    missing: str = "sentence"
    understood: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "not_understood",
            "message": self.message,
            "examples": self.examples,
            "missing": self.missing,
            "understood": self.understood,
        }


@dataclass(frozen=True)
class Refused:
    """Understood, but the acting user may not do it: core's own sentence says why."""

    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "refused", "message": self.message}


Answer = Plan | Clarify | NotUnderstood | Refused


@dataclass(frozen=True)
class AgentResult:
    """What a confirmed plan did.

    ``link`` points at the affected screen: ("team", name) or ("teams", "") after a team
    disappeared; ``tab`` is the part of the team screen (members, invitations, keys, resources).
    ``secret`` is a created key's plaintext, to show once and drop. ``ok`` is False when some
    part of a bulk invite did not go through (each address has its own line in ``summary``)."""

    summary: str
    data: Any
    link: tuple[str, str] | None = None
    secret: str | None = field(default=None, repr=False)  # never in a repr or a log line
    tab: str | None = None
    ok: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Without ``data`` (service views) and ``secret``: the caller decides how to show them."""
        return {
            "kind": "result",
            "summary": self.summary,
            "link": list(self.link) if self.link else None,
            "tab": self.tab,
            "ok": self.ok,
        }
