"""Keyword and phrase matching on the normalised form of article text, aware of Arabic clitics.

Arabic writes conjunctions, prepositions and the article glued to the next word: "وروسيا" is "and
Russia", "بالحرب" is "in the war", "للحرب" is "for the war" (ل + ال drops the alef). A keyword therefore
matches a whole token that is the keyword itself or the keyword behind one of those prefixes. Suffixes
(pronouns, plurals) are not stripped: that would need a stemmer and would match too much. Keywords in
other scripts (English, and Persian, which does not glue these particles) match whole tokens only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agents.text import normalize, tokens

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_ARTICLE = "ال"


def _is_arabic_letter(char: str) -> bool:
    return "\u0621" <= char <= "\u064a"


def clitic_forms(word: str) -> set[str]:
    """All spellings of the normalised token ``word`` with Arabic proclitics in front.

    The definite article is only added to words that do not already start with it, and ``ل`` + ``ال``
    contracts to ``لل`` as in the written language.
    """
    if not word or not _is_arabic_letter(word[0]):
        return {word}
    forms: set[str] = set()
    has_article = word.startswith(_ARTICLE)
    for conjunction in _CONJUNCTIONS:
        for preposition in _PREPOSITIONS:
            head = conjunction + preposition
            if has_article and preposition == "ل":
                forms.add(head + "ل" + word[len(_ARTICLE) :])
            else:
                forms.add(head + word)
            if not has_article:
                forms.add(head + ("ل" if preposition == "ل" else _ARTICLE) + word)
    return forms


@dataclass(slots=True)
class KeywordMatcher:
    """Finds which of a fixed list of keywords/phrases occur in a text (compiled once per rule set)."""

    keywords: tuple[str, ...]
    _first: dict[str, list[tuple[int, tuple[str, ...]]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for index, keyword in enumerate(self.keywords):
            parts = tokens(normalize(keyword))
            if not parts:
                continue
            for form in clitic_forms(parts[0]):
                self._first.setdefault(form, []).append((index, tuple(parts[1:])))

    def matches_tokens(self, words: list[str]) -> list[str]:
        """Keywords found in the token list ``words`` (already normalised), in keyword order."""
        found: set[int] = set()
        first = self._first
        for position, word in enumerate(words):
            candidates = first.get(word)
            if candidates is None:
                continue
            for index, rest in candidates:
                if index in found:
                    continue
                end = position + 1 + len(rest)
                if not rest or tuple(words[position + 1 : end]) == rest:
                    found.add(index)
        return [self.keywords[index] for index in sorted(found)]

    def matches(self, texts: Iterable[str]) -> list[str]:
        """Keywords found in any of ``texts`` (display text; normalised here)."""
        return self.matches_tokens(self.tokenize(texts))

    @staticmethod
    def tokenize(texts: Iterable[str]) -> list[str]:
        """Normalised tokens of ``texts``, with a break between texts so phrases never span two."""
        words: list[str] = []
        for text in texts:
            if text:
                words.extend(tokens(normalize(text)))
                words.append("")
        return words


@dataclass(slots=True)
class KeywordIndex:
    """Keywords of many rules in one lookup, so an article's tokens are scanned once for all rules."""

    groups: dict[str, tuple[str, ...]]
    _first: dict[str, list[tuple[str, str, tuple[str, ...]]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for group, keywords in self.groups.items():
            for keyword in keywords:
                parts = tokens(normalize(keyword))
                if not parts:
                    continue
                for form in clitic_forms(parts[0]):
                    self._first.setdefault(form, []).append((group, keyword, tuple(parts[1:])))

    def find(self, words: list[str], wanted: set[str]) -> dict[str, list[str]]:
        """Keywords found in ``words`` per group, for the groups in ``wanted``, in each group's order."""
        found: dict[str, set[str]] = {}
        first = self._first
        for position, word in enumerate(words):
            candidates = first.get(word)
            if candidates is None:
                continue
            for group, keyword, rest in candidates:
                if group not in wanted:
                    continue
                if not rest or tuple(words[position + 1 : position + 1 + len(rest)]) == rest:
                    found.setdefault(group, set()).add(keyword)
        return {group: [k for k in self.groups[group] if k in hits] for group, hits in found.items()}
