"""Members → Change role: owner, admin or member, the current one highlighted.

The list stops at its ends (one stray ↓ never wraps Member round to Owner), and making someone
an owner, or lowering your own role, asks once more, naming the person and the team.

The dialog saves the choice before it closes: Enter runs the change (its opener's ``save``,
a core use case) in a worker, and the dialog closes with the changed member once core has
said yes, so the list under it shows the new role in the frame that shows it closed. A
refusal (the last owner, a change made meanwhile) is said in the dialog, which stays open
with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from core.errors import DomainError
from core.views import MemberView
from tui.bindings import DIALOG
from tui.dialogs.confirm import ConfirmModal
from tui.format import ROLE_HELP, ROLES, plain, role_label, safe_markup
from tui.widgets.bounded_option_list import BoundedOptionList
from tui.widgets.footer import AuxotFooter
from tui.widgets.form import FieldError
from tui.workers import CoreClient

# Said before anyone is made an owner, of a team or by an invitation.
OWNER_POWERS = "Owners can change every role in the team, remove anyone and delete the team."


def role_options(current: str) -> list[Option]:
    """The roles, most powerful first, each with what it may do; ``current`` marked."""
    return [
        Option(
            safe_markup(
                "[b]$role[/b]$now\n[dim]$help[/dim]",
                role=role_label(role),
                now=" (current)" if role == current else "",
                help=ROLE_HELP[role],
            ),
            id=role,
        )
        for role in ROLES
    ]


@dataclass(frozen=True)
class RoleChoice:
    email: str
    role: str
    version: int


class RolePickerModal(CoreClient, ModalScreen[MemberView | None]):
    """Dismisses with the member as saved, or None when cancelled or unchanged."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", group=DIALOG),
    ]
    AUTO_FOCUS = "#roles"

    def __init__(
        self,
        member: MemberView,
        save: Callable[[RoleChoice], MemberView],
        saved: Callable[[MemberView], None],
        *,
        team_name: str,
        is_you: bool,
    ) -> None:
        """``save`` runs in a worker; ``saved`` shows the change, before the dialog closes."""
        super().__init__()
        self.member = member
        self._save = save
        self._saved = saved
        self.team_name = team_name
        self.is_you = is_you

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                safe_markup("Change the role of [b]$name[/b]", name=self.member.display_name),
                classes="dialog-title",
            )
            yield Static(plain(self.member.email), classes="dialog-text")
            yield BoundedOptionList(*role_options(self.member.role), id="roles")
            yield FieldError("role")
            yield Static(plain("Enter chooses · Esc cancels"), classes="field-help")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = ROLES.index(self.member.role)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        role = event.option.id or self.member.role
        if role == self.member.role:
            self.dismiss(None)
        elif self.saving:
            return
        elif question := self._question(role):
            self.app.push_screen(question, lambda yes: self._save_role(role) if yes else None)
        else:
            self._save_role(role)

    def _question(self, role: str) -> ConfirmModal | None:
        """A second question before a change that is hard to take back, else None."""
        lowers = ROLES.index(role) > ROLES.index(self.member.role)  # ROLES runs owner first
        if role == "owner":
            title = "Make $name an owner of $team?"
            text = OWNER_POWERS
        elif self.is_you and lowers:
            title = "Lower your own role in $team to $role?"
            text = "You cannot raise your role again yourself; another owner has to."
        else:
            return None
        return ConfirmModal(
            safe_markup(
                title, name=self.member.display_name, team=self.team_name, role=role_label(role)
            ),
            plain(text),
            f"Make {role_label(role).lower()}",
            danger=role != "owner",
        )

    def _save_role(self, role: str) -> None:
        self.query_one("#role-error", FieldError).clear()
        self._run_save(RoleChoice(self.member.email, role, self.member.version))

    @property
    def saving(self) -> bool:
        return any(worker.group == "role-save" and worker.is_running for worker in self.workers)

    @work(thread=True, exclusive=True, group="role-save", exit_on_error=False)
    def _run_save(self, choice: RoleChoice) -> None:
        self.post_message(self.Saved(self._save(choice)))

    class Saved(Message):
        def __init__(self, member: MemberView) -> None:
            super().__init__()
            self.member = member

    def on_role_picker_modal_saved(self, message: Saved) -> None:
        # Shown first, then closed: a dismiss callback runs later, in the caller's queue, so
        # the frame that shows the list again could still hold the old role.
        self._saved(message.member)
        self.dismiss(message.member)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.query_one("#role-error", FieldError).show(str(error))
        else:
            super().worker_failed(worker, error)

    def action_cancel(self) -> None:
        if not self.saving:  # a change on its way lands, and the list shows it
            self.dismiss(None)

    @property
    def error(self) -> str:
        """The refusal shown in the dialog, for tests."""
        return self.query_one("#role-error", FieldError).message
