"""Discovering people the gazetteer does not know, from the titles news puts before names.

"رئيس أركان الجيش الروسي، فاليري جيراسيموف، ..." and "Foreign Minister Sergei Lavrov said" name a person
right after a title. After a title trigger the finder skips modifiers (entity mentions such as الروسي or
الكرملين, words with the article such as الخارجية, fillers such as باسم / of / the, and one comma), then
reads a run of name tokens. The run is accepted only when it is ``min..max`` tokens long and is closed by
punctuation, the end of the text or a function word (قال، إن، في / said, lowercase words): a run closed
by another content word is more likely a clause than a name, and is dropped (precision first). Arabic
script has no capitals, so an Arabic/Persian run must also start with a common given name
(``lexicon.GIVEN_NAMES``) or be enclosed by commas (an apposition: "رئيس الأركان، فاليري جيراسيموف،").

A known person right after the title ends the search (the title is theirs: "Prime Minister Keir Starmer
and Chancellor Rachel Reeves" yields only Reeves, from her own title). Arabic name tokens carry the article
only after عبد/أبو/بن or as a closing family name (``_arabic_token``); Latin name tokens must be
capitalised and not be title or institution words. The id is ``ns:auto/person-<hash>`` of the name's
spelling skeleton, so the same person gets the same id across articles and across spellings that differ
only in transliteration (ج/غ, ت/ط, long vowels).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass

from agents.entities import lexicon
from agents.entities.arabic import PREFIXES_WITH_ARTICLE, is_arabic_script, skeleton
from agents.entities.display_offsets import Offsets
from agents.entities.matching import KeyMatch
from agents.text import normalize

_ITEM = re.compile(r"\s*(\w+|[^\w\s])")
_MAX_MODIFIERS = 5
_PERSON_NAME_STOP = frozenset(normalize(word) for word in (*lexicon.STOPWORDS_AR, *lexicon.STOPWORDS_FA))
_EN_STOP = frozenset(word.lower() for word in lexicon.STOPWORDS_EN)
_EN_TITLE_WORDS = frozenset(
    part.lower().rstrip(".")
    for phrase in lexicon.TITLE_TRIGGERS_EN
    for part in phrase.split()
    if len(part) > 3
)
_FILLERS_AR = frozenset(normalize(word) for word in lexicon.TITLE_FILLERS_AR)
_GIVEN_NAMES = frozenset(normalize(word) for word in lexicon.GIVEN_NAMES)
_ARTICLE_PREFIXES = tuple(sorted(PREFIXES_WITH_ARTICLE, key=len, reverse=True))
# The longest article prefix followed by at least two letters (alternatives are tried in order).
_ARTICLE_RE = re.compile("|".join(re.escape(prefix) + "(?=..)" for prefix in _ARTICLE_PREFIXES), re.DOTALL)


@dataclass(frozen=True, slots=True)
class FoundPerson:
    """A discovered name: normalised span, stable id and its tokens (for surname linking)."""

    start: int
    end: int
    entity_id: str
    tokens: tuple[str, ...]


def person_id(tokens: tuple[str, ...]) -> str:
    """Stable id of a discovered person from the normalised name tokens."""
    key = " ".join(skeleton(token) for token in tokens)
    return "ns:auto/person-" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()


def _has_article(token: str) -> bool:
    return _ARTICLE_RE.match(token) is not None


def _written_with_article(word: str, start: int, text: str, offsets: Offsets) -> bool:
    """``_has_article`` checked against the display text: أليكسي (hamza) is a name, not ال + ...

    Normalisation maps أ/إ/آ to ا, so on the normalised form ألكسندر looks like an article word.
    """
    found = _ARTICLE_RE.match(word)
    if found is None:
        return False
    prefix = found.group()
    if prefix.endswith("لل"):
        return True
    alef = start + len(prefix) - 2
    return text[alef if offsets is None else offsets[alef]] == "\u0627"


def _is_stop(token: str, latin: bool) -> bool:
    if latin:
        return token in _EN_STOP
    if token in _PERSON_NAME_STOP:
        return True
    return token[:1] in ("و", "ف", "ب", "ل") and (token[1:] in _PERSON_NAME_STOP or _has_article(token[1:]))


def find_people(
    norm: str,
    text: str,
    offsets: Offsets,
    triggers: list[KeyMatch],
    entity_spans: list[tuple[int, int, bool]],
    min_tokens: int,
    max_tokens: int,
) -> list[FoundPerson]:
    """People named right after a title trigger, outside the given entity spans (normalised offsets).

    ``entity_spans`` are ``(start, end, is_person)``: other entities after a title are skipped as its
    modifiers (الرئيس الروسي، المتحدث باسم الكرملين), a known person ends the search (the title is theirs).
    """
    spans = _Spans(entity_spans)
    found: dict[tuple[int, int], FoundPerson] = {}
    for trigger in triggers:
        latin = not is_arabic_script(norm[trigger.start : trigger.end])
        person = _after_trigger(norm, text, offsets, trigger.end, latin, spans, min_tokens, max_tokens)
        if person is not None:
            found.setdefault((person.start, person.end), person)
    return sorted(found.values(), key=lambda p: p.start)


def _display_upper(text: str, offsets: Offsets, start: int) -> bool:
    index = start if offsets is None else offsets[start]
    return text[index : index + 1].isupper()


class _Spans:
    """Entity spans sorted by start, for "which entity covers this token" after each title.

    A token can only overlap spans that start less than the longest span's length before it, so each
    question looks at a bisected window instead of every span of the article.
    """

    __slots__ = ("reach", "spans", "starts")

    def __init__(self, spans: list[tuple[int, int, bool]]) -> None:
        self.spans = sorted(spans)
        self.starts = [span[0] for span in self.spans]
        self.reach = max((end - start for start, end, _ in self.spans), default=0)

    def entity_end(self, start: int, end: int) -> tuple[int, bool] | None:
        """``(end, is_person)`` of the entity spans overlapping the token ``[start, end)``, if any."""
        spans = self.spans
        found: tuple[int, bool] | None = None
        for index in range(bisect_left(self.starts, start - self.reach), bisect_left(self.starts, end)):
            _, span_end, is_person = spans[index]
            if start < span_end:
                found = (max(span_end, end, found[0] if found else 0), is_person or bool(found and found[1]))
        return found


def _skip_modifiers(
    norm: str,
    text: str,
    offsets: Offsets,
    position: int,
    latin: bool,
    spans: _Spans,
) -> int | None:
    """Position of the first name token candidate after the title, or ``None`` if there is none."""
    for _ in range(_MAX_MODIFIERS + 1):
        item = _ITEM.match(norm, position)
        if item is None:
            return None
        word, start, end = item.group(1), item.start(1), item.end(1)
        entity = spans.entity_end(start, end)
        if entity is not None:
            if entity[1]:
                return None  # the title's holder is a known person
            position = entity[0]
        elif word == ",":
            return end
        elif not word.isalnum():
            return None
        elif latin:
            if word in lexicon.TITLE_FILLERS_EN:
                position = end
            elif _display_upper(text, offsets, start):
                return position
            else:
                return None
        elif word in _FILLERS_AR or _written_with_article(word, start, text, offsets):
            position = end
        else:
            return position
    return None


def _after_trigger(
    norm: str,
    text: str,
    offsets: Offsets,
    position: int,
    latin: bool,
    spans: _Spans,
    min_tokens: int,
    max_tokens: int,
) -> FoundPerson | None:
    name_position = _skip_modifiers(norm, text, offsets, position, latin, spans)
    if name_position is None:
        return None
    position = name_position
    after_comma = norm[:position].rstrip().endswith(",")
    run: list[tuple[str, int, int]] = []
    closed = False
    while len(run) <= max_tokens:
        item = _ITEM.match(norm, position)
        if item is None:
            closed = True
            break
        word, start, end = item.group(1), item.start(1), item.end(1)
        if not word.isalnum():
            closed = True
            break
        if run and norm[position:start] != " ":
            closed = "\n" in norm[position:start]
            break
        if spans.entity_end(start, end) is not None or word.isdigit():
            break
        verdict = (
            _latin_token(word, start, text, offsets)
            if latin
            else _arabic_token(word, start, run, text, offsets)
        )
        if verdict == _CLOSE:
            closed = True
            break
        run.append((word, start, end))
        position = end
        if verdict == _LAST:
            item = _ITEM.match(norm, position)
            closed = item is None or not item.group(1).isalnum() or _is_stop(item.group(1), latin)
            break
    if not closed or not min_tokens <= len(run) <= max_tokens:
        return None
    if not latin and run[0][0] not in _GIVEN_NAMES:
        after = _ITEM.match(norm, position)
        if not (after_comma and (after is None or after.group(1) in {",", ".", ";", ")"})):
            return None
    tokens = tuple(word for word, _, _ in run)
    return FoundPerson(run[0][1], run[-1][2], person_id(tokens), tokens)


_TAKE, _LAST, _CLOSE = 0, 1, 2
_NAME_LINKS = frozenset(normalize(word) for word in ("عبد", "أبو", "ابو", "بن", "ابن", "بنت", "آل"))


def _latin_token(word: str, start: int, text: str, offsets: Offsets) -> int:
    if _is_stop(word, True) or word in _EN_TITLE_WORDS or not _display_upper(text, offsets, start):
        return _CLOSE
    return _TAKE


def _arabic_token(word: str, start: int, run: list[tuple[str, int, int]], text: str, offsets: Offsets) -> int:
    """Whether an Arabic-script token continues a name (``_TAKE``), ends it (``_LAST``) or follows it.

    Name shapes: a token with the article continues a name only after عبد/أبو/بن (عبد الفتاح) or as the
    family name closing a name that starts with a given name (خالد ناصر الرزوقي; not a feminine
    adjective: مدينة الملك عبد الله الاقتصادية); a first token with
    a conjunction (واستقال) is not a name unless it is a given name (وليد); a third token that is short
    (a three-letter past verb: غاب) or carries ل/و/ف (لوثائق) ends the name before it.
    """
    if _is_stop(word, False) or len(word) < 2:
        return _CLOSE
    given = word in _GIVEN_NAMES
    if _written_with_article(word, start, text, offsets):
        if run and run[-1][0] in _NAME_LINKS:
            return _TAKE
        if len(run) >= 2 and run[0][0] in _GIVEN_NAMES and not word.endswith("ه"):
            return _LAST
        return _CLOSE
    if not run and word[0] in "وف" and not given:
        return _CLOSE
    if len(run) >= 2 and not given and (len(word) <= 3 or word[0] in "لوف"):
        return _CLOSE
    return _TAKE
