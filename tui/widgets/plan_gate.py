"""What the Teams section shows on a plan without teams: the rule, and no actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from core.permissions import WorkspaceAction
from tui.format import plain, plan_label, safe_markup

if TYPE_CHECKING:
    from core.views import Me


class PlanGate(Vertical):
    def __init__(self, me: Me, id: str | None = None) -> None:
        super().__init__(id=id)
        self.me = me

    def compose(self) -> ComposeResult:
        plan = plan_label(self.me.workspace.plan)
        yield Static(plain("Teams need the Business or Enterprise plan"), classes="plan-gate-title")
        yield Static(
            safe_markup(
                "This workspace is on the [b]$plan[/b] plan. On Free and Team plans all "
                "users share a single workspace.",
                plan=plan,
            ),
            classes="plan-gate-text",
        )
        yield Static(
            plain(
                "With teams you organize users into groups and scope resources (agents, "
                "skills, context files, tool policies and API keys) to those groups. "
                "A user can belong to several teams."
            ),
            classes="plan-gate-text",
        )
        if WorkspaceAction.SET_PLAN in self.me.actions:
            hint = "You own the workspace: upgrade it with  auxot plan business"
        else:
            hint = "Ask the workspace owner to upgrade the plan to Business or Enterprise."
        yield Static(plain(hint), classes="plan-gate-hint")
        yield Static(
            plain("Teams kept from an earlier plan are untouched and come back on upgrade."),
            classes="plan-gate-hint",
        )
