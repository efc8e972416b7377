"""Members → Change role: owner, admin or member, the current one highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.views import MemberView
from tui.bindings import DIALOG
from tui.format import ROLE_HELP, ROLES, role_label
from tui.widgets.footer import AuxotFooter


@dataclass(frozen=True)
class RoleChoice:
    email: str
    role: str
    version: int


class RolePickerModal(ModalScreen[RoleChoice | None]):
    """Dismisses with the chosen role, or None when cancelled or unchanged."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", group=DIALOG),
    ]
    AUTO_FOCUS = "#roles"

    def __init__(self, member: MemberView) -> None:
        super().__init__()
        self.member = member

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.from_markup(
                    "Change the role of [b]$name[/b]", name=self.member.display_name
                ),
                classes="dialog-title",
            )
            yield Static(Content(self.member.email), classes="dialog-text")
            yield OptionList(*[self._option(role) for role in ROLES], id="roles")
            yield Static(Content("Enter chooses · Esc cancels"), classes="field-help")
        yield AuxotFooter()

    def _option(self, role: str) -> Option:
        current = " (current)" if role == self.member.role else ""
        prompt = Content.from_markup(
            "[b]$role[/b]$current\n[dim]$help[/dim]",
            role=role_label(role),
            current=current,
            help=ROLE_HELP[role],
        )
        return Option(prompt, id=role)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = ROLES.index(self.member.role)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        role = event.option.id or self.member.role
        if role == self.member.role:
            self.dismiss(None)
        else:
            self.dismiss(RoleChoice(self.member.email, role, self.member.version))

    def action_cancel(self) -> None:
        self.dismiss(None)
