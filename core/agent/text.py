"""Turning what was typed into something the grammar can read.

Quoted spans ("…", “…”, ‘…’, '…', «…», `…`) are taken out first and replaced by an opaque token,
so a quoted name can hold any word ("to", "as", "and") without confusing the rules, and comes
back exactly as typed. Then whitespace is collapsed and politeness and trailing punctuation are
dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.agent.lexicon import LEADING_PADDING, QUOTE_CLOSE, QUOTE_OPEN, TRAILING_PADDING

MAX_LENGTH = 1000

# opening quote → the characters that may close it
_PAIRS = {
    '"': '"”“',
    "“": '”"“',
    "”": '”"“',
    "„": '“”"',
    "«": "»",
    "‘": "’'‘",
    "'": "'’",
    "`": "`",
}
# Single quotes double as apostrophes (Alice's, o'brien@x.com): they open a quote only after a
# space or bracket and close one only before a space, punctuation or the end.
_APOSTROPHES = "'‘’`"
_PLACEHOLDER = re.compile(f"{QUOTE_OPEN}(\\d+){QUOTE_CLOSE}")


@dataclass(frozen=True)
class Quoted:
    content: str
    opener: str
    closer: str


@dataclass(frozen=True)
class Slot:
    """One part of a command as the person wrote it: a team, a person, a name, a role…

    ``text`` is the part with its quotes resolved; ``quoted`` says the whole part was one quoted
    span (so it is taken literally); ``raw`` is how it appeared, to rewrite the sentence when
    asking which of two things was meant."""

    text: str
    quoted: bool
    raw: str


@dataclass(frozen=True)
class Sentence:
    original: str
    text: str  # normalised, with quoted spans as placeholders
    quotes: tuple[Quoted, ...]

    def slot(self, fragment: str | None) -> Slot | None:
        """A grammar group turned back into words; None when the group is empty."""
        if fragment is None:
            return None
        fragment = fragment.strip(" ,;:")
        if not fragment:
            return None
        whole = _PLACEHOLDER.fullmatch(fragment)
        if whole is not None:
            content = self.quotes[int(whole.group(1))].content
            return Slot(content, True, self.restore(fragment, keep_quotes=True))
        return Slot(self.restore(fragment), False, self.restore(fragment, keep_quotes=True))

    def restore(self, fragment: str, keep_quotes: bool = False) -> str:
        """Put quoted spans back: with their quote marks when part of a longer phrase."""

        def put_back(match: re.Match[str]) -> str:
            quoted = self.quotes[int(match.group(1))]
            return (
                f"{quoted.opener}{quoted.content}{quoted.closer}" if keep_quotes else quoted.content
            )

        return _PLACEHOLDER.sub(put_back, fragment)


def normalise(typed: str) -> Sentence:
    """The sentence ready for the grammar. Never raises."""
    # The placeholder characters are ours: drop any the person typed so they cannot forge one.
    original = typed or ""
    # Composed form, as core stores names: 'Café' typed with a combining accent still matches.
    cleaned = unicodedata.normalize(
        "NFC", original.replace(QUOTE_OPEN, "").replace(QUOTE_CLOSE, "")
    )
    text, quotes = _take_quotes(cleaned)
    text = " ".join(text.replace("’", "'").replace("`", "'").split())
    text = _strip_padding(text)
    return Sentence(original, text, tuple(quotes))


_GREETING = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|um|well|agent|admin\s+agent|auxot|please)\b[\s,:;!-]*)+",
    re.IGNORECASE,
)


def unpadded(typed: str) -> str:
    """The sentence as typed, quoted spans as placeholders, with only greetings taken off the
    front: "would you …" and "should I …" are still there to be seen."""
    cleaned = unicodedata.normalize(
        "NFC", (typed or "").replace(QUOTE_OPEN, "").replace(QUOTE_CLOSE, "")
    )
    text, _ = _take_quotes(cleaned)
    text = " ".join(text.replace("’", "'").replace("`", "'").split())
    return _GREETING.sub("", text)


def _take_quotes(text: str) -> tuple[str, list[Quoted]]:
    out: list[str] = []
    quotes: list[Quoted] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _PAIRS and _may_open(text, i):
            end = _closing(text, i)
            if end is not None:
                quotes.append(Quoted(text[i + 1 : end], ch, text[end]))
                out.append(f"{QUOTE_OPEN}{len(quotes) - 1}{QUOTE_CLOSE}")
                i = end + 1
                continue
            if ch not in _APOSTROPHES:
                i += 1  # a stray double quote: drop it rather than let it stick to a name
                continue
        out.append(ch)
        i += 1
    return "".join(out), quotes


def _may_open(text: str, i: int) -> bool:
    if text[i] not in _APOSTROPHES:
        return True
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{:,;"


def _closing(text: str, i: int) -> int | None:
    closers = _PAIRS[text[i]]
    for j in range(i + 1, len(text)):
        if text[j] in closers:
            if text[i] in _APOSTROPHES or text[j] in "'’":
                after = text[j + 1 : j + 2]
                if after and not (after.isspace() or after in ".,;:!?)]}"):
                    continue  # an apostrophe inside the quote: "'Bob's team'"
            return j
    return None


def _strip_padding(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = text.strip()
        text = re.sub(r"[\s.!?;,…]+$", "", text)
        text = TRAILING_PADDING.sub("", text)
        text = LEADING_PADDING.sub("", text)
    return text


def split_list(fragment: str) -> list[str]:
    """'alice, bob and carol@x.com' → three parts; quoted spans stay whole (they are tokens)."""
    parts = re.split(
        r"\s*(?:,|;|&|\+|\band\b|\bplus\b|\bas\s+well\s+as\b|\balong\s+with\b)\s*",
        fragment,
        flags=re.IGNORECASE,
    )
    items: list[str] = []
    for part in parts:
        part = re.sub(r"^(?:both|also|and)\s+", "", part.strip(), flags=re.IGNORECASE)
        # Several addresses separated by spaces only: "a@x.com b@x.com"
        words = part.split()
        if len(words) > 1 and all("@" in w for w in words):
            items.extend(words)
        elif part:
            items.append(part)
    return items
