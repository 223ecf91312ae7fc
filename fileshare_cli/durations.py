"""Durations as people type them: ``90s``, ``30m``, ``12h``, ``1d``, ``2w``, or ``1d12h``."""

from __future__ import annotations

import argparse
import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_PART = re.compile(r"(\d+)([smhdw])")


def parse_duration(text: str) -> int:
    """Seconds in ``text``; raises ValueError for anything else (bare numbers included: say the unit)."""
    cleaned = text.strip().lower()
    if not cleaned or _PART.sub("", cleaned):
        raise ValueError(f"{text!r} is not a duration: use a number and a unit, such as 30m, 12h, 1d or 2w")
    seconds = sum(int(n) * UNITS[unit] for n, unit in _PART.findall(cleaned))
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a duration: it must be longer than zero")
    return seconds


def duration_argument(text: str) -> int:
    """``type=`` for argparse: the error becomes argparse's usage message (exit status 2)."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def describe(seconds: int) -> str:
    """``90061`` -> ``1d 1h 1m 1s``."""
    parts = []
    for unit in ("w", "d", "h", "m", "s"):
        count, seconds = divmod(seconds, UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0s"
