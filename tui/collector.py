"""Full garbage collections at quiet moments, not in the middle of a key's work.

Python's collector scans the whole heap (the oldest generation) every so often, wherever the
program happens to be. Textual keeps many small objects alive (every cached line of every
widget is a handful), so on a large workspace such a scan took 30-55 ms, and it landed on
whatever key the user had just pressed: now and then a team opening or a role change took
that much longer.

While an app runs, the oldest generation is collected here instead: when no key or mouse
event has come for ``quiet`` seconds, or at the latest every ``longest`` seconds. The young
generations are collected as usual. What is loaded when the app connects (Textual,
SQLAlchemy, core) lives as long as the process, so it is frozen out of the collector's reach
and no full scan goes over it.

A full collection also lets go of the widgets that Textual's line cache still holds after
they are gone: ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its keys
keep up to 1,024 dead widgets' caches of drawn lines alive (Textual issue 6665). Each team
screen opened and closed left about 50 of them, 1.2 MiB; the cache is cleared before each
full collection and fills again with the next frame.

Several apps can run in one process (the tests run many; the SSH server gives each session a
process of its own): the collector's setting is the process's, held while any app runs and
given back when the last one stops."""

from __future__ import annotations

import gc
import time
from typing import Protocol

# The one private Textual import the app keeps: StylesCache.get_inner_outer is an lru_cache
# on a method that holds dead widgets alive, and Textual has no public way to clear it
# (Textual issue 6665; see the module's docstring).
from textual._styles_cache import StylesCache

_NEVER = 1_000_000_000  # a gen-2 threshold the process never reaches
_DUE = 10  # young collections since the last full one before a full one is worth doing;
# Python's own default threshold for the oldest generation

_holders = 0
_saved: tuple[int, int, int] | None = None


class _Timers(Protocol):
    def set_interval(self, interval: float, callback: object) -> object: ...


def _hold() -> None:
    global _holders, _saved
    if _holders == 0:
        _saved = gc.get_threshold()
        young, middle, _ = _saved
        gc.set_threshold(young, middle, _NEVER)
    _holders += 1


def _release() -> None:
    global _holders, _saved
    _holders -= 1
    if _holders == 0 and _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


def forget_dead_widgets() -> None:
    """Clear Textual's line cache, which keeps every widget it drew alive."""
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()


class QuietCollector:
    """One app's part in collecting the oldest generation when the user is not waiting."""

    def __init__(self, quiet: float = 0.25, longest: float = 30.0) -> None:
        self.quiet = quiet
        self.longest = longest
        self.collections = 0  # full collections made here
        self._running = False
        self._last_input = time.monotonic()
        self._last_full = self._last_input

    @property
    def running(self) -> bool:
        return self._running

    def start(self, timers: _Timers, tick: float = 0.1) -> None:
        if self._running:
            return
        gc.freeze()
        _hold()
        self._running = True
        self._last_full = time.monotonic()
        timers.set_interval(tick, self.tick)

    def stop(self) -> None:
        if self._running:
            self._running = False
            _release()

    def quiet_for(self) -> float:
        """Seconds since the user last did something."""
        return time.monotonic() - self._last_input

    def touched(self) -> None:
        """The user did something: a full collection now would hold up its answer."""
        self._last_input = time.monotonic()

    def tick(self) -> bool:
        """Collect the oldest generation if it is due and the moment suits; whether it did."""
        if not self._running:
            return False
        if gc.get_count()[2] < _DUE:
            return False
        if self.quiet_for() < self.quiet and time.monotonic() - self._last_full < self.longest:
            return False
        forget_dead_widgets()
        gc.collect(2)
        self._last_full = time.monotonic()
        self.collections += 1
        return True
