"""A paste's escape characters stay text (issue: a pasted ``ESC[1mxy`` on the API keys tab
pressed 1, x and y, and removed a member)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual.drivers import linux_driver

from core.services import Core
from tests.tui.conftest import Workspace
from tui.app import AuxotApp
from tui.paste_guard import PASTE_END, PASTE_START, GuardedParser, PasteGuard


def parsed(*chunks: str) -> list[object]:
    parser = GuardedParser()
    return [event for chunk in chunks for event in parser.feed(chunk)]


def test_escape_sequences_inside_a_paste_press_no_keys() -> None:
    events_ = parsed(f"{PASTE_START}\x1b[1mxy{PASTE_END}")
    assert [type(e) for e in events_] == [events.Paste]
    assert events_[0].text == "[1mxy"  # type: ignore[attr-defined]


def test_outside_a_paste_keys_and_escape_sequences_are_untouched() -> None:
    keys = [e.key for e in parsed("x\x1b[A") if isinstance(e, events.Key)]  # type: ignore[attr-defined]
    assert keys == ["x", "up"]
    guard = PasteGuard()
    assert guard.clean("\x1b") == "\x1b"  # the Escape key is not held back


@given(
    text=st.text(alphabet=st.sampled_from(["a", "é", "\x1b", "[", "2", "0", "1", "~", "\n"])),
    cuts=st.lists(st.integers(0, 80), max_size=6),
)
def test_any_split_of_a_paste_gives_its_text_without_escapes(text: str, cuts: list[int]) -> None:
    while PASTE_END in text:  # a terminal cannot paste its own end marker
        text = text.replace(PASTE_END, "")
    wire = f"k{PASTE_START}{text}{PASTE_END}k"
    bounds = sorted({min(c, len(wire)) for c in cuts})
    chunks = [wire[a:b] for a, b in zip([0, *bounds], [*bounds, len(wire)], strict=True)]
    guard = PasteGuard()
    cleaned = "".join(guard.clean(chunk) for chunk in chunks)
    expected_text = text.replace("\x1b", "")
    assert cleaned == f"k{PASTE_START}{expected_text}{PASTE_END}k"
    assert not guard.in_paste


async def test_the_app_reads_its_terminal_through_the_guard(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(80, 24)):
        assert linux_driver.XTermParser is GuardedParser
