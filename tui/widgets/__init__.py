"""Reusable widgets and the team screen's tabs. Re-exported lazily, like ``tui.screens``:
the tabs open modals, and modals use the small widgets here."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ActivityTab": "tui.widgets.activity_tab",
    "AgentChoices": "tui.widgets.agent_bar",
    "AgentInput": "tui.widgets.agent_bar",
    "AuxotFooter": "tui.widgets.footer",
    "Breadcrumb": "tui.widgets.breadcrumb",
    "Column": "tui.widgets.table",
    "CommandHistory": "tui.widgets.agent_bar",
    "FieldError": "tui.widgets.form",
    "FieldLabel": "tui.widgets.form",
    "KeysTab": "tui.widgets.keys_tab",
    "MembersTab": "tui.widgets.members_tab",
    "PlanGate": "tui.widgets.plan_gate",
    "ResourcesTab": "tui.widgets.resources_tab",
    "ResponsiveTable": "tui.widgets.table",
    "TeamSettingsTab": "tui.widgets.team_settings_tab",
    "WorkspaceHeader": "tui.widgets.header",
}

__all__ = [
    "ActivityTab",
    "AgentChoices",
    "AgentInput",
    "AuxotFooter",
    "Breadcrumb",
    "Column",
    "CommandHistory",
    "FieldError",
    "FieldLabel",
    "KeysTab",
    "MembersTab",
    "PlanGate",
    "ResourcesTab",
    "ResponsiveTable",
    "TeamSettingsTab",
    "WorkspaceHeader",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
