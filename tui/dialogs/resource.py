"""Resources → Add: an agent, skill, context file or tool policy scoped to the team."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from core.errors import Conflict, DomainError
from core.views import ResourceView
from tui.dialogs.form import FormModal
from tui.format import RESOURCE_KINDS, kind_label, safe_markup
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class NewResource:
    kind: str
    name: str
    body: str


class ResourceModal(FormModal[NewResource, ResourceView]):
    """Dismisses with the created :class:`ResourceView`, or None when cancelled."""

    SUBMIT_LABEL = "Create"
    FIELDS = ("kind", "name", "body")
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {Conflict: "name"}

    def __init__(self, team_name: str, submit: Callable[[NewResource], ResourceView]) -> None:
        super().__init__(submit)
        self.team_name = team_name

    def title_content(self) -> Content:
        return safe_markup("Add a resource to [b]$team[/b]", team=self.team_name)

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Kind", "kind")
        yield Select(
            [(kind_label(kind), kind) for kind in RESOURCE_KINDS],
            value="agent",
            allow_blank=False,
            id="kind",
        )
        yield FieldError("kind")
        yield FieldLabel("Name", "name")
        yield Input(id="name", placeholder="e.g. Kubernetes Runbook")
        yield FieldError("name")
        yield FieldLabel("Body (optional; Ctrl+S saves)", "body")
        yield TextArea(id="body")
        yield FieldError("body")

    def read_form(self) -> NewResource:
        kind = self.query_one("#kind", Select).value
        return NewResource(
            kind=kind if isinstance(kind, str) else "agent",
            name=self.query_one("#name", Input).value,
            body=self.query_one("#body", TextArea).text,
        )
