"""The tagger's matching form of an article and the map from its positions back to the display text.

``agents.text.normalize_with_offsets`` returns one display index per normalised character. When the
normalisation only dropped characters (diacritics, tatweel, zero-width marks: three Arabic articles in
four carry a few), that list costs more to build than the rest of the normalisation, while the tagger
looks up a few dozen positions. ``DroppedOffsets`` answers the same lookups from the positions of the
dropped characters (a bisect), and the result is the normalised text and offsets
``normalize_with_offsets`` gives; any text it would map otherwise (NFKC or case changes) gets its map.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import overload

from agents.text import normalize_with_offsets, to_original_span
from agents.text.normalize import DROPPED_RE

Offsets = Sequence[int] | None
"""``offsets[j]`` is the display index of normalised character ``j``; ``None`` when they align 1:1."""


class DroppedOffsets(Sequence[int]):
    """``offsets[j]`` of a normalisation that only removed characters, computed on demand.

    ``cuts[k]`` is the number of kept characters before the ``k``-th dropped one, so normalised index
    ``j`` lies after ``bisect_right(cuts, j)`` dropped characters.
    """

    __slots__ = ("cuts", "length")

    def __init__(self, cuts: list[int], length: int) -> None:
        self.cuts = cuts
        self.length = length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset index out of range")
        return index + bisect_right(self.cuts, index)

    def __len__(self) -> int:
        return self.length


def normalize_for_matching(text: str) -> tuple[str, Offsets]:
    """``normalize_with_offsets(text)``, with a ``DroppedOffsets`` instead of a list when only
    characters were dropped.

    Removing the dropped characters first does not change the normalised text (the rules are per
    character and no replacement is a rule character), so the fast path on the rest tells whether the
    dropped characters are all the difference.
    """
    dropped = [found.start() for found in DROPPED_RE.finditer(text)]
    if not dropped:
        return normalize_with_offsets(text)
    pieces = []
    previous = 0
    for position in dropped:
        pieces.append(text[previous:position])
        previous = position + 1
    pieces.append(text[previous:])
    norm, offsets = normalize_with_offsets("".join(pieces))
    if offsets is not None:
        return normalize_with_offsets(text)
    return norm, DroppedOffsets([position - count for count, position in enumerate(dropped)], len(norm))


def display_span(offsets: Offsets, start: int, end: int, text: str) -> tuple[int, int]:
    """``agents.text.to_original_span(offsets, start, end, text)``, cheaper for ``DroppedOffsets``."""
    if offsets is None:
        return start, end
    if type(offsets) is not DroppedOffsets or end <= start:
        return to_original_span(offsets, start, end, text)  # type: ignore[arg-type]
    cuts = offsets.cuts
    display_start = start + bisect_right(cuts, start)
    display_end = end + bisect_right(cuts, end - 1)
    length = len(text)
    while display_end < length and unicodedata.category(text[display_end]) == "Mn":
        display_end += 1
    return display_start, display_end
