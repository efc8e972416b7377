"""Argument types: a bad value is a usage error (exit 2) with argparse's own message."""

from __future__ import annotations

import argparse
import math
import re

from core.errors import InvalidInput
from core.text import quoted
from core.validation import clean_expiry_days
from core.vocabulary import RESOURCE_KINDS as _KINDS

# What people type (with hyphens or underscores) -> the kind core stores.
RESOURCE_KINDS = {spelling: kind for kind in _KINDS for spelling in {kind, kind.replace("_", "-")}}


def _whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} is not a whole number") from None


def positive_int(value: str) -> int:
    number = _whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{quoted(value)} must be 1 or more")
    return number


def non_negative_int(value: str) -> int:
    number = _whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{quoted(value)} must be 0 or more")
    return number


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} is not a number") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{quoted(value)} is not a number")
    return number


def positive_float(value: str) -> float:
    number = _number(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{quoted(value)} must be more than 0")
    return number


def non_negative_float(value: str) -> float:
    number = _number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{quoted(value)} must be 0 or more")
    return number


def expiry_days(value: str) -> int | None:
    """A key's lifetime in whole days, by core's own rule."""
    try:
        return clean_expiry_days(value)
    except InvalidInput as error:
        raise argparse.ArgumentTypeError(error.message) from None


def resource_kind(value: str) -> str:
    kind = RESOURCE_KINDS.get(value.strip().lower())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"{quoted(value)} is not a resource kind; choose agent, skill, context-file or tool-policy"
        )
    return kind


_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?")


def duration_minutes(value: str) -> float:
    """``90s``, ``30m``, ``1h``, ``1h30m``, or a plain number of minutes, as minutes."""
    text = value.strip().lower()
    try:
        return positive_float(text)
    except argparse.ArgumentTypeError:
        pass
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a duration; write it like 90s, 30m, 1h or 1h30m"
        )
    hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    total = hours * 60 + minutes + seconds / 60
    if total <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be longer than nothing")
    return total
