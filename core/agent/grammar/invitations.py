"""Pending invitations: resend and revoke."""

from __future__ import annotations

from core.agent.grammar.common import Result, first, need, team_slot
from core.agent.intents import Intent
from core.agent.lexicon import Rule, rx, search
from core.agent.text import Sentence

_RESEND = r"(?:resend|re-send|re\s+send|send\s+again|re-?issue|renew|redo|refresh)"
_REVOKE = (
    r"(?:revoke|cancel|withdraw|rescind|retract|delete|remove|drop|void|take\s+back|undo|kill)"
)
_INV = r"(?:(?:pending|open|outstanding|expired|old|existing)\s+)?(?:invitation|invite)"
_TO = r"(?:to|for|of|sent\s+to|addressed\s+to|from)"
_AT = r"(?:to|for|from|in|on|into|at)"

# The word "invitation" must come before any preposition: "remove Bob from the Invite Team"
# is about a member.
# "Send an invite to alice@…" is an ordinary invitation: "send" means resend only with
# "again", "another" or "a new" ("send Bob a new invite to Security").
_SEND_AGAIN = search(
    r"^(?:send|email)\b(?=.*(?:\bagain$|\b(?:another|a\s+new|new)\s+(?:invitation|invite)))"
)
_CLAIM = search(
    rf"^(?:{_RESEND}|{_REVOKE}|remind)\s+(?:(?!(?:to|for|from|in|into|on|at)\b)\S+\s+){{0,6}}?"
    r"(?:invitation|invite)s?\b"
)
_CLAIM_UNINVITE = search(r"^(?:uninvite|disinvite)\b")


def _rules(verb: str) -> list[Rule]:
    return [
        rx(rf"{verb}\s+{{ART}}?{_INV}\s+{_TO}\s+(?P<person>.+?)\s+{_AT}\s+(?P<team>.+)"),
        rx(rf"{verb}\s+(?P<person>.+?)(?:'s|')\s+{_INV}\s+{_AT}\s+(?P<team>.+)"),
        rx(rf"{verb}\s+{{ART}}?(?P<team>.+?)\s+(?:team\s+)?{_INV}\s+{_TO}\s+(?P<person>.+)"),
    ]


_RESEND_RULES = _rules(_RESEND) + [
    rx(
        rf"(?:send|email)\s+{{ART}}?{_INV}\s+(?:to|for)\s+(?P<person>.+?)\s+{_AT}\s+(?P<team>.+?)"
        r"\s+again"
    ),
    rx(
        r"(?:send|email)\s+(?P<person>.+?)\s+(?:the|their|his|her|a\s+new|another)\s+(?:invitation|invite)"
        rf"\s+{_AT}\s+(?P<team>.+?)(?:\s+again)?"
    ),
    rx(
        r"remind\s+(?P<person>.+?)\s+(?:about|of)\s+(?:the|their|his|her)\s+(?:invitation|invite)"
        rf"\s+{_AT}\s+(?P<team>.+)"
    ),
]
_REVOKE_RULES = _rules(_REVOKE) + [
    rx(r"(?:uninvite|disinvite)\s+(?P<person>.+?)\s+(?:from|to|for)\s+(?P<team>.+)"),
]
_PERSON_ONLY = [
    rx(rf"(?:{_RESEND}|{_REVOKE}|send)\s+{{ART}}?{_INV}\s+{_TO}\s+(?P<person>.+?)(?:\s+again)?"),
    rx(rf"(?:{_RESEND}|{_REVOKE})\s+(?P<person>.+?)(?:'s|')\s+{_INV}"),
    rx(r"(?:uninvite|disinvite)\s+(?P<person>.+)"),
]


def parse_invitations(s: Sentence) -> Result:
    if not (_CLAIM.search(s.text) or _CLAIM_UNINVITE.search(s.text) or _SEND_AGAIN.search(s.text)):
        return None
    resend = search(rf"^(?:{_RESEND}|send|remind)\b").search(s.text) is not None
    action = "resend_invitation" if resend else "revoke_invitation"
    m = first(_RESEND_RULES if resend else _REVOKE_RULES, s.text)
    if m is None:
        m2 = first(_PERSON_ONLY, s.text)
        person = s.slot(m2.group("person")) if m2 else None
        return need(action, person=person, team=None)
    person_text, team_text = m.group("person"), m.group("team")
    # "the invitation for Security to carol@x.com": the address tells which part is which.
    if "@" in team_text and "@" not in person_text:
        person_text, team_text = team_text, person_text
    person = s.slot(person_text)
    team = team_slot(s, team_text)
    return need(action, person=person, team=team) or Intent(
        action, team=team, people=(person,) if person else ()
    )
