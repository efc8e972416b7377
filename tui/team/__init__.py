"""A team's screen and its tabs, which only it shows. Each tab is a ``TeamTab``: the
screen hands it the user's rights and asks it to reload, and nothing else."""

from __future__ import annotations

from tui.team.activity_tab import ActivityTab
from tui.team.invitations_panel import InvitationsPanel
from tui.team.keys_tab import KeysTab
from tui.team.members_tab import MembersTab
from tui.team.messages import TeamArchived, TeamChanged
from tui.team.resources_tab import ResourcesTab
from tui.team.screen import TeamScreen
from tui.team.settings_tab import TeamSettingsTab
from tui.team.tab import TeamTab

__all__ = [
    "ActivityTab",
    "InvitationsPanel",
    "KeysTab",
    "MembersTab",
    "ResourcesTab",
    "TeamArchived",
    "TeamChanged",
    "TeamScreen",
    "TeamSettingsTab",
    "TeamTab",
]
