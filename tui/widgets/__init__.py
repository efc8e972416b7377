"""Leaf widgets: they know nothing of the screens, the team tabs or the dialogs that use
them, and say what happened through messages."""

from __future__ import annotations

from tui.widgets.agent_bar import AgentChoices, AgentInput, CommandHistory
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.form import FieldError, FieldLabel
from tui.widgets.header import WorkspaceHeader
from tui.widgets.list_filter import ListFilter
from tui.widgets.plan_gate import PlanGate
from tui.widgets.table import Column, ResponsiveTable
from tui.widgets.virtual_table import RowSource, VirtualTable

__all__ = [
    "AgentChoices",
    "AgentInput",
    "AuxotFooter",
    "Breadcrumb",
    "Column",
    "CommandHistory",
    "FieldError",
    "FieldLabel",
    "ListFilter",
    "PlanGate",
    "ResponsiveTable",
    "RowSource",
    "VirtualTable",
    "WorkspaceHeader",
]
