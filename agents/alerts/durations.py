"""Durations as users write them in rules files (``30m``, ``24h``, ``7d``, ``1h30m``).

Kept apart from the rules parser because the reason sentences print durations back in the same form,
so a user reads ``within 24h`` exactly as they wrote it.
"""

from __future__ import annotations

import re
from datetime import timedelta

_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_PART_RE = re.compile(r"(\d+)([wdhms])")
_WHOLE_RE = re.compile(r"(?:\d+[wdhms])+")


def parse_duration(text: str) -> timedelta | None:
    """Return the duration written as ``text``, or ``None`` if it is not one.

    The contract is deliberately narrow (digits and a unit letter, units may be chained from largest to
    smallest): ``24 hours`` or a bare ``3600`` are rejected, so a typo never silently becomes seconds.
    """
    compact = text.strip().lower()
    if not _WHOLE_RE.fullmatch(compact):
        return None
    units = [unit for _, unit in _PART_RE.findall(compact)]
    order = list(_UNIT_SECONDS)
    positions = [order.index(unit) for unit in units]
    if positions != sorted(set(positions)) or len(positions) != len(set(positions)):
        return None
    seconds = sum(int(number) * _UNIT_SECONDS[unit] for number, unit in _PART_RE.findall(compact))
    return timedelta(seconds=seconds)


def format_duration(duration: timedelta) -> str:
    """Return a ``1h30m``-style spelling of ``duration`` (whole seconds; days only from 2d, so 24h)."""
    remaining = int(duration.total_seconds())
    if remaining <= 0:
        return "0s"
    parts: list[str] = []
    units = ("d", "h", "m", "s") if remaining >= 2 * _UNIT_SECONDS["d"] else ("h", "m", "s")
    for unit in units:
        size = _UNIT_SECONDS[unit]
        if remaining >= size:
            parts.append(f"{remaining // size}{unit}")
            remaining %= size
    return "".join(parts)
