"""Copies of an article made the way other sites make them, to measure what the deduplicator catches.

Used by the tests and ``bench/dedup_bench.py``; all edits apply to cleaned display text (paragraphs separated
by newlines) and are driven by the ``random.Random`` passed in, so a seed reproduces a set.

Copies (should be found): :func:`repost` (same words, other spelling: diacritics, tatweel, hamza forms,
digits, spacing), :func:`reheaded` (another site's header and footer lines), :func:`edited` (a fraction of
the words dropped or replaced), :func:`truncated` (the first part of the words), :func:`reordered`
(paragraphs shuffled). Not copies (must not be found): :func:`quoting` (a long quotation inside an
otherwise different article) and :func:`updated` (the original plus substantial new text).
"""

from __future__ import annotations

import random
import re

_SENTENCE_RE = re.compile(r"[^.!?؟\n]+[.!?؟]*")
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_RESPELL = {"ا": "أ", "ي": "ى", "ه": "ة"}

HEADERS = (
    "الرئيسية | أخبار | عاجل",
    "تابعونا على تويتر وفيسبوك",
    "آخر تحديث: منذ ساعتين",
    "Home > World > Middle East",
    "خاص - وكالات الأنباء",
)
FOOTERS = (
    "جميع الحقوق محفوظة © 2025",
    "اقرأ أيضا: أسعار الذهب اليوم في الأسواق المحلية",
    "شارك هذا المقال عبر واتساب",
    "Subscribe to our newsletter",
    "المصدر: وكالات",
)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def repost(text: str, rng: random.Random) -> str:
    """Same words, spelled as another site might: diacritics, tatweel, hamza/ya/ta-marbuta forms, digits."""
    out: list[str] = []
    for paragraph in paragraphs(text):
        words = paragraph.split()
        for index, word in enumerate(words):
            roll = rng.random()
            if roll < 0.05 and len(word) > 2:
                words[index] = word[0] + "\u064e" + word[1:]
            elif roll < 0.08 and len(word) > 3:
                words[index] = word[:2] + "\u0640" + word[2:]
            elif roll < 0.12 and word[-1] in _RESPELL:
                words[index] = word[:-1] + _RESPELL[word[-1]]
        out.append("  ".join(words).translate(_DIGITS) if rng.random() < 0.5 else " ".join(words))
    return "\n\n".join(out)


def reheaded(text: str, rng: random.Random) -> str:
    """The same body with two to three header lines and two footer lines of another site."""
    header = rng.sample(HEADERS, rng.randint(2, 3))
    footer = rng.sample(FOOTERS, 2)
    return "\n\n".join([*header, *paragraphs(text), *footer])


def edited(text: str, rng: random.Random, fraction: float, vocabulary: list[str] | None = None) -> str:
    """Drop or replace ``fraction`` of the words (half each); replacements come from ``vocabulary``."""
    lines = [paragraph.split() for paragraph in paragraphs(text)]
    positions = [(line, index) for line, words in enumerate(lines) for index in range(len(words))]
    pool = vocabulary or [word for words in lines for word in words]
    chosen = rng.sample(positions, max(1, round(fraction * len(positions))))
    dropped: set[tuple[int, int]] = set()
    for line, index in chosen:
        if rng.random() < 0.5:
            dropped.add((line, index))
        else:
            lines[line][index] = rng.choice(pool)
    kept = [
        " ".join(word for index, word in enumerate(words) if (line, index) not in dropped)
        for line, words in enumerate(lines)
    ]
    return "\n\n".join(line for line in kept if line)


def truncated(text: str, fraction: float) -> str:
    """The first ``fraction`` of the words, line breaks kept (the cut may fall mid-sentence)."""
    lines = [paragraph.split() for paragraph in paragraphs(text)]
    budget = max(1, round(fraction * sum(len(words) for words in lines)))
    out: list[str] = []
    for words in lines:
        if budget <= 0:
            break
        out.append(" ".join(words[:budget]))
        budget -= len(words)
    return "\n\n".join(out)


def reordered(text: str, rng: random.Random) -> str:
    """Paragraphs shuffled; a text with fewer than three paragraphs is first cut into sentence groups."""
    parts = paragraphs(text)
    if len(parts) < 3:
        sentences = [s.strip() for s in _SENTENCE_RE.findall(" ".join(parts)) if s.strip()]
        size = max(1, len(sentences) // 4)
        parts = [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]
    if len(parts) < 2:
        return text
    shuffled = parts[:]
    while shuffled == parts:
        rng.shuffle(shuffled)
    return "\n\n".join(shuffled)


def quoting(text: str, quotation: str, rng: random.Random) -> str:
    """``text`` with ``quotation`` inserted as a paragraph at a random inner position."""
    parts = paragraphs(text)
    position = rng.randint(1, max(1, len(parts) - 1)) if len(parts) > 1 else 1
    return "\n\n".join([*parts[:position], f"« {quotation} »", *parts[position:]])


def updated(text: str, addition: str) -> str:
    """The original followed by new paragraphs (an update, not a copy, when ``addition`` is substantial)."""
    return "\n\n".join([*paragraphs(text), *paragraphs(addition)])
