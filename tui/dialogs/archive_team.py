"""Settings → Delete team: archive it once its exact name is typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from core.errors import InvalidInput
from core.views import TeamView
from tui.dialogs.form import FormModal
from tui.format import plain, safe_markup
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class ArchiveRequest:
    team_id: int


class ArchiveTeamModal(FormModal[ArchiveRequest, TeamView]):
    """Dismisses with the archived :class:`TeamView`, or None when cancelled."""

    SUBMIT_LABEL = "Delete team"
    SUBMIT_VARIANT = "error"
    FIELDS = ("confirm-name",)

    def __init__(self, team: TeamView, submit: Callable[[ArchiveRequest], TeamView]) -> None:
        super().__init__(submit)
        self.team = team

    def title_content(self) -> Content:
        return safe_markup("Delete team [b]$team[/b]", team=self.team.name)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            plain(
                "The team disappears from every list, its resources and API keys stop "
                "working for its members, and its name becomes free. The audit record stays."
            ),
            classes="dialog-text",
        )
        yield FieldLabel("Type the team's name to confirm", "confirm-name")
        yield Input(id="confirm-name", placeholder=self.team.name)
        yield FieldError("confirm-name")

    def read_form(self) -> ArchiveRequest:
        typed = self.query_one("#confirm-name", Input).value.strip()
        if typed != self.team.name:
            raise InvalidInput(
                "That is not the team's name; type it exactly as shown to delete the team.",
                "confirm-name",
            )
        return ArchiveRequest(self.team.id)
