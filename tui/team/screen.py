"""Settings → Teams → a team: Members, Resources, Activity and Settings tabs, and API keys
for those who manage them.

The screen loads what the user may do on the team (core's TeamAccess) and hands it down to
the tabs, which show only those actions; it reloads everything when a tab reports a change.
Only the Members tab is put together when the screen opens; each other tab is mounted the
first time it is shown (composing all five made opening a team take twice as long)."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Static, TabbedContent, TabPane, Tabs
from textual.worker import Worker

from core.errors import NotFound, PlanRequired
from core.permissions import TeamAction, WorkspaceAction
from core.usecases.commands import LeaveTeam, OpenTeam
from core.views import TeamAccess, TeamView
from core.vocabulary import with_article
from tui.bindings import NAVIGATE, TEAM, TEAMS
from tui.commands import PaletteCommand, binding_commands
from tui.dialogs.confirm import ConfirmModal, discard_question
from tui.format import count, plain, role_label, safe_markup
from tui.team.activity_tab import ActivityTab
from tui.team.invitations_panel import InvitationsPanel
from tui.team.keys_tab import KeysTab
from tui.team.members_tab import MembersTab
from tui.team.messages import TeamArchived, TeamChanged
from tui.team.resources_tab import ResourcesTab
from tui.team.settings_tab import TeamSettingsTab
from tui.team.tab import TAB_LABELS, TeamTab, tab_title
from tui.widgets.agent_bar import TAB_OF_RESULT
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.header import WorkspaceHeader
from tui.workers import CoreClient


class TeamScreen(CoreClient, Screen[None]):
    BINDINGS: ClassVar = [
        Binding(
            "escape", "back", "Back", tooltip="To the team list", id="team.back", group=NAVIGATE
        ),
        # Rare, and in the Settings tab and the help: the footer keeps its room for "? Help".
        Binding(
            "l",
            "leave",
            "Leave team",
            tooltip="Leave this team",
            show=False,
            id="team.leave",
            group=TEAM,
        ),
        *[
            Binding(
                str(key),
                f"show_tab('{tab}')",
                f"{label} tab",
                False,
                id=f"team.{tab}",
                group=NAVIGATE,
            )
            for key, (tab, label) in enumerate(TAB_LABELS.items(), 1)
        ],
        Binding("ctrl+r", "reload", "Reload", show=False, id="team.reload", group=TEAM),
        Binding(
            "ctrl+n",
            "add_team",
            "Add team",
            show=False,
            tooltip="Create a team; you become its owner",
            id="team.add_team",
            group=TEAMS,
        ),
    ]

    access: reactive[TeamAccess | None] = reactive(None)

    class AccessLoaded(Message):
        def __init__(self, access: TeamAccess) -> None:
            super().__init__()
            self.access = access

    class Left(Message):
        pass

    def __init__(self, team: TeamView, part: str | None = None) -> None:
        super().__init__()
        self.team = team
        self._part = part  # to show once the screen can (see show_part)
        # The tabs mounted on first show, made up front so the palette can offer their
        # actions before they are shown.
        self._later: dict[str, TeamTab] = {
            "resources": ResourcesTab(team.id, id="resources-tab"),
            "activity": ActivityTab(team.id, id="activity-tab"),
            "settings": TeamSettingsTab(team.id, id="settings-tab"),
        }
        self._mounting: dict[str, AwaitMount] = {}  # tabs whose content is being mounted

    @property
    def help_title(self) -> str:
        return f"Settings › Teams › {self.team.name}"

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Breadcrumb("Settings", "Teams", self.team.name, id="breadcrumb")
        yield Static("", id="team-summary")
        with TabbedContent(id="team-tabs", initial="members"):
            with TabPane(tab_title("members"), id="members"):
                yield MembersTab(self.team.id, id="members-tab").data_bind(TeamScreen.access)
            yield TabPane(tab_title("resources"), id="resources")
            yield TabPane(tab_title("activity"), id="activity")
            yield TabPane(tab_title("settings"), id="settings")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self._show_summary(self.team, self.team.my_role)
        self.query_one("#members-table").focus()
        self.load_access()
        if self._part is not None:
            self.show_part(self._part)

    # -- access ---------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="team", exit_on_error=False)
    def load_access(self) -> None:
        self.post_message(self.AccessLoaded(self.run(OpenTeam(self.team.id))))

    def on_team_screen_access_loaded(self, message: AccessLoaded) -> None:
        self.access = message.access

    def watch_access(self, access: TeamAccess | None) -> None:
        if access is None:
            return
        for tab in self._later.values():
            tab.hand_access(access)
        self.team = access.team
        self.query_one("#breadcrumb", Breadcrumb).set_parts("Settings", "Teams", access.team.name)
        self._show_summary(access.team, access.role)
        self._show_keys_tab(access)
        self.refresh_bindings()

    def _show_keys_tab(self, access: TeamAccess) -> None:
        """The API keys tab exists only for those who manage keys: members get no key data,
        not even an empty tab. It comes and goes with the user's role."""
        tabs = self.query_one("#team-tabs", TabbedContent)
        keys = self._later.get("keys")
        if access.can(TeamAction.MANAGE_KEYS):
            if keys is None:
                self._later["keys"] = KeysTab(self.team.id, access, id="keys-tab")
                tabs.add_pane(TabPane(tab_title("keys"), id="keys"))
        elif keys is not None:
            del self._later["keys"]
            tabs.remove_pane("keys")

    def _show_summary(self, team: TeamView, role: str | None) -> None:
        me = self.auxot.me
        as_workspace = (
            f"workspace {me.user.workspace_role}" if me is not None else "workspace admin"
        )
        you = (
            f"you are {with_article(role_label(role).lower())}"
            if role
            else f"not a member; you manage it as {as_workspace}"
        )
        # Counts and your role first: a long description is what gets cut.
        summary = safe_markup(
            "$members · $you[dim]$description[/dim]",
            members=count(team.member_count, "member"),
            you=you,
            description=f" · {team.description}" if team.description else "",
        )
        self.query_one("#team-summary", Static).update(summary)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        if worker.group == "team" and isinstance(error, (NotFound, PlanRequired)):
            # The team went away (archived, or you lost access) while the screen was open.
            self.auxot.report_error(error)
            self._leave_screen()
            return
        super().worker_failed(worker, error)

    # -- reloading after a change -------------------------------------------------------------------

    def on_team_changed(self, message: TeamChanged) -> None:
        # The changed row is updated in place: paint it before the reads of the rest. Under a
        # dialog, at once (a call after refresh waits on the dialog, lost if it closes first).
        if self.app.screen is self:
            self.call_after_refresh(self._after_change, message.notice)
        else:
            self._after_change(message.notice)

    def _after_change(self, notice: str | None) -> None:
        if notice:
            self.notify(notice, markup=False)
        self.action_reload()

    def on_team_archived(self, message: TeamArchived) -> None:
        self.notify(f"Deleted the team {message.team.name}.", markup=False)
        self._leave_screen()

    def action_reload(self) -> None:
        self.load_access()
        for tab in self._tabs():
            if tab.is_attached:
                tab.reload()

    # -- tabs -------------------------------------------------------------------------------------------

    def _tabs(self) -> list[TeamTab]:
        return [self.query_one(MembersTab), *self._later.values()]

    def action_show_tab(self, tab: str) -> None:
        mounting = self._fill(tab)
        self.query_one(TabbedContent).active = tab
        if mounting is None:
            self._focus_tab(tab)
        else:  # a tab key moves the focus into its tab, even from the tab bar
            self.call_later(self._focus_when_mounted, mounting, tab, True)

    def _fill(self, tab: str) -> AwaitMount | None:
        """Mount a tab's content the first time it is shown: what to await until it is
        there, or None when it is there already."""
        content = self._later.get(tab)
        if content is None:
            return None
        if tab in self._mounting:
            return self._mounting[tab]
        if content.is_attached:
            return None
        mounting = self._mounting[tab] = self.query_one(f"TabPane#{tab}", TabPane).mount(content)
        return mounting

    async def _focus_when_mounted(self, mounting: AwaitMount, tab: str, key: bool = False) -> None:
        await self._mounted(tab, mounting)
        walking = isinstance(self.focused, Tabs) and not key  # arrows on the tab bar
        if self.query_one(TabbedContent).active == tab and not walking:
            self._focus_tab(tab)

    async def _mounted(self, tab: str, mounting: AwaitMount | None) -> None:
        if mounting is not None:
            await mounting
            self._mounting.pop(tab, None)

    def _focus_tab(self, tab: str) -> None:
        target = {
            "members": "#members-table",
            "resources": "#resources-table",
            "activity": "#activity-table",
            "settings": "#settings-tab",
            "keys": "#keys-tab",  # its table, or New key while there is none
        }[tab]
        widget = self.query_one(target)
        if tab == "settings":
            # The tab itself, not its name field, so that a tab key (1-5) pressed next does not
            # replace the name; after focus changes already asked for (the palette's Rename).
            self.call_later(self._focus_unless_within, widget)
            return
        widget.focus()

    def _focus_unless_within(self, widget: Widget) -> None:
        if not widget.has_focus_within:
            self.set_focus(widget)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or "members"
        mounting = self._fill(tab)
        # Keep the focus on the tab bar while the user walks it; otherwise follow the tab.
        if mounting is not None:
            self.call_later(self._focus_when_mounted, mounting, tab)
        elif not isinstance(self.focused, Tabs):
            self._focus_tab(tab)
        self.refresh_bindings()

    # -- navigation and leaving ------------------------------------------------------------------------

    def action_back(self) -> None:
        unsaved = next(filter(None, (tab.unsaved_changes() for tab in self._tabs())), None)
        if unsaved is None:
            return self._leave_screen()
        self.app.push_screen(discard_question(unsaved), lambda yes: yes and self._leave_screen())

    def _leave_screen(self) -> None:
        """Back to the team list, closing any dialog still open over this screen."""
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()
        if self.app.screen is self:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            access = self.access
            return access is not None and access.role is not None and access.can(TeamAction.LEAVE)
        if action == "show_tab" and parameters == ("keys",):
            return "keys" in self._later
        if action == "add_team":
            return self.may(WorkspaceAction.CREATE_TEAM)
        return True

    def action_add_team(self) -> None:
        if self.check_action("add_team", ()):
            self.auxot.add_team()

    def action_leave(self) -> None:
        if not self.check_action("leave", ()):
            return

        question = ConfirmModal(
            plain("Leave team?"),
            safe_markup(
                "Leave [b]$team[/b]? You lose access to its agents and resources until "
                "an owner adds you again.",
                team=self.team.name,
            ),
            "Leave team",
        )
        self.app.push_screen(question, lambda yes: yes and self._leave())

    @work(thread=True, exclusive=True, group="team-leave", exit_on_error=False)
    def _leave(self) -> None:
        self.run(LeaveTeam(self.team.id))
        self.post_message(self.Left())

    def on_team_screen_left(self) -> None:
        self.notify(f"You left the team {self.team.name}.", markup=False)
        self._leave_screen()

    # -- the command palette ---------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's actions, then each tab's (shown first, mounted if need be) and the
        pending invitations' (focused first): those of every tab, not only the one on show."""
        commands = binding_commands(self)
        members = self.query_one(MembersTab)
        for name, tab in [("members", members), *self._later.items()]:
            commands += binding_commands(tab, partial(self.show_tab_mounted, name))
        if members.invitations is not None:
            commands += binding_commands(members.invitations, self._show_invitations)
        return commands

    async def _show_invitations(self) -> None:
        await self.show_tab_mounted("members")
        self.query_one(InvitationsPanel).focus_list()

    async def show_tab_mounted(self, tab: str) -> None:
        """Show ``tab`` and wait until its content is mounted."""
        self.action_show_tab(tab)
        await self._mounted(tab, self._mounting.get(tab))

    # -- showing a part of the team for a link -------------------------------------------------------

    def show_part(self, part: str, tries: int = 40) -> None:
        """Show ``part`` (members, invitations, resources, keys) once it can: the API keys
        tab appears only after the screen knows the user's rights, and the invitations list
        only once it has read some."""
        tab = TAB_OF_RESULT.get(part)
        if tab is None:
            return

        def ready() -> bool:
            if self.access is None or not self.check_action("show_tab", (tab,)):
                return False
            try:
                self.query_one(TabbedContent).get_tab(tab)
            except (NoMatches, ValueError):
                return False
            if part == "invitations":
                panels = self.query(InvitationsPanel)
                tables = self.query("#invitations-table")
                return (
                    bool(panels)
                    and panels.first().display
                    and bool(tables)
                    and tables.first().display
                )
            return True

        def attempt(left: int) -> None:
            if not self.is_attached or self.app.screen is not self:
                return
            if ready():
                if tab != "members":
                    self.action_show_tab(tab)
                if part == "invitations":
                    self.query_one(InvitationsPanel).focus_list()
            elif left:
                self.set_timer(0.05, lambda: attempt(left - 1))

        self.call_after_refresh(attempt, tries)
