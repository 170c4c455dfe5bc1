"""Matching form of text: one spelling for what readers treat as the same word.

Arabic news writes the same word many ways (hamza on alef or not, ya or alef maqsura, ta marbuta or ha,
diacritics and tatweel sometimes, Persian ی/ک on Persian pages, three sets of digits). Every later stage
compares the normalised form, while records keep the display text as published. ``normalize_with_offsets``
returns the map back to display positions, so entity spans found on the normalised form stay valid on the
display text (``text[start:end]``).

Rules (all per character, so the offset map stays exact):
- NFKC (presentation forms such as the lam-alef ligature become plain letters);
- Arabic diacritics (harakat, shadda, sukun, superscript alef, Quranic marks), tatweel, zero-width and
  bidi control characters are dropped;
- أ إ آ ٱ → ا, ؤ → و, ئ → ي, ى → ي, ة → ه, Persian ی → ي, ک → ك, ۀ/ە → ه, گ stays;
- Arabic-Indic and Persian digits → ASCII digits; Arabic comma/semicolon/question mark → ASCII;
- lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

_DROPPED = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, hamza marks
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings/overrides
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
)

_MAPPED = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",
    "ې": "ي",
    "ے": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ۀ": "ه",
    "ە": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    # Space variants NFKC turns into a plain space; mapping them here keeps such text on the fast path.
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u3000": " ",
}
for _zero, _block in ((0x0660, "arabic-indic"), (0x06F0, "persian")):
    for _d in range(10):
        _MAPPED[chr(_zero + _d)] = str(_d)

_TABLE: dict[int, str | None] = {ord(c): None for c in _DROPPED}
_TABLE.update({ord(k): v for k, v in _MAPPED.items()})

#: The per-character rules as a read-only mapping (code point -> replacement, ``None`` = dropped), for
#: stages that build faster specialised passes (dedup's vectorised words, cleaning's page matcher) and
#: must stay equal to ``normalize``.
CHARACTER_RULES: Mapping[int, str | None] = MappingProxyType(_TABLE)

#: One character the rules drop (diacritics, tatweel, zero-width and bidi marks).
DROPPED_RE = re.compile("[" + "".join(re.escape(c) for c in _DROPPED) + "]")
_TOKEN_RE = re.compile(r"\w+")

# ``str.translate`` with a dict costs a hash lookup (and an int object) per character of non-ASCII text,
# over half the normalisation time of an Arabic article. ``_translate`` gives the same result with
# ``str.replace`` (a C scan per character *kind*), applied only to the rule characters present: the ones
# frequent in Arabic/Persian running text are replaced unconditionally (replacing an absent character is
# one scan), the rest are found with one regex pass. This equals ``str.translate`` because no replacement
# contains a rule character (checked by ``tests/unit/test_normalize.py``) and no rule character is ASCII.
_RULES_BY_CHAR: dict[str, str] = {chr(code): value or "" for code, value in _TABLE.items()}
_FREQUENT = tuple((char, _RULES_BY_CHAR[char]) for char in "أإآةىئؤ،یک")
_RARE_RE = re.compile(
    "[" + "".join(re.escape(char) for char in _RULES_BY_CHAR if char not in dict(_FREQUENT)) + "]"
)
_POSITIONS = tuple(range(1 << 14))
"""Shared ints for building offset lists by slicing (texts longer than this use ``range``)."""


def _translate(text: str) -> str:
    """``text.translate(CHARACTER_RULES)``, several times faster on Arabic-script text."""
    if text.isascii():
        return text
    for char, replacement in _FREQUENT:
        text = text.replace(char, replacement)
    if _RARE_RE.search(text) is not None:
        for char in set(_RARE_RE.findall(text)):
            text = text.replace(char, _RULES_BY_CHAR[char])
    return text


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (no offsets; use for hashing, shingles, keywords)."""
    translated = _translate(text)
    if unicodedata.is_normalized("NFKC", translated):
        return translated.lower()
    return _translate(unicodedata.normalize("NFKC", text)).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Return ``(normalised, offsets)`` where ``offsets[j]`` is the display index of normalised char ``j``.

    ``offsets`` is ``None`` when the two strings align one to one (the common case for clean text with
    no diacritics), which saves building a list per article on the hot path.
    """
    translated = _translate(text)
    # Translating first is safe: no character in the table changes under NFKC except the spaces it maps
    # to a plain space, so a translated text that is NFKC already needs no per-character pass.
    if unicodedata.is_normalized("NFKC", translated):
        lowered = translated.lower()
        if len(lowered) == len(translated):
            if len(translated) == len(text):
                return lowered, None
            return lowered, _kept_positions(text)
    return _normalize_per_char(text)


def _kept_positions(text: str) -> list[int]:
    """Indices of the characters of ``text`` that are not dropped (the offsets of a 1:1 translation)."""
    positions = _POSITIONS if len(text) <= len(_POSITIONS) else range(len(text))
    offsets: list[int] = []
    previous = 0
    for dropped in DROPPED_RE.finditer(text):
        offsets += positions[previous : dropped.start()]
        previous = dropped.end()
    offsets += positions[previous : len(text)]
    return offsets


def _normalize_per_char(text: str) -> tuple[str, list[int]]:
    """Slow path for text that needs NFKC or whose lower-casing changes length (rare)."""
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = _translate(unicodedata.normalize("NFKC", char)).lower()
        if piece:
            pieces.append(piece)
            offsets.extend([index] * len(piece))
    return "".join(pieces), offsets


def to_original_span(
    offsets: list[int] | None, start: int, end: int, original: str | None = None
) -> tuple[int, int]:
    """Map a normalised span ``[start, end)`` back to the display text.

    When ``original`` is given, the end is extended over combining marks that follow the last letter
    (a trailing damma belongs to the word a reader sees).
    """
    if offsets is None:
        return start, end
    if end <= start:
        position = offsets[start] if start < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        return position, position
    o_start = offsets[start]
    o_end = offsets[end - 1] + 1
    if original is not None:
        while o_end < len(original) and unicodedata.category(original[o_end]) == "Mn":
            o_end += 1
    return o_start, o_end


def tokens(normalised: str) -> list[str]:
    """Word tokens of already-normalised text (letters and digits; punctuation dropped)."""
    return _TOKEN_RE.findall(normalised)
