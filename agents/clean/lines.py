"""One line of a crawled page and the cheap features the cleaning rules read.

A page arrives as blocks of text, one per line (crawler text, or HTML blocks from ``html.py``). Every
feature here is computed once per line with a handful of C-level string operations, because cleaning
must keep up with thousands of articles per second on one core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.clean.chrome import fingerprint
from agents.clean.language import ScriptProfile, script_profile
from agents.clean.line_cache import LineCache
from agents.clean.matching import fast_normalize
from agents.clean.phrases import PhraseKind, classify_phrase
from agents.text.normalize import normalize

_CLOSERS = " \t\"'”’»)]}\u200f\u200e*"
_SENTENCE_ENDS = (".", "!", "?", "؟", "!", "。")
_BULLET_FIRST = frozenset("•·●▪■►▶◄◆◇○◦-–—*+0123456789")
_BULLET_RE = re.compile(r"^(?:[•·●▪■►▶◄◆◇○◦\-–—*+]|\d{1,2}[.)-](?!\d))\s*")


@dataclass(slots=True)
class Line:
    """A non-empty line: display text, matching form and features; ``role`` is filled by the segmenter."""

    index: int
    display: str
    norm: str
    words: list[str]
    n_words: int
    ends_sentence: bool
    punct: int
    commas: int
    ends_with_period: bool
    is_prose: bool  # a sentence of running text (not a label, headline or menu)
    is_strong_prose: bool  # prose long enough to anchor the start of a body
    is_body_anchor: bool  # strong prose that can open a body (a short question is more likely a title)
    link_ratio: float = 0.0
    profile: ScriptProfile | None = None  # computed on demand by profile_of()
    bullet: bool = False
    kind: PhraseKind | None = None
    value_start: int = -1
    lang: str | None = None
    learned_chrome: bool = False
    role: str = ""
    notes: list[str] = field(default_factory=list)
    fingerprint: str | None = None  # chrome-memory fingerprint of ``norm``, for lines it may remember

    @property
    def is_headline_list(self) -> bool:
        """Concatenated headlines or a menu: long, mostly link text, or run-on without any full stop.

        Headlines carry question and exclamation marks and ellipses between them, hardly a comma, and
        no full stop; a paragraph of prose ends with a full stop or an ellipsis, or has one inside.
        """
        n = len(self.words)
        if self.link_ratio >= 0.5 and not self.is_strong_prose:
            return True
        if n < 20 or self.ends_with_period or self.display.rstrip(_CLOSERS).endswith(("..", "…")):
            return False
        if self.display.count(". ") > self.display.count(".. "):
            return False
        return self.commas <= n // 30


def _sentence_end(display: str) -> tuple[bool, bool]:
    """``(ends a sentence, ends with a period)``; an ellipsis ends neither (teasers end with one)."""
    stripped = display.rstrip(_CLOSERS)
    if not stripped.endswith(_SENTENCE_ENDS) or stripped.endswith(("..", "…")):
        return False, False
    return True, stripped.endswith((".", "。"))


def _inner_punctuation(display: str) -> int:
    """Commas, semicolons and sentence ends followed by a space (an ellipsis ``..`` does not count)."""
    count = display.count("،") + display.count(",") + display.count("؛") + display.count(";")
    count += display.count(". ") - display.count(".. ") + display.count("? ") + display.count("؟ ")
    return count + display.count("! ")


#: Everything :func:`make_line` derives from a line's text, in :class:`Line` field order from ``norm`` to
#: ``value_start`` minus ``link_ratio`` and ``profile`` (which do not depend on the text alone), then the
#: chrome fingerprint.
Features = tuple[
    str, list[str], int, bool, int, int, bool, bool, bool, bool, bool, PhraseKind | None, int, str | None
]
#: Lines with more words are never site chrome: the chrome memory does not count them, so they need no
#: fingerprint (and the line cache does not keep them).
CHROME_MAX_WORDS = 40


def line_features(display: str, norm: str) -> Features:
    """The text-only features of a line; a pure function of ``display`` (``norm`` is its matching form)."""
    words = norm.split()
    n = len(words)
    kind, value_start = classify_phrase(norm, words)
    ends_sentence, ends_with_period = _sentence_end(display)
    # Inner punctuation only matters for long lines, or unterminated ones that may still be prose.
    punct = _inner_punctuation(display) if n >= 20 or (n >= 15 and not ends_sentence) else 0
    # Long lines of running text: well punctuated inside, or trailing off with an ellipsis as columns do
    # (teasers end with one too, but they are short).
    long_running = (n >= 25 and punct >= 2) or (
        n >= 15 and not ends_sentence and display.rstrip(_CLOSERS).endswith(("..", "…"))
    )
    return (
        norm,
        words,
        n,
        ends_sentence,
        punct,
        (display.count("،") + display.count(",")) if n >= 20 else 0,
        ends_with_period,
        (n >= 6 and ends_sentence) or (n >= 15 and punct >= 2) or long_running,
        (n >= 10 and ends_sentence) or long_running,
        (n >= 10 and ends_with_period) or long_running,
        display[0] in _BULLET_FIRST and _BULLET_RE.match(display) is not None,
        kind,
        value_start,
        fingerprint(norm) if n <= CHROME_MAX_WORDS else None,
    )


def line_from_features(index: int, display: str, features: Features, link_ratio: float = 0.0) -> Line:
    """A fresh :class:`Line` (its own mutable roles and notes) over features computed once."""
    norm, words, n, ends, punct, commas, period, prose, strong, anchor, bullet, kind, start, fp = features
    # Positional in field order: this runs once per line of every page.
    line = Line(
        index,
        display,
        norm,
        words,
        n,
        ends,
        punct,
        commas,
        period,
        prose,
        strong,
        anchor,
        link_ratio,
        None,
        bullet,
        kind,
        start,
    )
    line.fingerprint = fp
    return line


def make_line(index: int, display: str, norm: str, link_ratio: float = 0.0) -> Line:
    """Build a :class:`Line` from its stripped display text and matching form."""
    return line_from_features(index, display, line_features(display, norm), link_ratio)


_WRAP_MIN_CHARS = 50


def unwrap_paragraphs(text: str) -> list[str]:
    """Lines of a text page, with hard-wrapped paragraphs joined back into one line each.

    Some feeds wrap paragraphs at a fixed width and separate them by blank lines. A blank-line block is
    joined only when every line but its last is long and none ends a sentence (wrapped prose); blocks
    of short lines (bylines, dates, lists) and pages without blank lines are left as they are.
    """
    raw = text.split("\n")
    if "\n\n" not in text.replace("\r", "").replace(" ", ""):
        return raw
    out: list[str] = []
    block: list[str] = []
    for line in [*raw, ""]:
        if line.strip():
            block.append(line.strip())
            continue
        if len(block) >= 2 and all(
            len(part) >= _WRAP_MIN_CHARS and not _sentence_end(part)[0] and not _BULLET_RE.match(part)
            for part in block[:-1]
        ):
            out.append(" ".join(block))
        else:
            out.extend(block)
        out.append("")
        block = []
    return out


def profile_of(line: Line) -> ScriptProfile:
    """The line's script profile, computed once when a rule first needs it."""
    if line.profile is None:
        line.profile = script_profile(line.display, line.words)
    return line.profile


