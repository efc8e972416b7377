"""The grammar, one family of rules per module, tried in a fixed order.

The first family that recognises the sentence answers, with an intent or with a failure that
says what is missing. Order matters where words overlap: a sentence about a key or an
invitation ("remove the CI key from …", "revoke carol's invitation …") must be read before the
member rules see "remove … from …", and settings ("delete the description of …") before
deleting a team.
"""

from __future__ import annotations

from collections.abc import Callable

from core.agent.grammar.common import Result
from core.agent.grammar.invitations import parse_invitations
from core.agent.grammar.keys import parse_keys
from core.agent.grammar.listing import parse_listing
from core.agent.grammar.members import parse_invite, parse_remove, parse_role
from core.agent.grammar.resources import parse_resources
from core.agent.grammar.teams import parse_archive, parse_create_team, parse_settings
from core.agent.text import Sentence

FAMILIES: tuple[Callable[[Sentence], Result], ...] = (
    parse_listing,
    parse_resources,
    parse_create_team,
    parse_keys,
    parse_invitations,
    parse_settings,
    parse_role,
    parse_remove,
    parse_archive,
    parse_invite,
)

__all__ = ["FAMILIES", "Result"]
