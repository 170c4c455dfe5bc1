"""Finding gazetteer keys in normalised text with Arabic-aware token boundaries.

One Aho-Corasick pass over the normalised text yields every key occurrence; each is then checked:

- it must end at a token end (the next character is not a letter/digit), so a key never matches inside
  a longer word (روسيا in دروسيا is rejected);
- it must start at a token start, or after attached clitics that fit the key's article rule (و ف ب ل ك,
  combinations such as وب/فل, and the article ال / لل), unless clitics and key together are a frequent
  word (وزارة is not و + زارة; ``common_words``). Latin keys take no clitics;
- acronyms must match case exactly on the display text, capitalised Latin names must be capitalised;
- a surname-part key (``TAIL``) must be preceded by a token whose spelling skeleton equals the listed first
  name; the span then covers both.

Overlaps are resolved left to right, longest first. Trigger keys are returned apart, for person discovery.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.entities.arabic import PREFIXES_WITH_ARTICLE, PREFIXES_WITHOUT_ARTICLE, prefix_allowed, skeleton
from agents.entities.common_words import COMMON_WORDS
from agents.entities.gazetteer import (
    ACRONYM,
    CAPITALISED,
    LATIN,
    TAIL,
    TRIGGER,
    Candidate,
    Gazetteer,
    Group,
    group_candidates,
)

_MAX_PREFIX = 4
_ALL_PREFIXES = PREFIXES_WITH_ARTICLE | PREFIXES_WITHOUT_ARTICLE
_WORD_PREFIXES = PREFIXES_WITHOUT_ARTICLE - {""}
_CLITIC_LAST_LETTERS = frozenset(prefix[-1] for prefix in _ALL_PREFIXES if prefix)


@dataclass(slots=True)
class KeyMatch:
    """A key occurrence in the normalised text that passed the boundary checks.

    ``groups`` holds one ``(entity_index, form, ambiguous)`` per candidate entity (empty for triggers).
    """

    start: int
    end: int
    groups: tuple[Group, ...]


def _display_slice(text: str, offsets: list[int] | None, start: int, end: int) -> str:
    if offsets is None:
        return text[start:end]
    return text[offsets[start] : offsets[end - 1] + 1]


def _head_start(norm: str, tail_start: int, head: str) -> int | None:
    """Start of the token before ``tail_start`` if its skeleton is ``head`` (clitics allowed before it)."""
    space = tail_start - 1
    if space <= 0 or norm[space] != " ":
        return None
    begin = space
    while begin > 0 and norm[begin - 1].isalnum():
        begin -= 1
    token = norm[begin:space]
    for cut in range(min(3, len(token) - 2) + 1):
        if token[:cut] in PREFIXES_WITHOUT_ARTICLE and skeleton(token[cut:]) == head:
            return begin + cut
    return None


def scan(
    gazetteer: Gazetteer, norm: str, text: str, offsets: list[int] | None
) -> tuple[list[KeyMatch], list[KeyMatch]]:
    """Return ``(entity_matches, trigger_matches)`` in the normalised text (overlaps not yet resolved)."""
    matches: list[KeyMatch] = []
    triggers: list[KeyMatch] = []
    length = len(norm)
    for last, (key_length, candidates, allowed, groups) in gazetteer.automaton.iter(norm):
        end = last + 1
        if end < length and norm[end].isalnum():
            continue
        start = end - key_length
        if start == 0 or not norm[start - 1].isalnum():
            prefix = ""
        elif norm[start - 1] not in _CLITIC_LAST_LETTERS:
            continue
        else:
            token_start = start - 1
            while token_start > 0 and norm[token_start - 1].isalnum():
                token_start -= 1
                if start - token_start > _MAX_PREFIX:
                    break
            prefix = norm[token_start:start]
            if prefix not in _ALL_PREFIXES:
                continue
        if allowed is not None:
            if prefix in allowed:
                matches.append(KeyMatch(start, end, groups))
            continue
        _scan_slow(norm, text, offsets, start, end, prefix, candidates, matches, triggers)
    return matches, triggers


def _scan_slow(
    norm: str,
    text: str,
    offsets: list[int] | None,
    start: int,
    end: int,
    prefix: str,
    candidates: tuple[Candidate, ...],
    matches: list[KeyMatch],
    triggers: list[KeyMatch],
) -> None:
    """Keys with Latin, surname-part, trigger or mixed-rule candidates: check each candidate."""
    kept: list[Candidate] = []
    kept_tail: dict[int, list[Candidate]] = {}
    is_trigger = False
    word_split = prefix in _WORD_PREFIXES and norm[start - len(prefix) : end] in COMMON_WORDS
    for candidate in candidates:
        flags = candidate[3]
        if flags & LATIN:
            if prefix:
                continue
            if flags & (ACRONYM | CAPITALISED):
                shown = _display_slice(text, offsets, start, end)
                if flags & ACRONYM and candidate[4] is not None and shown != candidate[4]:
                    continue
                if flags & CAPITALISED and not shown[:1].isupper():
                    continue
        elif word_split or not prefix_allowed(prefix, candidate[2]):
            continue
        if flags & TRIGGER:
            is_trigger = True
        elif flags & TAIL:
            if prefix or candidate[4] is None:
                continue
            head_start = _head_start(norm, start, candidate[4])
            if head_start is not None:
                kept_tail.setdefault(head_start, []).append(candidate)
        else:
            kept.append(candidate)
    for head_start, tail_candidates in kept_tail.items():
        matches.append(KeyMatch(head_start, end, group_candidates(tail_candidates)))
    if kept:
        matches.append(KeyMatch(start, end, group_candidates(kept)))
    if is_trigger:
        triggers.append(KeyMatch(start, end, ()))


def select_longest(matches: list[KeyMatch]) -> list[KeyMatch]:
    """Non-overlapping matches, left to right, the longest at each start."""
    ordered = sorted(matches, key=lambda m: (m.start, -m.end))
    selected: list[KeyMatch] = []
    boundary = -1
    for match in ordered:
        if match.start >= boundary:
            selected.append(match)
            boundary = match.end
    return selected
