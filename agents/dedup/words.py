"""Words of the matching form as 64-bit hashes, computed for a whole text at once.

Dedup needs every word of every article hashed, and the per-character ``str.translate`` plus a regex and a
hash call per word cost more than the rest of the stage together. This module computes the same words in
one vectorised pass: the text's code points go through ``agents.text.code_points.RULE_TABLE``, built from
``agents.text.normalize``'s own rule table (so there is still one place the orthography rules live), word
characters are those ``\\w`` matches, and each word's hash is a polynomial over its code points taken from
prefix sums. ``tests/unit/dedup/test_dedup_words.py`` checks ``matching_words(text) ==
tokens(normalize(text))`` on generated Arabic/Persian/Latin text, so the two can never drift apart silently.

The word-character table is built once at import and is read-only (64 kB).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from agents.text import normalize as reference_normalize
from agents.text.code_points import BMP as _BMP
from agents.text.code_points import DROPPED, RULE_TABLE

_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0x94D049BB133111EB)
_PRECOMPUTED = 1 << 15


def _word_table() -> np.ndarray:
    is_word = np.array([chr(code).isalnum() or code == 0x5F for code in range(_BMP)], dtype=bool)
    is_word.flags.writeable = False
    return is_word


def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    inverse = np.uint64(pow(int(_BASE), -1, 2**64))
    forward = np.cumprod(np.full(count, _BASE, dtype=np.uint64))
    backward = np.cumprod(np.full(count, inverse, dtype=np.uint64))
    forward = np.concatenate(([np.uint64(1)], forward[:-1]))
    backward = np.concatenate(([np.uint64(1)], backward[:-1]))
    forward.flags.writeable = False
    backward.flags.writeable = False
    return forward, backward


_IS_WORD = _word_table()
_FORWARD, _BACKWARD = _powers(_PRECOMPUTED)


@dataclass(frozen=True, slots=True)
class WordStream:
    """The words of a text in order: ``hashes`` (uint64) and ``lines`` (index of the non-empty line each
    word is on, counting only lines that have words, from 0)."""

    hashes: np.ndarray
    lines: np.ndarray


def code_points(text: str) -> np.ndarray:
    """Code points of ``normalize(text)`` (the matching form), as uint32."""
    if RULE_TABLE is None:
        return np.frombuffer(reference_normalize(text).encode("utf-32-le"), dtype=np.uint32)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    points = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    if len(points) and points.max() >= _BMP:
        astral = points >= _BMP
        mapped = points.copy()
        mapped[~astral] = RULE_TABLE[points[~astral]]
    else:
        mapped = RULE_TABLE.take(points)
    return mapped[mapped != DROPPED]


def _word_mask(points: np.ndarray) -> np.ndarray:
    if not len(points) or points.max() < _BMP:
        return _IS_WORD.take(points)
    astral = points >= _BMP
    mask = np.zeros(len(points), dtype=bool)
    mask[~astral] = _IS_WORD[points[~astral]]
    for index in np.flatnonzero(astral):
        mask[index] = chr(int(points[index])).isalnum()
    return mask


def _spans(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of every maximal run of word characters."""
    mask = _word_mask(points)
    if not len(mask):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    if mask[0]:
        edges = np.concatenate(([0], edges))
    if mask[-1]:
        edges = np.concatenate((edges, [len(mask)]))
    return edges[0::2], edges[1::2]


def word_stream(text: str) -> WordStream:
    """Hash every word of ``text``'s matching form; equal words get equal hashes wherever they stand."""
    points = code_points(text)
    starts, ends = _spans(points)
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return WordStream(empty, np.zeros(0, dtype=np.intp))
    count = len(points)
    if count <= _PRECOMPUTED:
        forward, backward = _FORWARD[:count], _BACKWARD[:count]
    else:
        forward, backward = _powers(count)
    prefix = np.empty(count + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(points, forward, out=prefix[1:], dtype=np.uint64)
    prefix[1:].cumsum(out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * backward[starts]
    hashes ^= hashes >> np.uint64(32)
    hashes *= _MIX
    hashes ^= hashes >> np.uint64(29)
    word_lines = (points == 10).cumsum()[starts]
    new_line = np.empty(len(word_lines), dtype=np.intp)
    new_line[0] = 0
    np.not_equal(word_lines[1:], word_lines[:-1], out=new_line[1:])
    return WordStream(hashes, new_line.cumsum())


def matching_words(text: str) -> list[str]:
    """The words ``word_stream`` hashes, as strings (for tests; equals ``tokens(normalize(text))``)."""
    points = code_points(text)
    starts, ends = _spans(points)
    normalised = points.tobytes().decode("utf-32-le")
    return [normalised[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
