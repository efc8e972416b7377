"""Binding groups shared by every screen: the help screen lists bindings under these."""

from __future__ import annotations

from textual.binding import Binding

APP = Binding.Group("App")
NAVIGATE = Binding.Group("Navigate")
TEAMS = Binding.Group("Teams")
WORKSPACE = Binding.Group("Workspace")
PEOPLE = Binding.Group("People")
TEAM = Binding.Group("Team")
MEMBERS = Binding.Group("Members")
RESOURCES = Binding.Group("Resources")
ACTIVITY = Binding.Group("Activity")
SETTINGS = Binding.Group("Team settings")
DIALOG = Binding.Group("Dialog")
# Compact groups share one footer label: "[ ] Page".
PAGES = Binding.Group("Page", compact=True)
HISTORY = Binding.Group("Newer/older", compact=True)

__all__ = [
    "ACTIVITY",
    "APP",
    "DIALOG",
    "HISTORY",
    "MEMBERS",
    "NAVIGATE",
    "PAGES",
    "PEOPLE",
    "RESOURCES",
    "SETTINGS",
    "TEAM",
    "TEAMS",
    "WORKSPACE",
]
