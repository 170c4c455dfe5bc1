"""A bounded per-worker memo of line features, keyed by the line's display text.

Most lines of a page were seen before: a source's masthead, menus, share buttons and footer recur on
every page (about two lines in three on the benchmark stream), and a repost repeats whole paragraphs.
What :func:`agents.clean.lines.line_features` derives from a line depends on its text alone, so it is
computed once per distinct line instead of once per page. The caller keeps only short lines (those the
chrome memory counts): a long paragraph rarely recurs outside copies, so keeping those would mostly hold
memory.

The bound is two generations of ``capacity`` entries each: a hit in the older generation is promoted,
and when the young one is full the old one is dropped. That keeps the recurring lines (they are hit
every few pages) at O(1) per operation, without the bookkeeping of an exact LRU. An entry (a short line,
its matching form and words) is about 2 kB, so the default bound holds at most ~16 MB per worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agents.clean.lines import Features


class LineCache:
    """``display -> features`` for the short lines of recent pages; results never depend on it."""

    __slots__ = ("_capacity", "_old", "_young")

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = max(1, capacity)
        self._young: dict[str, Features] = {}
        self._old: dict[str, Features] = {}

    def get(self, display: str) -> Features | None:
        features = self._young.get(display)
        if features is None:
            features = self._old.get(display)
            if features is not None:
                self._store(display, features)
        return features

    def put(self, display: str, features: Features) -> None:
        self._store(display, features)

    def _store(self, display: str, features: Features) -> None:
        if len(self._young) >= self._capacity:
            self._old = self._young
            self._young = {}
        self._young[display] = features

    def __len__(self) -> int:
        return len(self._young) + len(self._old)
