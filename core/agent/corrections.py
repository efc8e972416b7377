"""Near misses, answered with a question that names the correction; never run silently.

- Names typed without their accents, or in another case ("Jose Garcia" for José García),
  and near-typos of a team, a person or a key: "Did you mean José García?".
- Near-typos of a role or a command word ("memeber", "Invte"): the sentence with the word
  corrected is planned, and that plan is offered as the question's one option.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence

from core.agent.answers import Answer, Clarify, NotUnderstood, Plan
from core.agent.lexicon import COMMAND_VERBS
from core.agent.text import normalise

CUTOFF = 0.75  # difflib's ratio from which a word is a near-typo of another
_ROLES = ("owner", "admin", "member", "administrator", "owners", "admins", "members")
_VERBS = (*COMMAND_VERBS, "promote", "demote", "upgrade", "downgrade", "uninvite", "rename")
_WORD = re.compile(r"[^\W\d_]{4,}")


def fold(text: str) -> str:
    """'José García' → 'jose garcia': accents off, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def close(typed: str, names: Sequence[str], n: int = 3) -> list[str]:
    """The names that equal ``typed`` but for accents and case, else its near-typos."""
    key = fold(typed)
    same = [name for name in names if fold(name) == key]
    if same:
        return list(dict.fromkeys(same))[:n]
    by_fold: dict[str, str] = {}
    for name in names:
        # A typo changes letters, not the number of words: "Platform Engineering as
        # superuser" is not a near-typo of Platform Engineering.
        if len(fold(name).split()) == len(key.split()):
            by_fold.setdefault(fold(name), name)
    return [by_fold[m] for m in difflib.get_close_matches(key, list(by_fold), n=n, cutoff=CUTOFF)]


def did_you_mean(typed: str, labels: list[str], sentences: list[str], about: str) -> Clarify:
    question = f"I found no '{typed}'. Did you mean {_or(labels)}?"
    return Clarify(question, labels, sentences, about)


def corrected(typed: str, plan: Callable[[str], Answer]) -> Clarify | None:
    """When one word of ``typed`` is a near-typo of a role or a command word and the sentence
    with it corrected plans, that plan as a question."""
    sentence = normalise(typed)
    words = _WORD.findall(sentence.text)
    for index, word in enumerate(words):
        low = word.casefold()
        vocabulary = _ROLES if index else (*_ROLES, *_VERBS)
        if low in vocabulary or low in _VERBS:
            continue
        match = difflib.get_close_matches(low, vocabulary, n=1, cutoff=CUTOFF)
        if not match:
            continue
        fixed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", match[0], typed, count=1)
        answer = plan(fixed)
        if isinstance(answer, Plan):
            return Clarify(
                f"Did you mean '{match[0]}' for '{word}'? Then: {answer.description}.",
                [answer.description],
                [fixed],
                "correction",
                [answer],
            )
    return None


def worth_correcting(answer: Answer) -> bool:
    return isinstance(answer, NotUnderstood)


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
