"""Candidate retrieval: which stories an article is worth scoring against, from the inverted index alone.

The article's keys are read rarest first (a rare key is the better evidence and the shorter list) until
``max_scanned`` story ids have been seen; each story gathers the idf of the keys it shares with the
article, and the ``max_candidates`` best, down to ``hit_ratio`` of the best one, are returned. This runs
for every article over a few hundred ids, so the ranking is one C sort rather than a Python heap loop.
"""

from __future__ import annotations


def candidates(
    postings: dict[str, list[str]],
    idf: dict[str, float],
    max_scanned: int,
    max_candidates: int,
    hit_ratio: float,
) -> list[str]:
    """Ids of the stories to score for an article, most shared evidence first (ties: first seen)."""
    hits: dict[str, float] = {}
    hits_get = hits.get
    budget = max_scanned
    for key, posting in sorted(postings.items(), key=lambda kv: len(kv[1])):
        if not posting:
            continue
        if len(posting) > budget:
            break
        budget -= len(posting)
        weight = idf[key]
        for story_id in posting:
            hits[story_id] = hits_get(story_id, 0.0) + weight
    if not hits:
        return []
    # ``sorted`` is stable, so this equals ``heapq.nlargest`` (ties keep first-seen order) without its
    # Python-level loop over every hit.
    ranked = sorted(hits, key=hits.__getitem__, reverse=True)[:max_candidates]
    floor = hits[ranked[0]] * hit_ratio
    return [story_id for story_id in ranked if hits[story_id] >= floor]