def split_lines(
    raw_lines: list[str], link_ratios: list[float] | None = None, cache: LineCache | None = None
) -> list[Line]:
    """Turn raw lines into :class:`Line` objects, skipping blank ones.

    Lines already in ``cache`` (the same source's chrome, a repost's paragraphs) skip normalisation and
    classification. The remaining lines are normalised in one call when that keeps line boundaries (the
    usual case), which is much cheaper than one call per line; NFKC and the character table never act
    across a newline, so either way a line's matching form depends on that line alone.
    """
    if link_ratios:
        kept = [
            (raw.strip(), ratio) for raw, ratio in zip(raw_lines, link_ratios, strict=True) if raw.strip()
        ]
        displays = [display for display, _ in kept]
        ratios = [ratio for _, ratio in kept]
    else:
        displays = [stripped for stripped in (raw.strip() for raw in raw_lines) if stripped]
        ratios = [0.0] * len(displays)
    if cache is None:
        known: list[Features | None] = [None] * len(displays)
    else:
        lookup = cache.get
        known = [lookup(display) for display in displays]
    missing = [display for display, features in zip(displays, known, strict=True) if features is None]
    if missing:
        norms = fast_normalize("\n".join(missing)).split("\n")
        if len(norms) != len(missing):
            norms = [normalize(d) for d in missing]
        fresh = iter(norms)
        for position, features in enumerate(known):
            if features is None:
                display = displays[position]
                features = line_features(display, next(fresh).strip())
                known[position] = features
                if cache is not None and features[2] <= CHROME_MAX_WORDS:
                    cache.put(display, features)
    return [
        line_from_features(index, display, features, ratio)  # type: ignore[arg-type]
        for index, (display, features, ratio) in enumerate(zip(displays, known, ratios, strict=True))
    ]
