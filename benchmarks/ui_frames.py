"""Timing the app as a person sees it, headless: the frames it makes, keys sent as a terminal
sends them, and the pauses a person leaves between keys."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

REACTION = 0.3  # seconds between seeing rows and pressing the next key (see reaction())


class Frames:
    """When the app last put a frame together. Headless, Textual still composes every
    update (each widget's lines) and hands it to ``App._display``; only the terminal write
    is skipped. Timing to a frame times what a person would see."""

    def __init__(self, app: Any) -> None:
        self.at = 0.0  # time.monotonic() of the last frame
        self.log: list[tuple[float, str]] = []  # (time, screen class) of the first frames
        self.showing: Callable[[], bool] | None = None  # what a frame is awaited to show
        self.shown = 0.0  # the first frame made while ``showing`` held
        shown = app._display

        def display(screen: Any, renderable: Any) -> None:
            shown(screen, renderable)
            if renderable is not None:
                self.at = time.monotonic()
                if len(self.log) < 100:
                    self.log.append((self.at, type(screen).__name__))
                # Asked right after the frame is made, before anything else runs: what
                # holds now is what the frame was made from.
                if self.showing is not None and self.showing():
                    self.shown, self.showing = self.at, None

        app._display = display

    def first_of(self, screen: str) -> float | None:
        return next((at for at, name in self.log if name == screen), None)

    async def next(self, after: float) -> float:
        """The time of the first frame made after ``after``."""
        await until(lambda: self.at > after)
        return self.at

    def watch(self, condition: Callable[[], bool]) -> None:
        """Look out for the first frame from now that is made while ``condition`` holds."""
        self.shown, self.showing = 0.0, condition

    async def first_showing(self) -> float:
        """The time of that frame."""
        await until(lambda: self.showing is None)
        return self.shown


def press(app: Any, key: str) -> None:
    """A key press as the terminal sends it, without Pilot's wait for an idle process (which
    waits for the CPU to go quiet: on a busy machine that is most of what it would time)."""
    from textual import events

    char = {"space": " "}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)


async def reaction(pilot: Any) -> None:
    """The pause before a person's next key: they react to what the last one brought
    (a few hundred milliseconds), so that key does not land on the tail of the last."""
    await pilot.pause(REACTION)
    await pilot.pause()


async def settle_frames(pilot: Any) -> None:
    """Let a popped screen finish going (its header's callbacks run) before the next key."""
    await pilot.pause(REACTION)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def timed(frames: Frames, action: Callable[[], None], done: Callable[[], bool]) -> float:
    """Milliseconds from ``action`` to the first frame made once ``done`` holds. (Not the
    first frame after this coroutine sees ``done``: it runs among the app's own tasks and
    may see it a frame late.)"""
    started = time.monotonic()
    frames.watch(done)
    action()
    return (await frames.first_showing() - started) * 1000
