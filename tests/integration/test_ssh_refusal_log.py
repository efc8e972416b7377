"""Refused connections are logged as one line for the first of an interval and one summary
line for the rest, however many there are."""

from __future__ import annotations

import asyncio
import logging

from sshd.limits import Limits, RefusalLog, StartupGate


def test_a_flood_of_refusals_is_one_line_and_one_summary(caplog):
    now = [0.0]

    async def flood() -> None:
        gate = StartupGate(
            Limits(max_startups=100, max_startups_per_source=1),
            RefusalLog(interval=10.0, clock=lambda: now[0]),
        )
        assert gate.admit("192.0.2.7")
        for _ in range(500):
            assert not gate.admit("192.0.2.7")
        assert gate.admit("192.0.2.8")  # another address still gets in
        now[0] = 11.0
        gate.refusals.flush()

    with caplog.at_level(logging.WARNING, logger="auxot.sshd"):
        asyncio.run(flood())
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith(
        "refused a connection: over the cap of 1 unauthenticated per address"
    )
    assert lines[1].startswith("refused 499 more connection(s) in the last 10s")
