"""Settings → Teams → Add Team: a name and an optional description."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input

from core.errors import Conflict, DomainError
from core.views import TeamView
from tui.dialogs.form import FormModal
from tui.format import plain
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class NewTeam:
    name: str
    description: str


class AddTeamModal(FormModal[NewTeam, TeamView]):
    """Dismisses with the created :class:`TeamView`, or None when cancelled."""

    SUBMIT_LABEL = "Add team"
    FIELDS = ("name", "description")
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {Conflict: "name"}

    def title_content(self) -> Content:
        return plain("Add team")

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Name", "name")
        yield Input(id="name", placeholder="Platform Engineering")
        yield FieldError("name")
        yield FieldLabel("Description (optional)", "description")
        yield Input(id="description", placeholder="What the team works on")
        yield FieldError("description")

    def read_form(self) -> NewTeam:
        return NewTeam(
            name=self.query_one("#name", Input).value,
            description=self.query_one("#description", Input).value,
        )
