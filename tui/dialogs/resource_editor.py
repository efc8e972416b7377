"""Resources → Open: a resource's whole body, and, for those who manage the team's
resources, its name, body and place (this team, another team, the whole workspace) to edit.

Saving sends only what changed, as one use case (core checks the rights on both sides of a
move). A member sees the same dialog read-only, with Close alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Select, TextArea

from core.errors import Conflict, DomainError
from core.usecases import commands as uc
from core.views import ResourceView, TeamView
from tui.dialogs.form import FormModal
from tui.format import kind_label, safe_markup
from tui.widgets.form import FieldError, FieldLabel

STAY = "stay"
WORKSPACE = "workspace"
TEAMS_OFFERED = 500  # teams listed as places to move to; a longer list is typed in the CLI


@dataclass(frozen=True)
class ResourceChange:
    """What changed; None where nothing did."""

    name: str | None
    body: str | None
    move_to: int | None
    to_workspace: bool

    @property
    def empty(self) -> bool:
        return (
            self.name is None
            and self.body is None
            and self.move_to is None
            and not self.to_workspace
        )


class ResourceEditorModal(FormModal[ResourceChange, ResourceView]):
    """Dismisses with the saved :class:`ResourceView` (the same one when nothing changed),
    or None when cancelled."""

    SUBMIT_LABEL = "Save"
    FIELDS = ("name", "body", "place")
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {Conflict: "name"}

    class TeamsRead(Message):
        def __init__(self, teams: list[TeamView]) -> None:
            super().__init__()
            self.teams = teams

    def __init__(
        self,
        resource: ResourceView,
        submit: Callable[[ResourceChange], ResourceView],
        *,
        can_edit: bool,
    ) -> None:
        super().__init__(submit)
        self.resource = resource
        self.can_edit = can_edit
        where = resource.team_name or "the workspace"
        self._stay = (f"Stay in {where}", STAY)

    def title_content(self) -> Content:
        where = f"in {self.resource.team_name}" if self.resource.team_name else "workspace-wide"
        return safe_markup(
            "$kind [b]$name[/b] · $where",
            kind=kind_label(self.resource.kind),
            name=self.resource.name,
            where=where,
        )

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Name", "name")
        yield Input(self.resource.name, id="name", disabled=not self.can_edit)
        yield FieldError("name")
        yield FieldLabel("Body" + (" (Ctrl+S saves)" if self.can_edit else ""), "body")
        yield TextArea(
            self.resource.body, id="body", read_only=not self.can_edit, classes="resource-body"
        )
        yield FieldError("body")
        yield FieldLabel("Place", "place")
        yield Select([self._stay], value=STAY, allow_blank=False, id="place")
        yield FieldError("place")

    def on_mount(self) -> None:
        super().on_mount()
        submit = self.query_one("#submit", Button)
        submit.display = self.can_edit
        self.query_one("#cancel", Button).label = "Cancel" if self.can_edit else "Close"
        self.query_one("#place", Select).display = self.can_edit
        for label in self.query(FieldLabel):
            if label.for_field == "place":
                label.display = self.can_edit
        if self.can_edit:
            self._read_teams()
        else:
            self.query_one("#body", TextArea).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_edit if action == "submit" else True

    @work(thread=True, exclusive=True, group="resource-places", exit_on_error=False)
    def _read_teams(self) -> None:
        page = self.core.run(self.actor, uc.ListTeams(page=uc.PageRequest(limit=TEAMS_OFFERED)))
        self.post_message(self.TeamsRead(page.items))

    def on_resource_editor_modal_teams_read(self, message: TeamsRead) -> None:
        here = self.resource.team_id
        others = [(f"Move to {t.name}", str(t.id)) for t in message.teams if t.id != here]
        if self.resource.scope == "team":
            others.append(("Move to the whole workspace", WORKSPACE))
        place = self.query_one("#place", Select)
        place.set_options([self._stay, *others])
        place.value = STAY

    def read_form(self) -> ResourceChange:
        name = self.query_one("#name", Input).value
        body = self.query_one("#body", TextArea).text
        place = self.query_one("#place", Select).value
        return ResourceChange(
            name=name if name != self.resource.name else None,
            body=body if body != self.resource.body else None,
            move_to=int(place) if isinstance(place, str) and place.isdigit() else None,
            to_workspace=place == WORKSPACE,
        )
