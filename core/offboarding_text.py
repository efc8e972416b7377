"""Offboarding's plan as lines of plain text, the same words in the CLI and the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.vocabulary import count

if TYPE_CHECKING:
    from core.views import OffboardingPlan


def plan_lines(plan: OffboardingPlan, *, name_successor: str = "name a successor") -> list[str]:
    """What offboarding will do, a line each. ``name_successor`` says how to name one where
    the person is a team's last active owner and no successor is given yet (the CLI says
    "name a --successor")."""
    lines = [f"Offboarding {plan.display_name} <{plan.email}>:"]
    for team in plan.teams:
        line = f"  remove from {team.name} ({team.role})"
        if team.last_owner:
            line += (
                f"; {plan.successor} becomes its owner"
                if plan.successor
                else f"; they are its last active owner: {name_successor}"
            )
        lines.append(line)
    if not plan.teams:
        lines.append("  in no team")
    lines.append(f"  remove {count(plan.ssh_keys, 'SSH key')}")
    lines.append(f"  revoke {count(plan.invitations, 'pending invitation')} they sent")
    lines.append("  deactivate the account" + (" (already deactivated)" * plan.already_deactivated))
    if plan.keys_kept:
        lines.append("Team API keys they created keep working; rotate any they held:")
        lines += [f"  {key.team_name}: {key.name} ({key.key_id})" for key in plan.keys_kept]
    return lines


def needs_successor(plan: OffboardingPlan) -> bool:
    """They are the last active owner of a team and nobody is named to take it over."""
    return any(team.last_owner for team in plan.teams) and plan.successor is None
