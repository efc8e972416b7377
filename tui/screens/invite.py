"""Members → Invite: an email address and a role. An existing account is added at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from core.errors import Conflict, DomainError, NotFound
from core.views import MemberView
from tui.format import ROLE_HELP, ROLES, role_label
from tui.screens.form import FormModal
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class Invitation:
    email: str
    role: str


class InviteModal(FormModal[Invitation, MemberView]):
    """Dismisses with the new member's :class:`MemberView`, or None when cancelled."""

    SUBMIT_LABEL = "Invite"
    FIELDS = ("email", "role")
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {NotFound: "email", Conflict: "email"}

    def __init__(self, team_name: str, submit) -> None:  # type: ignore[no-untyped-def]
        super().__init__(submit)
        self.team_name = team_name

    def title_content(self) -> Content:
        return Content.from_markup("Invite a member to [b]$team[/b]", team=self.team_name)

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Email address", "email")
        yield Input(id="email", placeholder="name@example.com")
        yield FieldError("email")
        yield FieldLabel("Role", "role")
        yield Select(
            [(role_label(role), role) for role in ROLES],
            value="member",
            allow_blank=False,
            id="role",
        )
        yield Static(Content(ROLE_HELP["member"]), id="role-help", classes="field-help")
        yield FieldError("role")

    @on(Select.Changed, "#role")
    def _explain_role(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#role-help", Static).update(Content(ROLE_HELP[event.value]))

    def read_form(self) -> Invitation:
        role = self.query_one("#role", Select).value
        return Invitation(
            email=self.query_one("#email", Input).value,
            role=role if isinstance(role, str) else "member",
        )
