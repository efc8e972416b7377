"""The app: who is acting, over which core, and the few things every screen shares (the
header's ``me``, the error handler, help, theme, opening a team)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from core.errors import DomainError, PermissionDenied, PlanRequired
from tui.bindings import APP
from tui.collector import QuietCollector
from tui.commands import TeamsCommands
from tui.crash_report import say_if_crashed, send_crashes_to_server
from tui.dialogs.help import HelpModal, KeyHelp
from tui.format import shown
from tui.outbox_runner import DeliverInBackground, OutboxRunner
from tui.paste_guard import install as guard_pastes
from tui.preferences import load_preferences, remember
from tui.screens.team_list import TeamListScreen

if TYPE_CHECKING:
    # Core (SQLAlchemy, pydantic) is imported by whoever builds it, not on the way to the
    # app's first frame; so are the admin agent and the SSH keys dialog, when first opened,
    # and the team screen and the Add team form, soon after the first frame (see _warm_up).
    from core.services import Core
    from core.views import Me, Principal, TeamView
    from tui.dialogs.add_team import NewTeam
    from tui.dialogs.agent_result import AgentClosed
    from tui.widgets.agent_bar import CommandHistory

Connect = Callable[[], "tuple[Core, Principal]"]

_GROUP_ORDER = (
    "Teams",
    "Team",
    "Members",
    "Invitations",
    "Resources",
    "Activity",
    "Newer/older",
    "Team settings",
    "SSH keys",
    "Dialog",
    "Page",
    "Navigate",
    "App",
)
_LIGHT, _DARK = "textual-light", "textual-dark"
_SWITCH_INTERVAL = 0.001  # seconds; see on_mount
_WARM_UP_AFTER = 0.5  # seconds from connecting; see _warm_up


class AuxotApp(App[None]):
    CSS_PATH = Path(__file__).parent / "auxot.tcss"
    TITLE = "Auxot Teams"
    COMMANDS: ClassVar = {TeamsCommands}
    BINDINGS: ClassVar = [
        Binding("question_mark,f1", "help", "Help", id="app.help", group=APP),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="app.theme", group=APP),
        Binding("colon", "ask_agent", "Admin agent", show=False, id="app.agent", group=APP),
        Binding("ctrl+k", "ssh_keys", "SSH keys", show=False, id="app.ssh_keys", group=APP),
    ]

    me: reactive[Me | None] = reactive(None)
    me_error: reactive[str] = reactive("")

    def __init__(self, core: Core | None, actor: Principal | None) -> None:
        super().__init__()
        # Both are None until connect() has run, for an app made by connecting().
        self.core: Core = core  # type: ignore[assignment]  # None only until connect() answers; no screen reads it before
        self.actor: Principal = actor  # type: ignore[assignment]  # None only until connect() answers; no screen reads it before
        self._connect: Connect | None = None
        # Why the app could not start (no workspace, unknown account...), for run_app_connecting.
        self.startup_error: BaseException | None = None
        self.outbox = OutboxRunner(self)  # sends invitation emails off the UI thread
        self.collector = QuietCollector()
        self._preferences_read = False  # a theme set before they are read is not saved
        send_crashes_to_server(self)
        guard_pastes()  # a paste's escape characters never become key presses

    @classmethod
    def connecting(cls, connect: Connect) -> AuxotApp:
        """An app that shows its first frame at once and runs ``connect`` (opening the
        database and finding the account) in a worker behind it."""
        app = cls(None, None)
        app._connect = connect
        return app

    @cached_property
    def agent_history(self) -> CommandHistory:
        """The admin agent's sentences, this session."""
        from tui.widgets.agent_bar import CommandHistory

        return CommandHistory()

    def get_default_screen(self) -> Screen[None]:
        return TeamListScreen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (widgets and screens notify through here) shows its text safely:
        control characters as escapes, never sent to the terminal."""
        super().notify(
            shown(message), title=shown(title), severity=severity, timeout=timeout, markup=markup
        )

    def on_mount(self) -> None:
        # Core runs in worker threads beside the UI thread, and they share the GIL: after
        # each SQL statement a worker waits for the UI thread to let go of it, up to the
        # switch interval (5 ms by default) every time. At 1 ms a screen that is busy
        # composing no longer holds up its own first rows by tens of milliseconds.
        sys.setswitchinterval(_SWITCH_INTERVAL)
        theme = load_preferences().theme
        if theme in self.available_themes:
            self.theme = theme
        self._preferences_read = True
        if self._connect is not None:
            self.call_after_refresh(self._connect_in_worker)  # after the first frame
        else:
            self._connected()

    class Connected(Message):
        def __init__(self, core: Core, actor: Principal) -> None:
            super().__init__()
            self.core = core
            self.actor = actor

    def _connect_in_worker(self) -> None:
        self.run_worker(self._connecting, thread=True, group="connect", exit_on_error=False)

    def _connecting(self) -> None:
        assert self._connect is not None
        self.post_message(self.Connected(*self._connect()))

    def on_auxot_app_connected(self, message: Connected) -> None:
        self.core, self.actor = message.core, message.actor
        self._connected()

    def _connected(self) -> None:
        # Mail that core commits goes to this app's sender, off the UI thread.
        self.core.after_commit = DeliverInBackground(self.outbox)
        # What is loaded by now lives as long as the app; full collections from here on
        # wait for a quiet moment (see tui.collector).
        self.collector.start(self)
        self.load_me()
        self.outbox.start()
        self.set_timer(_WARM_UP_AFTER, self._warm_up)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Load the team screen and the Add team form while the user reads the team list:
        they are not on the way to the first frame, and this way not on the way to the
        first team either."""
        import tui.dialogs.add_team
        import tui.team.screen  # noqa: F401

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.touched()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.stop()

    def on_idle(self) -> None:
        """Let the screens a dialog leaves in view paint what changed on them (the list
        behind a key's one-time reveal, read again). A screen paints when it goes idle with
        changes, but not while the app batches updates (a dialog composing its footer); when
        the batch ends only the app is told, so a screen under a dialog kept its changes
        unpainted until some unrelated message reached it. The app goes idle after a batch."""
        for screen in self.screen_stack[:-1]:
            if screen.is_current:
                screen.check_idle()

    class MeLoaded(Message):
        def __init__(self, me: Me) -> None:
            super().__init__()
            self.me = me

    @work(thread=True, exclusive=True, group="me", exit_on_error=False)
    def load_me(self) -> None:
        from core.usecases.commands import ShowMe

        self.post_message(self.MeLoaded(self.core.run(self.actor, ShowMe())))

    def on_auxot_app_me_loaded(self, message: MeLoaded) -> None:
        self.me = message.me

    # -- the one error handler --------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "connect":
                # Nothing to show without a database or an account: leave, and let the
                # command say why (run_app_connecting raises it).
                self.startup_error = event.worker.error
                self.exit(return_code=1)
                return
            if event.worker.group == "me":
                self.me_error = (
                    str(event.worker.error)
                    if isinstance(event.worker.error, DomainError)
                    else ("Cannot read the workspace; see the notification.")
                )
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """Core's sentence for a refusal; a short line for anything else. Never a traceback."""
        if isinstance(error, DomainError):
            refused = (
                isinstance(error, (PermissionDenied, PlanRequired)) or error.outcome == "denied"
            )
            self.notify(
                str(error),
                title="Refused" if refused else "Not done",
                severity="error",
                markup=False,
            )
            return
        self.log.error(f"{type(error).__name__}: {error}")
        self.notify(
            f"That did not work ({type(error).__name__}). Nothing on screen was changed; try again.",
            title="Error",
            severity="error",
            markup=False,
        )

    # -- shared actions -----------------------------------------------------------------------------

    def open_team(self, team: TeamView, part: str | None = None) -> None:
        """Show ``team``'s screen, replacing a team screen already open; ``part`` (members,
        invitations, resources, keys) is shown as soon as the screen can show it."""
        from tui.team.screen import TeamScreen

        screen = TeamScreen(team, part=part)
        if isinstance(self.screen, TeamScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def add_team(self) -> None:
        """Settings → Teams → Add Team; the new team opens so members can be invited."""
        from core.usecases.commands import CreateTeam
        from tui.dialogs.add_team import AddTeamModal

        core, actor = self.core, self.actor

        def create(new: NewTeam) -> TeamView:
            team: TeamView = core.run(actor, CreateTeam(new.name, new.description))
            return team

        def created(team: TeamView | None) -> None:
            if team is not None:
                self.notify(f"Added the team {team.name}. You are its owner.", markup=False)
                self.open_team(team)

        self.push_screen(AddTeamModal(create), created)

    def action_ssh_keys(self) -> None:
        """Account → SSH keys: a dialog over the current screen, not a Settings section."""
        if self.me is not None and not isinstance(self.screen, ModalScreen):
            from tui.dialogs.ssh_keys import SshKeysModal

            self.push_screen(SshKeysModal())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Account dialogs open from a screen, not on top of another dialog, and only once
        # the app knows who you are (while it connects there is no core to ask).
        if action in ("ssh_keys", "ask_agent"):
            return self.me is not None and not isinstance(self.screen, ModalScreen)
        return True

    def action_ask_agent(self) -> None:
        """The admin agent's command line, over the team list or a team (not over a dialog)."""
        if self.me is not None and not isinstance(self.screen, ModalScreen):
            from tui.dialogs.agent import AgentModal

            over_team_list = isinstance(self.screen, TeamListScreen)
            self.push_screen(AgentModal(self.agent_history, over_team_list=over_team_list))

    def on_agent_closed(self, message: AgentClosed) -> None:
        """Go where the agent's result points, reading again what it changed."""
        from tui.team.screen import TeamScreen

        below = self.screen
        if message.to_team_list or (
            isinstance(below, TeamScreen)
            and message.gone_team is not None
            and below.team.id == message.gone_team
        ):
            while len(self.screen_stack) > 1 and not isinstance(self.screen, TeamListScreen):
                self.pop_screen()
        if message.changed:
            for screen in self.screen_stack:
                if isinstance(screen, TeamListScreen):
                    screen.action_reload()
            if isinstance(self.screen, TeamScreen) and message.team is None:
                self.screen.action_reload()
        if message.team is not None:
            part = message.part if message.part != "members" else None
            self.open_team(message.team, part)

    def action_toggle_theme(self) -> None:
        self.theme = _LIGHT if self.theme == _DARK else _DARK

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen here (ctrl+t or the palette's Change theme)."""
        if self._preferences_read and (problem := remember(theme=theme)):
            self.log.warning(f"The theme was not remembered: {problem}")

    def action_help(self) -> None:
        if isinstance(self.screen, HelpModal):
            return
        screen = self.screen
        title = getattr(screen, "help_title", "This screen")
        self.push_screen(HelpModal(str(title), self.keys_of(screen)))

    def keys_of(self, screen: Screen[object]) -> list[KeyHelp]:
        """The active bindings of ``screen`` that are ours or the app's, one row per action."""
        rows: dict[str, KeyHelp] = {}
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.id is None and binding.action not in ("quit", "command_palette"):
                continue
            if not enabled and binding.id is None:
                continue
            group = binding.group.description if binding.group else "App"
            description = binding.description or {
                "quit": "Quit",
                "command_palette": "Command palette",
            }.get(binding.action, binding.action)
            key = self.get_key_display(binding)
            name = f"{group}:{binding.action}"
            if name in rows:
                rows[name] = KeyHelp(group, f"{rows[name].keys}, {key}", description)
            else:
                rows[name] = KeyHelp(group, key, description)
        order = {group: index for index, group in enumerate(_GROUP_ORDER)}
        return sorted(rows.values(), key=lambda row: order.get(row.group, len(order)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("App: Help", "The keys of this screen", self.action_help)
        if not isinstance(screen, ModalScreen):
            yield SystemCommand(
                "Admin agent: Ask…",
                "Say what to do in plain English; see the plan before it is done",
                self.action_ask_agent,
            )
        yield SystemCommand(
            "App: Toggle light/dark theme",
            "Switch between light and dark",
            self.action_toggle_theme,
        )
        if not isinstance(screen, ModalScreen):
            yield SystemCommand(
                "Account: SSH keys", "Your keys for signing in over SSH", self.action_ssh_keys
            )
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # our help screen lists the keys
                yield command


def run_app(core: Core, actor: Principal) -> None:
    """Run the app for ``actor`` over ``core`` until the user quits."""
    app = AuxotApp(core, actor)
    app.run()
    say_if_crashed(app)


def run_app_connecting(connect: Connect) -> None:
    """Run the app at once, with ``connect`` (which opens the database and finds the
    account, or raises the sentence why not) run behind its first frame. A failure to
    connect ends the app and is raised here, for the command to report."""
    app = AuxotApp.connecting(connect)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    say_if_crashed(app)


__all__ = ["AuxotApp", "run_app", "run_app_connecting"]
