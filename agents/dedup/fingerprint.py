"""What the deduplicator remembers about an article's text, computed from its matching form.

A fingerprint holds:

- ``exact_hash``: 64-bit BLAKE2b of the normalised words of the body paragraphs (lines with at least
  ``exact_min_paragraph_words`` words), so a repost matches whatever diacritics, tatweel, digits or short
  leftover chrome lines (site name, date, "share") surround it;
- ``minhash``: a MinHash of the set of word shingles taken *inside* each paragraph, so moving whole
  paragraphs does not change the set and an edited word breaks only ``shingle_size`` shingles;
- ``shingle_count`` and ``word_count``: set and text sizes, to turn an estimated Jaccard into containment
  (how much of one article the other holds) and to treat short articles with care;
- ``sample``: the shingles whose hash is 0 modulo ``sample_rate`` (content-defined, so two texts sample the
  same shingles; the rate doubles past ``max_sample`` so a huge article keeps a bounded record), as sorted
  unique 32-bit values (the high half of the hash); with ``sample_order`` and ``sample_window`` (the same
  sample in text order as full hashes, and the ~``window_words``-word window each falls in) a
  new article can tell *where* its text differs from a stored one: edits scatter a few new shingles over
  every window, an update adds whole windows that the original does not have;
- ``lead``: 32-bit fingerprints of the opening words of the first paragraphs, to tell a truncated copy (it
  starts like the original) from an article that merely quotes the original's middle.

Hashes are deterministic across processes and machines (polynomial word hashes from :mod:`.words`, fixed
multipliers, little-endian bytes, rensa's seeded MinHash), because signatures outlive the worker that
computed them.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np
import rensa

from .options import DedupOptions
from .words import word_stream

_LEAD_WORDS = 8
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_SHINGLE_MULTIPLIERS = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
    0x94D049BB133111EB,
    0x2545F4914F6CDD1D,
)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The comparable summary of one article body (see the module docstring for each field)."""

    exact_hash: str
    minhash: np.ndarray
    shingle_count: int
    word_count: int
    lead: tuple[int, ...]
    sample: np.ndarray
    sample_rate: int
    sample_order: np.ndarray
    sample_window: np.ndarray


class Fingerprinter:
    """Turns display text into a :class:`Fingerprint`; one per deduplicator, holds no per-article state."""

    __slots__ = (
        "_exact_min_words",
        "_lead_paragraphs",
        "_max_sample",
        "_multipliers",
        "_num_perm",
        "_sample_rate",
        "_seed",
        "_size",
        "_window_words",
    )

    def __init__(self, options: DedupOptions) -> None:
        self._size = options.shingle_size
        self._num_perm = options.num_perm
        self._seed = options.seed
        self._exact_min_words = options.exact_min_paragraph_words
        self._lead_paragraphs = options.lead_paragraphs
        self._sample_rate = options.sample_rate
        self._max_sample = options.max_sample
        self._window_words = options.window_words
        self._multipliers = np.array(_SHINGLE_MULTIPLIERS[: self._size], dtype=np.uint64)

    def fingerprint(self, text: str) -> Fingerprint | None:
        """Fingerprint ``text`` (display form; normalised here). ``None`` when it has no words at all."""
        stream = word_stream(text)
        words, lines = stream.hashes, stream.lines
        if len(words) == 0:
            return None
        size = self._size
        per_line_words = np.bincount(lines)
        first_word = per_line_words.cumsum() - per_line_words
        padded = np.zeros(len(words) + len(per_line_words) * (size - 1), dtype=np.uint64)
        padded[np.arange(len(words)) + lines * (size - 1)] = words
        per_line = np.maximum(1, per_line_words - size + 1)
        line_offsets = first_word + np.arange(len(per_line_words)) * (size - 1)
        line_of_shingle_start = (per_line.cumsum() - per_line).repeat(per_line)
        in_line = np.arange(len(line_of_shingle_start), dtype=np.intp) - line_of_shingle_start
        ordered = self._shingle_hashes(padded, line_offsets.repeat(per_line) + in_line)
        shingles = _sorted_unique(ordered)
        rate = self._sample_rate
        while len(shingles) > rate * self._max_sample:
            rate *= 2
        sampled = (ordered & np.uint64(rate - 1)) == 0
        sample_order = ordered[sampled]
        digest = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            shingles, [0, len(shingles)], self._num_perm, self._seed
        )
        return Fingerprint(
            exact_hash=self._exact_hash(words, lines, per_line_words),
            minhash=np.asarray(digest.to_rows()[0], dtype=np.uint32),
            shingle_count=len(shingles),
            word_count=len(words),
            lead=self._lead(words, per_line_words, first_word),
            sample=_sorted_unique((sample_order >> np.uint64(32)).astype(np.uint32)),
            sample_rate=rate,
            sample_order=sample_order,
            sample_window=self._windows(per_line, in_line)[sampled],
        )

    def _exact_hash(self, words: np.ndarray, lines: np.ndarray, per_line_words: np.ndarray) -> str:
        """BLAKE2b-64 of the body lines' word hashes and lengths (all lines when none is long enough)."""
        body = per_line_words >= self._exact_min_words
        if body.any():
            words, per_line_words = words[body[lines]], per_line_words[body]
        digest = hashlib.blake2b(words.astype("<u8").tobytes(), digest_size=8)
        digest.update(per_line_words.astype("<u4").tobytes())
        return digest.hexdigest()

    def _lead(self, words: np.ndarray, per_line_words: np.ndarray, first_word: np.ndarray) -> tuple[int, ...]:
        """CRC-32 of the first eight words of each of the first ``lead_paragraphs`` long lines."""
        long_lines = np.flatnonzero(per_line_words >= _LEAD_WORDS)[: self._lead_paragraphs]
        return tuple(
            zlib.crc32(words[start : start + _LEAD_WORDS].astype("<u8").tobytes())
            for start in first_word[long_lines].tolist()
        )

    def _windows(self, per_line: np.ndarray, in_line: np.ndarray) -> np.ndarray:
        """Window id of each shingle: windows never cross a paragraph and hold ``window_words`` to twice that
        (a short tail joins the window before it), so appended paragraphs form windows of their own."""
        width = self._window_words
        windows_per_line = np.maximum(1, per_line // width)
        base = (windows_per_line.cumsum() - windows_per_line).repeat(per_line)
        last = (windows_per_line - 1).repeat(per_line)
        return base + np.minimum(in_line // width, last)

    def _shingle_hashes(self, padded: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """64-bit hashes of the shingles starting at ``starts`` (zero-padded past a line), in text order."""
        combined = padded[starts] * self._multipliers[0]
        for position in range(1, self._size):
            combined += padded[starts + position] * self._multipliers[position]
        combined ^= combined >> np.uint64(31)
        combined *= _MIX
        combined ^= combined >> np.uint64(29)
        return combined


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` for the small arrays here, without its dispatch overhead."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
