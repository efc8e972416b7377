"""Matching the names in a sentence against the workspace, through core's read-only services.

Teams: exact name first (ignoring case, "the", "team", a possessive), then, unless the name
was quoted, whole words or word beginnings ("platform eng", "platform-engineering"). People:
email, full display name, then first name, last name or the part of the email before the @.
More than one candidate is never narrowed by a guess: the person is asked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from core.agent.answers import Clarify
from core.agent.corrections import close, did_you_mean
from core.agent.intents import ACTION_LABELS, Failure
from core.agent.text import Sentence, Slot
from core.errors import InvalidInput
from core.services import Core
from core.validation import clean_email, email_key, name_key
from core.views import InvitationView, KeyView, Principal, ResourceView, TeamView, UserView

MAX_OPTIONS = 8  # candidates named in a question
MAX_NEAR_POOL = 2000  # accounts compared for a near-typo of a name
MAX_CANDIDATES = 5000  # beyond this many name matches, ask for the full name
_PAGE = 500
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+")
_ME = frozenset({"me", "myself", "i", "yourself"})
_PERSON_NOISE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:user|users|person|people|member|account|colleague|engineer)\s+)?"
    r"(?:called\s+|named\s+)?@?|(?:'s|')$",
    re.IGNORECASE,
)
_TEAM_PREFIX = re.compile(r"^(?:(?:the|a|an|our|my|this|that)\s+)", re.IGNORECASE)
_TEAM_WORD_PREFIX = re.compile(r"^(?:teams?(?:\s+(?:called|named))?\s+)", re.IGNORECASE)
_TEAM_WORD_SUFFIX = re.compile(r"\s+team$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
_KEY_NOISE = re.compile(
    r"^(?:(?:the|a|an|our|my)\s+)?(?:(?:team|service)\s+)?(?:(?:api[ -]?)?(?:key|token)\s+)?"
    r"(?:(?:called|named)\s+)?|\s+(?:(?:api[ -]?)?(?:key|token))$",
    re.IGNORECASE,
)


class Stop(Exception):
    """Planning cannot go on; ``answer`` is what to say instead (a Failure becomes a
    NotUnderstood with examples, a Clarify or Refused is given as it is)."""

    def __init__(self, answer: object) -> None:
        super().__init__(getattr(answer, "message", "stop"))
        self.answer = answer


@dataclass(frozen=True)
class Person:
    email: str
    display_name: str | None = None
    account: bool = False
    is_actor: bool = False

    @property
    def label(self) -> str:
        """'Alice Liddell (alice@example.com)', or the address alone when there is no name."""
        if self.display_name and self.display_name.casefold() != self.email.casefold():
            return f"{self.display_name} ({self.email})"
        return self.email


class Resolver:
    def __init__(self, core: Core, actor: Principal, sentence: Sentence, action: str) -> None:
        self.core = core
        self.actor = actor
        self.sentence = sentence
        self.action = action
        # How many names were matched only forgivingly (a word beginning, a first name): when a
        # sentence reads two ways, the reading whose names matched exactly is the one meant.
        self.forgiving = 0

    # -- teams ------------------------------------------------------------------------------

    def team(self, slot: Slot) -> TeamView:
        variants = [slot.text.strip()] if slot.quoted else team_variants(slot.text)
        phrase = variants[-1] if variants else ""
        if not phrase:
            raise Stop(self._failure("team", "I could not tell which team you mean."))
        found = self._teams(phrase)
        for variant in variants:
            exact = [t for t in found if name_key(t.name) == name_key(variant)]
            if exact:
                return exact[0]
        if not slot.quoted:
            words = _words(phrase)
            if words:
                pool = found if words[0] == phrase.casefold() else self._teams(words[0])
                matches = [t for t in pool if _starts_words(words, _words(t.name))]
                if len(matches) == 1:
                    self.forgiving += 1
                    return matches[0]
                if matches:
                    raise Stop(self._which_team(slot, matches))
        raise Stop(self._no_team(slot, phrase))

    def _teams(self, query: str) -> list[TeamView]:
        """Every visible team whose name contains ``query``, page by page: a match left on an
        unread page would make a single candidate look unique."""
        teams: list[TeamView] = []
        while len(teams) < MAX_CANDIDATES:
            page = self.core.list_teams(self.actor, query=query, offset=len(teams), limit=_PAGE)
            teams.extend(page.items)
            if not page.items or len(teams) >= page.total:
                return teams
        raise Stop(
            self._failure(
                "team", f"more than {MAX_CANDIDATES} teams match '{query}'; use the full name."
            )
        )

    def _users(self, query: str) -> list[UserView]:
        users: list[UserView] = []
        while len(users) < MAX_CANDIDATES:
            page = self.core.list_users(self.actor, query=query, offset=len(users), limit=_PAGE)
            users.extend(page.items)
            if not page.items or len(users) >= page.total:
                return users
        raise Stop(
            self._failure(
                "person", f"more than {MAX_CANDIDATES} people match '{query}'; use an email."
            )
        )

    def _which_team(self, slot: Slot, teams: list[TeamView]) -> Clarify:
        shown = teams[:MAX_OPTIONS]
        names = [t.name for t in shown]
        more = f" ({len(teams)} teams match)" if len(teams) > len(shown) else ""
        return Clarify(
            question=f"Which team do you mean: {_or(names)}?{more}",
            options=names,
            sentences=[self.rewrite(slot, _quote(name)) for name in names],
            about="team",
        )

    def _no_team(self, slot: Slot, phrase: str) -> Failure | Clarify:
        message = f"there is no team called '{phrase}' that you can see."
        names = [t.name for t in self.core.list_teams(self.actor, limit=500).items]
        if not slot.quoted and (near := close(phrase, names)):
            sentences = [self.rewrite(slot, _quote(name)) for name in near]
            return did_you_mean(phrase, near, sentences, "correction")
        by_key = {name.casefold(): name for name in names}
        rough = difflib.get_close_matches(phrase.casefold(), list(by_key), n=2, cutoff=0.6)
        if rough:
            message = f"{message[:-1]}; did you mean {_or([by_key[c] for c in rough])}?"
        return self._failure("team", message)

    # -- people -----------------------------------------------------------------------------

    def person(
        self, slot: Slot, *, team: TeamView | None = None, members_only: bool = False
    ) -> Person:
        """An account (or, for an address with no account yet, the address alone)."""
        text = person_text(slot.text)
        if text.casefold() in _ME:
            return self._me()
        if (m := _EMAIL.search(text)) is not None or "@" in text:
            address = m.group(0) if m is not None else text
            try:
                email = clean_email(address)
            except InvalidInput as error:
                raise Stop(self._failure("person", error.message)) from None
            user = self._user_by_email(email)
            if user is None:
                return Person(email)
            return Person(user.email, user.display_name, True, user.id == self.actor.user_id)
        if not text:
            raise Stop(self._failure("person", "I could not tell who you mean."))
        key = " ".join(text.split()).casefold()
        users = self._users(key)
        full = [u for u in users if name_key(u.display_name) == key]
        partial = [u for u in users if u not in full and _names_match(key, u)]
        for tier in (full, partial):
            if not tier:
                continue
            if len(tier) > 1 and members_only and team is not None:
                # Only members can have their role changed or be removed: among two Sams,
                # the one in the team is not a guess.
                in_team = [u for u in tier if self.member_role(team, u.email) is not None]
                tier = in_team or tier
            if len(tier) == 1:
                user = tier[0]
                self.forgiving += tier is not full
                return Person(user.email, user.display_name, True, user.id == self.actor.user_id)
            raise Stop(self._which_person(slot, text, tier))
        if not slot.quoted and (near := self._near_people(text)):
            labels = [Person(u.email, u.display_name).label for u in near]
            sentences = [self.rewrite(slot, u.email) for u in near]
            raise Stop(did_you_mean(text, labels, sentences, "correction"))
        hint = (
            "; to invite someone new, give their email address" if self.action == "invite" else ""
        )
        raise Stop(self._failure("person", f"I know no account called '{text}'{hint}."))

    def _near_people(self, text: str) -> list[UserView]:
        """Accounts whose full, first or last name is ``text`` but for accents and case, or
        a near-typo of it."""
        users: list[UserView] = []
        while len(users) < MAX_NEAR_POOL:
            page = self.core.list_users(self.actor, offset=len(users), limit=_PAGE)
            users.extend(page.items)
            if not page.items or len(users) >= page.total:
                break
        names: dict[str, list[UserView]] = {}
        for user in users:
            words = user.display_name.split()
            for name in {user.display_name, *(words[:1] + words[-1:])}:
                names.setdefault(name, []).append(user)
        found = [u for name in close(text, list(names)) for u in names[name]]
        return list({u.email: u for u in found}.values())[:MAX_OPTIONS]

    def _which_person(self, slot: Slot, text: str, users: list[UserView]) -> Clarify:
        shown = users[:MAX_OPTIONS]
        labels = [Person(u.email, u.display_name).label for u in shown]
        return Clarify(
            question=f"Which person do you mean by '{text}': {_or(labels)}?",
            options=labels,
            sentences=[self.rewrite(slot, u.email) for u in shown],
            about="person",
        )

    def _me(self) -> Person:
        me = self.core.me(self.actor).user
        return Person(me.email, me.display_name, True, True)

    def _user_by_email(self, email: str) -> UserView | None:
        for user in self._users(email):
            if email_key(user.email) == email_key(email):
                return user
        return None

    def member_role(self, team: TeamView, email: str) -> str | None:
        # An address is unique, but others may contain it ("bob@x.com" in "jimbob@x.com").
        for member in self.core.list_members(self.actor, team.id, query=email).items:
            if email_key(member.email) == email_key(email):
                return member.role
        return None

    # -- invitations, keys, resources --------------------------------------------------------

    def invitation(self, slot: Slot, team: TeamView) -> InvitationView:
        text = person_text(slot.text)
        invitations = self.core.list_invitations(self.actor, team.id).items
        m = _EMAIL.search(text)
        if m is not None:
            found = [i for i in invitations if email_key(i.email) == email_key(m.group(0))]
        else:
            key = text.casefold()
            found = [i for i in invitations if key in _address_names(i.email)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            emails = [i.email for i in found[:MAX_OPTIONS]]
            raise Stop(
                Clarify(
                    question=f"Which invitation do you mean by '{text}': {_or(emails)}?",
                    options=emails,
                    sentences=[self.rewrite(slot, e) for e in emails],
                    about="person",
                )
            )
        raise Stop(
            self._failure("person", f"there is no open invitation for '{text}' to {team.name}.")
        )

    def key(self, slot: Slot, team: TeamView) -> KeyView:
        keys = self.core.list_keys(self.actor, team.id).items
        written = slot.text.strip()
        if not slot.quoted:  # "the Old Token key": a name may end in a word like "token"
            written = _TEAM_PREFIX.sub("", written).strip()
            if not any(name_key(k.name) == name_key(written) for k in keys):
                written = _KEY_NOISE.sub("", slot.text).strip()
        ref = written
        for key in keys:
            if ref == key.key_id or ref.startswith(f"team.{key.key_id}."):
                return key
        named = [k for k in keys if name_key(k.name) == name_key(ref)]
        live = [k for k in named if k.status in ("active", "rotated")]
        if named:
            return (live or named)[0]  # core's own choice: the newest live key of that name
        names = sorted({k.name for k in keys if k.status in ("active", "rotated")})
        if not slot.quoted and (near := close(ref, names)):
            sentences = [self.rewrite(slot, _quote(name)) for name in near]
            raise Stop(did_you_mean(ref, near, sentences, "correction"))
        known = f" Its keys: {', '.join(names)}." if names else " It has no live keys."
        raise Stop(self._failure("key", f"{team.name} has no key called '{ref}'.{known}"))

    def resource(self, kind: str | None, slot: Slot, team: TeamView) -> ResourceView:
        found = [
            r
            for r in self.core.list_resources(self.actor, team.id, kind).items
            if name_key(r.name) == name_key(slot.text)
        ]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            labels = [f"{r.kind.replace('_', ' ')} {_quote(r.name)}" for r in found]
            raise Stop(
                Clarify(
                    question=f"Which one do you mean: {_or(labels)}?",
                    options=labels,
                    sentences=[],
                    about="resource",
                )
            )
        what = (kind or "resource").replace("_", " ")
        raise Stop(self._failure("name", f"{team.name} has no {what} called '{slot.text}'."))

    # -- helpers ----------------------------------------------------------------------------

    def _failure(self, part: str, message: str) -> Failure:
        if message[:1].islower():
            message = f"I understood '{ACTION_LABELS.get(self.action, self.action)}' but {message}"
        return Failure(message, part, self.action)

    def rewrite(self, slot: Slot, replacement: str) -> str:
        """The sentence as typed, with ``slot`` replaced: what to plan once the person chose."""
        words = slot.raw.split()
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
        original = self.sentence.original
        if words and (m := re.search(pattern, original, re.IGNORECASE)) is not None:
            return original[: m.start()] + replacement + original[m.end() :]
        typed = self.sentence.restore(self.sentence.text, keep_quotes=True)
        return typed.replace(slot.raw, replacement, 1)


def team_variants(text: str) -> list[str]:
    """'the Platform Engineering team's' → the phrase as written, then with less noise each
    time, ending with 'Platform Engineering'. The most literal is tried first, so a team really
    called 'The Avengers' or 'Platform Team' is still found."""
    steps = [" ".join(text.split())]
    for pattern in (_TEAM_PREFIX, _TEAM_WORD_PREFIX, _POSSESSIVE, _TEAM_WORD_SUFFIX, _POSSESSIVE):
        stripped = pattern.sub("", steps[-1]).strip()
        if stripped and stripped != steps[-1]:
            steps.append(stripped)
    return list(dict.fromkeys(steps))


def person_text(text: str) -> str:
    text = " ".join(text.split())
    # "Alice Liddell (alice@example.com)" or "Alice <alice@example.com>": the address decides.
    if (m := _EMAIL.search(text)) is not None:
        return m.group(0).strip("<>().,")
    return _PERSON_NOISE.sub("", text).strip()


def _names_match(key: str, user: UserView) -> bool:
    words = user.display_name.casefold().split()
    local = user.email.split("@")[0].casefold()
    return bool(words) and key in (words[0], words[-1], local, re.split(r"[._+-]", local)[0])


def _address_names(email: str) -> set[str]:
    local = email.split("@")[0].casefold()
    return {email.casefold(), local, re.split(r"[._+-]", local)[0]}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _starts_words(phrase: list[str], name: list[str]) -> bool:
    """Each word of ``phrase`` begins the next word of ``name``, somewhere in it."""
    for start in range(len(name) - len(phrase) + 1):
        if all(name[start + i].startswith(word) for i, word in enumerate(phrase)):
            return True
    return False


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _quote(name: str) -> str:
    return f"“{name}”" if '"' in name else f'"{name}"'
