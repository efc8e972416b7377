"""Team → Members: who is in the team, and for owners and workspace admins invite, change
role and remove, with the pending invitations listed under the members."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Static
from textual.worker import get_current_worker

from core.permissions import TeamAction
from core.views import InviteOutcome, MemberView, Page, TeamAccess
from tui.bindings import MEMBERS, PAGES
from tui.commands import PaletteCommand
from tui.format import cell, count, day, role_label
from tui.messages import TeamChanged
from tui.screens.confirm import ConfirmModal
from tui.screens.invite import InviteModal, InviteRequest
from tui.screens.role_picker import RoleChoice, RolePickerModal
from tui.widgets.invitations_panel import InvitationsPanel
from tui.widgets.table import Column, ResponsiveTable, theme_color
from tui.workers import CoreClient

PAGE_SIZE = 100

COLUMNS = (
    Column("name", "Name", min_width=12, weight=2),
    Column("email", "Email", min_width=14, weight=3),
    Column("role", "Role", width=6),
    Column("added", "Added", width=10),
    Column("status", "Status", width=11),
)


class MembersTab(CoreClient, Vertical):
    BINDINGS: ClassVar = [
        Binding("i", "invite", "Invite", id="members.invite", group=MEMBERS),
        Binding("r", "change_role", "Change role", id="members.role", group=MEMBERS),
        Binding("x,delete", "remove", "Remove", id="members.remove", group=MEMBERS),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            id="members.previous_page",
            group=PAGES,
        ),
        Binding(
            "right_square_bracket", "page(1)", "Next page", id="members.next_page", group=PAGES
        ),
    ]

    access: reactive[TeamAccess | None] = reactive(None)

    class Loaded(Message):
        def __init__(self, page: Page[MemberView]) -> None:
            super().__init__()
            self.page = page

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.page_offset = 0
        self.page: Page[MemberView] | None = None
        self._members: dict[str, MemberView] = {}
        self._cursor_to_top = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="members-count", classes="tab-count")
            yield Static(
                Content("Only the team's owners and workspace admins manage members."),
                classes="tab-hint",
            )
            yield Button("Invite", id="members-invite", variant="primary", compact=True)
            yield Button("Change role", id="members-role", compact=True)
            yield Button("Remove", id="members-remove", variant="error", compact=True)
        yield ResponsiveTable(COLUMNS, id="members-table")
        yield InvitationsPanel(self.team_id, id="invitations").data_bind(MembersTab.access)

    def on_mount(self) -> None:
        self._show_buttons()
        self.watch(self.app, "theme", lambda _theme: self._show_rows(), init=False)
        self.reload()

    # -- permissions ------------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_MEMBERS)

    @property
    def selected(self) -> MemberView | None:
        key = self.query_one("#members-table", ResponsiveTable).current_key
        return self._members.get(key) if key else None

    def watch_access(self) -> None:
        if self.is_mounted:
            self._show_buttons()
            self.screen.refresh_bindings()

    def _show_buttons(self) -> None:
        for button in self.query(".tab-toolbar Button"):
            button.display = self.can_manage
        self.query_one(".tab-hint").display = self.access is not None and not self.can_manage

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("invite", "change_role", "remove"):
            if not self.can_manage:
                return False
            if action != "invite" and self.selected is None:
                return None
            if action != "invite" and self.invitations.has_focus_within:
                return False  # r and x belong to the invitations list while it has the focus
        if action == "page":
            if self.page is None or self.page.total <= PAGE_SIZE:
                return False
            return self._page_offset(int(parameters[0])) is not None or None  # type: ignore[call-overload]
        return True

    # -- loading ------------------------------------------------------------------------------------

    @property
    def invitations(self) -> InvitationsPanel:
        return self.query_one(InvitationsPanel)

    def reload(self) -> None:
        self._load(self.page_offset)
        self.invitations.reload()

    @work(thread=True, exclusive=True, group="members", exit_on_error=False)
    def _load(self, offset: int) -> None:
        page = self.core.list_members(self.actor, self.team_id, offset=offset, limit=PAGE_SIZE)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(page))

    def on_members_tab_loaded(self, message: Loaded) -> None:
        page = message.page
        if not page.items and page.offset > 0 and page.total:
            self.page_offset = (page.total - 1) // PAGE_SIZE * PAGE_SIZE
            self.reload()
            return
        self.page = page
        self._members = {member.email: member for member in page.items}
        self._show_rows()
        if self._cursor_to_top:
            self.query_one("#members-table", ResponsiveTable).move_cursor(row=0)
            self._cursor_to_top = False
        if page.total <= PAGE_SIZE:
            text = count(page.total, "member")
        else:
            text = (
                f"{page.offset + 1:,}–{page.offset + len(page.items):,} of {page.total:,} members"
            )
        self.query_one("#members-count", Static).update(Content(text))
        self.screen.refresh_bindings()

    def _show_rows(self) -> None:
        if self.page is not None:
            self.query_one("#members-table", ResponsiveTable).set_rows(
                [(member.email, self._cells(member)) for member in self.page.items]
            )

    def _cells(self, member: MemberView) -> tuple:  # type: ignore[type-arg]
        name = cell(member.display_name, "bold")
        if member.user_id == self.actor.user_id:
            name.append(" (you)", style="dim")
        active = member.status == "active"
        return (
            name,
            cell(member.email),
            cell(role_label(member.role)),
            cell(day(member.added_at)),
            cell(
                member.status, "dim" if active else f"bold {theme_color(self, 'text-error', 'red')}"
            ),
        )

    def _page_offset(self, step: int) -> int | None:
        if self.page is None:
            return None
        offset = self.page_offset + step * PAGE_SIZE
        return offset if 0 <= offset < self.page.total else None

    def action_page(self, step: int) -> None:
        offset = self._page_offset(step)
        if offset is not None:
            self.page_offset = offset
            self._cursor_to_top = True
            self.reload()

    @on(ResponsiveTable.PageRequested)
    def _page_requested(self, event: ResponsiveTable.PageRequested) -> None:
        self.action_page(event.step)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.screen.refresh_bindings()

    # -- invite -----------------------------------------------------------------------------------

    @on(Button.Pressed, "#members-invite")
    def action_invite(self) -> None:
        if not self.can_manage or self.access is None:
            return
        core, actor, team_id = self.core, self.actor, self.team_id

        def invite(request: InviteRequest) -> list[InviteOutcome]:
            """In the dialog's worker: the lists behind it follow at once."""
            outcomes = core.invite_members(actor, team_id, request.addresses, request.role)
            if any(outcome.ok for outcome in outcomes):
                self.post_message(TeamChanged())
            return outcomes

        self.app.push_screen(InviteModal(self.access.team.name, invite))

    # -- invitations, for the command palette ------------------------------------------------------

    def invitation_commands(self, show_tab: Callable[[], object]) -> list[PaletteCommand]:
        """Resend, revoke and copy link for the highlighted invitation, when there is one."""
        panel = self.invitations
        if not self.can_manage or panel.selected is None:
            return []

        def on_list(action: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                show_tab()
                panel.focus_list()
                action()

            return run

        return [
            PaletteCommand(
                "Team: Resend invitation",
                "A new link and expiry for the highlighted invitation, emailed again",
                on_list(panel.action_resend),
            ),
            PaletteCommand(
                "Team: Revoke invitation",
                "The highlighted invitation's link stops working",
                on_list(panel.action_revoke),
            ),
            PaletteCommand(
                "Team: Copy invite link",
                "Copy the highlighted invitation's link to send it yourself",
                on_list(panel.action_copy_link),
            ),
        ]

    # -- change role ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#members-role")
    def action_change_role(self) -> None:
        member = self.selected
        if member is None or not self.can_manage:
            return

        def chosen(choice: RoleChoice | None) -> None:
            if choice is not None:
                self._change_role(choice)

        self.app.push_screen(RolePickerModal(member), chosen)

    @work(thread=True, exclusive=True, group="members-change", exit_on_error=False)
    def _change_role(self, choice: RoleChoice) -> None:
        member = self.core.change_role(
            self.actor, self.team_id, choice.email, choice.role, expected_version=choice.version
        )
        self.post_message(TeamChanged(f"{member.email} is now {member.role}."))

    # -- remove -----------------------------------------------------------------------------------------

    @on(Button.Pressed, "#members-remove")
    def action_remove(self) -> None:
        member = self.selected
        if member is None or not self.can_manage or self.access is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._remove(member.email)

        you = member.user_id == self.actor.user_id
        self.app.push_screen(
            ConfirmModal(
                Content("Remove yourself?" if you else "Remove member?"),
                Content.from_markup(
                    "Remove [b]$name[/b] ($email) from [b]$team[/b]? They lose access to "
                    "the team's agents and resources at once.",
                    name=member.display_name,
                    email=member.email,
                    team=self.access.team.name,
                ),
                "Remove",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="members-change", exit_on_error=False)
    def _remove(self, email: str) -> None:
        self.core.remove_member(self.actor, self.team_id, email)
        self.post_message(TeamChanged(f"Removed {email} from the team."))
