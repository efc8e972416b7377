"""API keys → Rotate: how long the old key keeps working while its callers switch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from core.errors import InvalidInput
from core.views import CreatedKey, KeyView
from tui.dialogs.form import FormModal
from tui.dialogs.new_key import read_whole_number
from tui.format import safe_markup
from tui.widgets.form import FieldError, FieldLabel

DEFAULT_GRACE_HOURS = 24


@dataclass(frozen=True)
class RotateRequest:
    grace_hours: int
    until_unused: bool = False  # end the old key once it has gone an hour without a call


class RotateKeyModal(FormModal[RotateRequest, CreatedKey]):
    """Dismisses with the new :class:`CreatedKey` (its ``replaces`` says when the old key
    ends), or None when cancelled."""

    SUBMIT_LABEL = "Rotate key"
    FIELDS = ("grace",)

    def __init__(self, key: KeyView, submit: Callable[[RotateRequest], CreatedKey]) -> None:
        super().__init__(submit)
        self.key = key

    def title_content(self) -> Content:
        return safe_markup("Rotate the key [b]$name[/b]", name=self.key.name)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            safe_markup(
                "A new key replaces [b]$masked[/b]: the old one keeps working for the grace "
                "period, so the services that use it can switch without an outage "
                "(0 ends it at once).",
                masked=self.key.masked,
            ),
            classes="dialog-text",
        )
        yield FieldLabel("Grace period (hours)", "grace")
        yield Input(str(DEFAULT_GRACE_HOURS), id="grace", type="integer")
        yield FieldError("grace")
        yield Checkbox(
            "End it sooner, once it has gone an hour without a call",
            id="until-unused",
            compact=True,
        )

    def read_form(self) -> RotateRequest:
        sentence = "Type the grace period in hours; 0 ends the old key at once."
        hours = read_whole_number(self.query_one("#grace", Input).value, "grace", sentence)
        if hours is None:
            raise InvalidInput(sentence, "grace")
        sooner = self.query_one("#until-unused", Checkbox).value
        if sooner and hours < 1:  # core's words name a quiet period this dialog does not show
            raise InvalidInput(
                "To end it after an hour without a call, give a grace period of at least 1 hour.",
                "grace",
            )
        return RotateRequest(hours, sooner)
