"""The line at the top of every screen: the workspace, its plan and who you are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.format import plain, plan_label, safe_markup

if TYPE_CHECKING:
    from core.views import Me


class WorkspaceHeader(Horizontal):
    """Shows the app's ``me`` and follows it when it changes. No clock, on purpose."""

    def compose(self) -> ComposeResult:
        yield Static(plain("Auxot"), id="header-workspace")
        yield Static("", id="header-user")

    def on_mount(self) -> None:
        me = getattr(self.app, "me", None)
        if me is None:
            # Only until the app knows who you are (the first screen's header): a watch on
            # the app lives as long as the app and would keep every closed screen's
            # header alive with it.
            self.watch(self.app, "me", self._show_me)
        else:
            self._show_me(me)

    def _show_me(self, me: Me | None) -> None:
        workspace = self.query_one("#header-workspace", Static)
        user = self.query_one("#header-user", Static)
        if me is None:
            workspace.update(plain("Auxot"))
            user.update(plain(""))
            return
        workspace.update(
            safe_markup(
                "[b]$workspace[/b] [dim]·[/dim] $plan plan",
                workspace=me.workspace.name,
                plan=plan_label(me.workspace.plan),
            )
        )
        user.update(
            safe_markup(
                "$email [dim]·[/dim] workspace $role",
                email=me.user.email,
                role=me.user.workspace_role,
            )
        )
