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

from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from agents.entities.arabic import PREFIXES_WITH_ARTICLE, PREFIXES_WITHOUT_ARTICLE, prefix_allowed, skeleton
from agents.entities.common_words import COMMON_WORDS
from agents.entities.display_offsets import Offsets
from agents.entities.gazetteer import (
    ACRONYM,
    CAPITALISED,
    FORM_SHORT,
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


class KeyMatch(NamedTuple):
    """A key occurrence in the normalised text that passed the boundary checks.

    ``groups`` holds one ``(entity_index, form, ambiguous)`` per candidate entity (empty for triggers).
    A named tuple, not a dataclass: dozens are made per article and a tuple is the cheapest to build.
    """

    start: int
    end: int
    groups: tuple[Group, ...]


def _display_slice(text: str, offsets: Offsets, start: int, end: int) -> str:
    if offsets is None:
        return text[start:end]
    return text[offsets[start] : offsets[end - 1] + 1]


def _head_starts(norm: str, tail_start: int) -> tuple[int, dict[str, int]]:
    """The token before ``tail_start``: where it starts and ``_token_heads`` of it (empty if none)."""
    space = tail_start - 1
    if space <= 0 or norm[space] != " ":
        return 0, _NO_HEADS
    begin = space
    while begin > 0 and norm[begin - 1].isalnum():
        begin -= 1
    return begin, _token_heads(norm[begin:space])


_NO_HEADS: dict[str, int] = {}


@lru_cache(maxsize=8192)
def _token_heads(token: str) -> dict[str, int]:
    """Skeletons of ``token`` after each allowed clitic split, each with the split's length (first wins).

    A surname-part key is kept when its first name's skeleton is among them. Cached (read-only result):
    the same words precede surnames again and again (محمد ends hundreds of names), and a skeleton costs
    more than the rest of the check.
    """
    heads: dict[str, int] = {}
    for cut in range(min(3, len(token) - 2) + 1):
        if token[:cut] in PREFIXES_WITHOUT_ARTICLE:
            heads.setdefault(skeleton(token[cut:]), cut)
    return heads


def scan(
    gazetteer: Gazetteer, norm: str, text: str, offsets: Offsets
) -> tuple[list[KeyMatch], list[KeyMatch]]:
    """Return ``(entity_matches, trigger_matches)`` in the normalised text (overlaps not yet resolved).

    Most occurrences end inside a longer word or are Arabic keys (``allowed`` set): those are decided
    inline, surname parts by their precomputed ``tails``, and only Latin keys per candidate in
    ``_scan_slow``. This loop runs for every key occurrence of every article, so it avoids calls and
    attribute lookups, and builds the named tuples with ``tuple.__new__`` (the generated ``__new__`` is a
    Python function, a frame per match).
    """
    matches: list[KeyMatch] = []
    triggers: list[KeyMatch] = []
    append = matches.append
    new = tuple.__new__
    length = len(norm)
    bare_prefixes = PREFIXES_WITHOUT_ARTICLE
    all_prefixes = _ALL_PREFIXES
    clitic_ends = _CLITIC_LAST_LETTERS
    for last, payload in gazetteer.automaton.iter(norm):
        end = last + 1
        if end < length and norm[end].isalnum():
            continue
        start = end - payload[0]
        if start == 0 or not norm[start - 1].isalnum():
            prefix = ""
        elif norm[start - 1] not in clitic_ends:
            continue
        else:
            token_start = start - 1
            while token_start > 0 and norm[token_start - 1].isalnum():
                token_start -= 1
                if start - token_start > _MAX_PREFIX:
                    break
            prefix = norm[token_start:start]
            if prefix not in all_prefixes:
                continue
        _, candidates, allowed, groups, article_groups, trigger_prefixes, tails = payload
        if allowed is None:
            _scan_slow(norm, text, offsets, start, end, prefix, candidates, matches, triggers)
            continue
        if tails is not None and not prefix:
            head_start, heads = _head_starts(norm, start)
            if heads:
                for head, tail_groups in tails:
                    cut = heads.get(head)
                    if cut is not None:
                        append(new(KeyMatch, (head_start + cut, end, tail_groups)))
        if prefix in allowed:
            append(new(KeyMatch, (start, end, groups if prefix in bare_prefixes else article_groups)))
        if trigger_prefixes is not None and prefix in trigger_prefixes:
            triggers.append(new(KeyMatch, (start, end, ())))
    return matches, triggers


def _scan_slow(
    norm: str,
    text: str,
    offsets: Offsets,
    start: int,
    end: int,
    prefix: str,
    candidates: tuple[Candidate, ...],
    matches: list[KeyMatch],
    triggers: list[KeyMatch],
) -> None:
    """Keys with Latin candidates (acronym case, capitalisation): check each candidate."""
    kept: list[Candidate] = []
    kept_tail: dict[int, list[Candidate]] = {}
    heads: tuple[int, dict[str, int]] | None = None
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
            if heads is None:
                heads = _head_starts(norm, start)
            cut = heads[1].get(candidate[4])
            if cut is not None:
                kept_tail.setdefault(heads[0] + cut, []).append(candidate)
        else:
            kept.append(candidate)
    for head_start, tail_candidates in kept_tail.items():
        matches.append(KeyMatch(head_start, end, group_candidates(tail_candidates)))
    if kept:
        matches.append(KeyMatch(start, end, group_candidates(kept)))
    if is_trigger:
        triggers.append(KeyMatch(start, end, ()))


def select_longest(matches: list[KeyMatch]) -> list[KeyMatch]:
    """Non-overlapping matches, left to right, the longest at each start.

    Two overlapping names of the same one entity are one mention spanning both: "Sheikh Tamim" and
    "Tamim bin Hamad Al Thani" in "Sheikh Tamim bin Hamad Al Thani" (left to right alone, the first would
    win and leave "Hamad" and "Thani" to be read as short forms).

    Two stable C-level sorts (end descending, then start) give the order of a ``(start, -end)`` key
    without a Python call per match; ties keep their scan order either way.
    """
    ordered = sorted(matches, key=_END, reverse=True)
    ordered.sort(key=_START)
    selected: list[KeyMatch] = []
    boundary = -1
    for match in ordered:
        if match[0] >= boundary:
            selected.append(match)
            boundary = match[1]
        elif match[1] > boundary and _same_entity(selected[-1][2], match[2]):
            last = selected[-1]
            longer = match if match[1] - match[0] > last[1] - last[0] else last
            selected[-1] = KeyMatch(last[0], match[1], longer[2])
            boundary = match[1]
    return selected


def _same_entity(first: tuple[Group, ...], second: tuple[Group, ...]) -> bool:
    """Both name one entity only (no alternative candidates, no short forms)."""
    return (
        len(first) == 1
        and len(second) == 1
        and first[0][0] == second[0][0]
        and first[0][1] != FORM_SHORT
        and second[0][1] != FORM_SHORT
    )


_START = itemgetter(0)
_END = itemgetter(1)
