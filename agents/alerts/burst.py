"""Mention-rate bursts: the count in the current window against the same subject's own past windows.

Counts are kept in time slots a sixth of the window wide, so the "current window" slides in steps of a
sixth and old slots can be evicted one by one: a subject's state never holds more than
``(baseline + window) / slot`` numbers. The baseline is the series of whole windows before the current
one (``baseline / window`` of them, fewer right after a deployment: only windows after the first event
the engine saw count, because before that nothing was observed, not "zero mentions").

z = (current - mean) / max(sd, sqrt(mean), 1): the floor keeps a quiet subject (sd 0) from turning one
extra mention into an infinite z; sqrt(mean) is the Poisson spread of counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from agents.alerts.rules import BurstSpec

SLOTS_PER_WINDOW = 6


@dataclass(frozen=True, slots=True)
class BurstReading:
    """The current window's count and its z-score against the baseline windows."""

    count: int
    mean: float
    sd: float
    z: float
    windows: int
    slot: int

    def holds(self, spec: BurstSpec) -> bool:
        return self.count >= spec.min_count and self.z >= spec.z


def slot_seconds(spec: BurstSpec) -> float:
    return spec.window.total_seconds() / SLOTS_PER_WINDOW


def slot_of(spec: BurstSpec, when: float) -> int:
    return math.floor(when / slot_seconds(spec))


def add_mention(slots: dict[str, Any], spec: BurstSpec, when: float, latest: float) -> None:
    """Count one mention at ``when`` and evict slots older than the baseline before ``latest``."""
    slot = slot_of(spec, when)
    oldest = _oldest_kept(spec, slot_of(spec, max(when, latest)))
    if slot < oldest:
        return
    slots[str(slot)] = int(slots.get(str(slot), 0)) + 1
    for key in [key for key in slots if int(key) < oldest]:
        del slots[key]


def _oldest_kept(spec: BurstSpec, current_slot: int) -> int:
    baseline_windows = round(spec.baseline / spec.window)
    return current_slot - SLOTS_PER_WINDOW * (baseline_windows + 1) + 1


def read(slots: dict[str, Any], spec: BurstSpec, when: float, first_seen: float) -> BurstReading:
    """Measure the window ending at ``when`` against the past windows observed since ``first_seen``."""
    current_slot = slot_of(spec, when)
    first_slot = slot_of(spec, first_seen)

    def window_count(end_slot: int) -> int:
        return sum(int(slots.get(str(s), 0)) for s in range(end_slot - SLOTS_PER_WINDOW + 1, end_slot + 1))

    count = window_count(current_slot)
    past: list[int] = []
    for k in range(1, round(spec.baseline / spec.window) + 1):
        end_slot = current_slot - k * SLOTS_PER_WINDOW
        if end_slot - SLOTS_PER_WINDOW + 1 < first_slot:
            break
        past.append(window_count(end_slot))
    mean = sum(past) / len(past) if past else 0.0
    sd = math.sqrt(sum((c - mean) ** 2 for c in past) / len(past)) if past else 0.0
    z = (count - mean) / max(sd, math.sqrt(mean), 1.0)
    return BurstReading(count=count, mean=mean, sd=sd, z=z, windows=len(past), slot=current_slot)


def burst_level(reading: BurstReading, spec: BurstSpec, max_level: int) -> int:
    """Escalation band of a reading that holds: level k once z reaches z·2^(k-1)."""
    level = 1
    while level < max_level and reading.z >= spec.z * (2**level):
        level += 1
    return level
