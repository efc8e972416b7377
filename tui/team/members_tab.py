"""Team → Members: who is in the team, and for owners and workspace admins invite, change
role and remove, with the pending invitations listed under the members.

The members are a virtual table over core's ``list_members``: a team of 20,000 reads only
the rows in view, End reads the last ones from the far end, and the filter runs in SQL."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.widgets import Button, Input, Static

from core.permissions import TeamAction
from core.usecases.commands import ChangeRole, InviteMembers, ListMembers, PageRequest, RemoveMember
from core.views import InviteOutcome, MemberView, Page
from core.vocabulary import with_article
from tui.bindings import MEMBERS
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.invite import InviteModal, InviteRequest
from tui.dialogs.role_picker import RoleChoice, RolePickerModal
from tui.format import cell, day, plain, role_label, safe_markup, shown_count
from tui.team.invitations_panel import InvitationsPanel
from tui.team.messages import TeamChanged
from tui.team.tab import TeamTab
from tui.widgets.list_filter import ListFilter
from tui.widgets.table import Column, theme_color
from tui.widgets.virtual_table import RowSource, VirtualTable, nearer_end

COLUMNS = (
    Column("name", "Name", min_width=12, weight=2),
    Column("email", "Email", min_width=14, weight=3),
    Column("role", "Role", width=6),
    Column("added", "Added", width=10),
    # As wide as its words: "deactivated" only when someone in the list is.
    Column("status", "Status", min_width=6),
)


class MembersTab(TeamTab, Vertical):
    BINDINGS: ClassVar = [
        Binding(
            "i",
            "invite",
            "Invite",
            tooltip="Add or invite people by email, one or many at once",
            id="members.invite",
            group=MEMBERS,
        ),
        Binding(
            "r",
            "change_role",
            "Change role",
            tooltip="Change the selected member's role",
            id="members.role",
            group=MEMBERS,
        ),
        Binding(
            "x,delete",
            "remove",
            "Remove",
            tooltip="Remove the selected member from the team",
            id="members.remove",
            group=MEMBERS,
        ),
        # Not in the footer: at 80 columns it would push out ? Help. Help lists it.
        Binding("slash", "focus_filter", "Filter", id="members.filter", group=MEMBERS),
    ]

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.query_text = ""
        self.overall: int | None = None  # members in all, whatever the filter says

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="members-count", classes="tab-count")
            yield Static(
                plain("Only the team's owners and workspace admins manage members."),
                classes="tab-hint",
            )
            yield Button("Invite", id="members-invite", variant="primary", compact=True)
            yield Button("Change role", id="members-role", compact=True)
            yield Button("Remove", id="members-remove", variant="error", compact=True)
        yield ListFilter(
            "#members-table", "Filter by name or email (Esc clears)", id="members-filter"
        )
        yield VirtualTable(COLUMNS, id="members-table")
        # Mounted just after the first frame: the members come first when a team opens.
        yield Lazy(InvitationsPanel(self.team_id, id="invitations").data_bind(MembersTab.access))

    @property
    def table(self) -> VirtualTable[MemberView]:
        return self.query_one("#members-table", VirtualTable)

    def on_mount(self) -> None:
        self._show_buttons()
        self.reload()

    # -- permissions ------------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_MEMBERS)

    @property
    def selected(self) -> MemberView | None:
        return self.table.current_row

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
            invitations = self.invitations
            if action != "invite" and invitations is not None and invitations.has_focus_within:
                return False  # r and x belong to the invitations list while it has the focus
        if action == "focus_filter":
            return not isinstance(self.screen.focused, Input)
        return True

    # -- loading ------------------------------------------------------------------------------------

    @property
    def invitations(self) -> InvitationsPanel | None:
        """The pending invitations, once mounted (None for a moment while a team opens)."""
        found = self.query(InvitationsPanel)
        return found.first() if found else None

    def reload(self) -> None:
        table = self.table
        if table.source is None:
            table.show(self._source(self.query_text))
        else:
            table.refresh_rows()
        if self.invitations is not None:
            self.invitations.reload()  # (when it mounts, it reads them itself)

    def _source(self, query: str) -> RowSource[MemberView]:
        run, team = self.run, self.team_id

        def fetch(offset: int, limit: int, total: int | None) -> Page[MemberView]:
            page = PageRequest(*nearer_end(offset, limit, total))
            return run(ListMembers(team, query, page))

        return RowSource(fetch, key=lambda member: str(member.user_id), cells=self._cells)

    def _cells(self, member: MemberView) -> tuple[Text, ...]:
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

    @on(VirtualTable.Loaded, "#members-table")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        if not self.query_text.strip():
            self.overall = event.total
        overall = self.overall
        if overall is None and self.access is not None:
            overall = self.access.team.member_count
        text = shown_count(event.total, overall, "member", bool(self.query_text.strip()))
        self.query_one("#members-count", Static).update(plain(text))
        self.screen.refresh_bindings()

    @on(Input.Changed, "#members-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.table.show(self._source(event.value))

    def action_focus_filter(self) -> None:
        self.query_one("#members-filter", ListFilter).open()

    @on(VirtualTable.RowHighlighted, "#members-table")
    def _highlighted(self) -> None:
        self.screen.refresh_bindings()

    # -- invite -----------------------------------------------------------------------------------

    @on(Button.Pressed, "#members-invite")
    def action_invite(self) -> None:
        if not self.can_manage or self.access is None:
            return
        team_id = self.team_id

        def invite(request: InviteRequest) -> list[InviteOutcome]:
            # Core hands the mail it queued to the app's sender as soon as this commits.
            outcomes: list[InviteOutcome] = self.run(
                InviteMembers(team_id, request.addresses, request.role)
            )
            return outcomes

        def changed(outcomes: list[InviteOutcome]) -> TeamChanged | None:
            return TeamChanged() if any(outcome.ok for outcome in outcomes) else None

        self.app.push_screen(InviteModal(self.access.team.name, self.committing(invite, changed)))

    # -- change role ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#members-role")
    def action_change_role(self) -> None:
        member = self.selected
        if member is None or not self.can_manage:
            return

        def save(choice: RoleChoice) -> MemberView:  # in the dialog's worker
            changed: MemberView = self.run(
                ChangeRole(self.team_id, choice.email, choice.role, choice.version)
            )
            return changed

        def saved(member: MemberView) -> None:  # before the dialog closes
            self.table.update_row(member)
            self.post_message(TeamChanged(f"{member.email} is now {with_article(member.role)}."))

        team_name = self.access.team.name if self.access else ""
        you = member.user_id == self.actor.user_id
        self.app.push_screen(RolePickerModal(member, save, saved, team_name=team_name, is_you=you))

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
                plain("Remove yourself?" if you else "Remove member?"),
                safe_markup(
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
        self.run(RemoveMember(self.team_id, email))
        self.post_message(TeamChanged(f"Removed {email} from the team."))
