"""One module per screen or modal. Names are re-exported lazily: the team screen's tabs
open modals from this package, and the screens compose those tabs, so eager imports here
would go round in a circle."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AddSshKeyModal": "tui.screens.add_ssh_key",
    "AddTeamModal": "tui.screens.add_team",
    "AgentModal": "tui.screens.agent",
    "ArchiveTeamModal": "tui.screens.archive_team",
    "ConfirmModal": "tui.screens.confirm",
    "FormModal": "tui.screens.form",
    "HelpModal": "tui.screens.help",
    "InviteModal": "tui.screens.invite",
    "KeyRevealModal": "tui.screens.key_reveal",
    "NewKeyModal": "tui.screens.new_key",
    "ResourceModal": "tui.screens.resource",
    "RolePickerModal": "tui.screens.role_picker",
    "RotateKeyModal": "tui.screens.rotate_key",
    "SshKeysModal": "tui.screens.ssh_keys",
    "TeamListScreen": "tui.screens.team_list",
    "TeamScreen": "tui.screens.team",
}

__all__ = [
    "AddSshKeyModal",
    "AddTeamModal",
    "AgentModal",
    "ArchiveTeamModal",
    "ConfirmModal",
    "FormModal",
    "HelpModal",
    "InviteModal",
    "KeyRevealModal",
    "NewKeyModal",
    "ResourceModal",
    "RolePickerModal",
    "RotateKeyModal",
    "SshKeysModal",
    "TeamListScreen",
    "TeamScreen",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
