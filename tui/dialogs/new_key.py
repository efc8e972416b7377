"""API keys → New key: a name, an optional expiry in days and the scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from core.errors import Conflict, DomainError, InvalidInput
from core.validation import clean_expiry_days
from core.views import CreatedKey
from tui.dialogs.form import FormModal
from tui.format import plain, safe_markup
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class KeyRequest:
    name: str
    expires_in_days: int | None  # None: the key does not expire
    scope: str = "full"  # or "read"


def read_whole_number(text: str, field: str, sentence: str) -> int | None:
    """``text`` as an int, None when empty; ``sentence`` (next to ``field``) otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(sentence, field) from None


class NewKeyModal(FormModal[KeyRequest, CreatedKey]):
    """Dismisses with the :class:`CreatedKey` (shown next by the reveal modal, then dropped),
    or None when cancelled."""

    SUBMIT_LABEL = "Create key"
    FIELDS = ("name", "expires")
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {Conflict: "name"}

    def __init__(self, team_name: str, submit: Callable[[KeyRequest], CreatedKey]) -> None:
        super().__init__(submit)
        self.team_name = team_name

    def title_content(self) -> Content:
        return safe_markup("New API key for [b]$team[/b]", team=self.team_name)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            plain(
                "The key belongs to the team, not to you: it keeps working if you leave. "
                "It is shown once, right after it is created."
            ),
            classes="dialog-text",
        )
        yield FieldLabel("Name", "name")
        yield Input(id="name", placeholder="e.g. CI pipeline")
        yield FieldError("name")
        yield FieldLabel("Expires after (days; leave empty for never)", "expires")
        yield Input(id="expires", type="integer", placeholder="never")
        yield FieldError("expires")
        yield Checkbox("Read-only (the read scope)", id="read-only", compact=True)

    def read_form(self) -> KeyRequest:
        # Core's own rule (whole days, 1 to 3,650), said next to the field.
        days = clean_expiry_days(self.query_one("#expires", Input).value)
        scope = "read" if self.query_one("#read-only", Checkbox).value else "full"
        return KeyRequest(self.query_one("#name", Input).value, days, scope)
