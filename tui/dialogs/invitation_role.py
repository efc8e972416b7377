"""Members → invitations → Change role: the role a pending invitation gives when accepted.
The list does not wrap (one stray key never turns an invitation into an owner's), and an
owner's role is asked about once more."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from core.views import InvitationView
from tui.bindings import DIALOG
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.role_picker import OWNER_POWERS, role_options
from tui.format import ROLES, plain, safe_markup
from tui.widgets.bounded_option_list import BoundedOptionList
from tui.widgets.footer import AuxotFooter


class InvitationRoleModal(ModalScreen[str | None]):
    """Dismisses with the role chosen (confirmed, for owner), or None when cancelled or
    unchanged."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="invitation_role.cancel", group=DIALOG),
    ]
    AUTO_FOCUS = "#invitation-roles"

    def __init__(self, invitation: InvitationView) -> None:
        super().__init__()
        self.invitation = invitation

    def compose(self) -> ComposeResult:
        current = self.invitation.role
        with Vertical(classes="dialog"):
            yield Static(
                safe_markup("Role for [b]$email[/b]", email=self.invitation.email),
                classes="dialog-title",
            )
            yield Static(
                plain(f"What they become in {self.invitation.team_name} when they accept."),
                classes="dialog-text",
            )
            yield BoundedOptionList(*role_options(current), id="invitation-roles")
            yield Static(plain("Enter chooses · Esc cancels"), classes="field-help")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = ROLES.index(self.invitation.role)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        role = event.option.id or self.invitation.role
        if role == self.invitation.role:
            self.dismiss(None)
        elif role == "owner":
            question = ConfirmModal(
                safe_markup(
                    "Invite [b]$email[/b] as an owner of $team?",
                    email=self.invitation.email,
                    team=self.invitation.team_name,
                ),
                plain(OWNER_POWERS),
                "Make owner",
                danger=False,
            )
            self.app.push_screen(question, lambda yes: self.dismiss(role) if yes else None)
        else:
            self.dismiss(role)

    def action_cancel(self) -> None:
        self.dismiss(None)
