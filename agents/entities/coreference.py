"""Choosing the entity of each match within one article: unambiguous names first, then the rest by context.

Rules (precision first: a match that cannot be decided is dropped, never guessed):

1. A name or adjective match with a single candidate entity, not marked ambiguous, is *anchored*.
2. An ambiguous match (an alias marked ambiguous, or a key several entities share) takes the candidate
   that is anchored somewhere in the article; if several are, the one with most anchoring mentions, then
   the one introduced first; if none is, the match is dropped.
3. A full name beats short forms that share its key (a surname of another person).
4. A short form (كيم, Kim; a person's surname) links only to a candidate anchored by a *name* mention in
   the article, chosen the same way. News headlines use the surname before the body gives the full name,
   so "in the article" means anywhere in it, not only earlier.
5. Before rule 2, ``settle`` (the tagger's context rules: a place noun before a place name, see
   ``place_nouns``; a capital in its country's news, see ``capitals``) may decide an undecided match, given
   the anchors; such a match does not anchor others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from agents.entities.gazetteer import FORM_NAME, FORM_SHORT
from agents.entities.matching import KeyMatch


class Resolved(NamedTuple):
    """A match decided to refer to ``entity_index`` (spans in the normalised text; immutable and cheap
    to build, as one is made per mention)."""

    start: int
    end: int
    entity_index: int
    form: int


def _preferred(positions: dict[int, list[int]], entity_ids: list[int]) -> int | None:
    """The candidate the article is most about: most anchoring mentions, then the earliest introduced.

    Bare surnames in news refer to the article's protagonist far more often than to a namesake
    mentioned in passing (كيم after كيم جونغ أون and a square named after كيم إيل سونغ).
    """
    best: tuple[int, int, int] | None = None
    for entity in entity_ids:
        starts = positions.get(entity)
        if not starts:
            continue
        score = (-len(starts), starts[0], entity)
        if best is None or score < best:
            best = score
    return None if best is None else best[2]


def resolve(
    matches: list[KeyMatch],
    link_short_forms: bool = True,
    settle: Callable[[KeyMatch, dict[int, list[int]]], Resolved | None] | None = None,
) -> list[Resolved]:
    """Decide each selected (non-overlapping) match; undecidable ones are left out.

    Runs once per article over every match: tuples are unpacked and ``Resolved`` built with
    ``tuple.__new__`` (the generated ``__new__`` costs a Python frame per mention).
    """
    new = tuple.__new__
    decided: list[Resolved | None] = []
    pending: list[tuple[int, KeyMatch]] = []
    anchors: dict[int, list[int]] = {}
    name_anchors: dict[int, list[int]] = {}
    for match in matches:
        start, end, groups = match
        if len(groups) == 1:
            entity, form, ambiguous = groups[0]
        else:
            full = [group for group in groups if group[1] != FORM_SHORT]
            entity, form, ambiguous = full[0] if len(full) == 1 else (-1, FORM_SHORT, True)
        if form != FORM_SHORT and not ambiguous:
            decided.append(new(Resolved, (start, end, entity, form)))
            starts = anchors.get(entity)
            if starts is None:
                anchors[entity] = [start]
            else:
                starts.append(start)
            if form == FORM_NAME:
                starts = name_anchors.get(entity)
                if starts is None:
                    name_anchors[entity] = [start]
                else:
                    starts.append(start)
            continue
        pending.append((len(decided), match))
        decided.append(None)
    if not pending:
        return decided  # type: ignore[return-value]  # no None left
    for slot, match in pending:
        if settle is not None and (settled := settle(match, anchors)) is not None:
            decided[slot] = settled
            continue
        forms = {entity: form for entity, form, _ in match.groups}
        short_only = all(form == FORM_SHORT for form in forms.values())
        if short_only and not link_short_forms:
            continue
        chosen = _preferred(name_anchors if short_only else anchors, sorted(forms))
        if chosen is not None and (link_short_forms or forms[chosen] != FORM_SHORT):
            decided[slot] = new(Resolved, (match.start, match.end, chosen, forms[chosen]))
    return [item for item in decided if item is not None]
