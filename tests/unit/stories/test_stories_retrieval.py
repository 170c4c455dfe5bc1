"""Candidate retrieval and prepared scoring give what the plain per-candidate code gave."""

from __future__ import annotations

import heapq
from collections import defaultdict

from stories_helpers import article, entity

from agents.stories import StoryOptions
from agents.stories.features import extract_features
from agents.stories.records import add_article, new_record
from agents.stories.retrieval import candidates
from agents.stories.scoring import prepare, score, with_idf


def _reference(
    postings: dict[str, list[str]], idf: dict[str, float], budget: int, limit: int, ratio: float
) -> list[str]:
    """The loop retrieval used to be: summed idf per story, ``heapq.nlargest``, cut at the floor."""
    hits: defaultdict[str, float] = defaultdict(float)
    for key, posting in sorted(postings.items(), key=lambda kv: len(kv[1])):
        if not posting:
            continue
        if len(posting) > budget:
            break
        budget -= len(posting)
        for story_id in posting:
            hits[story_id] += idf[key]
    if not hits:
        return []
    ranked = heapq.nlargest(limit, hits, key=hits.__getitem__)
    return [story_id for story_id in ranked if hits[story_id] >= hits[ranked[0]] * ratio]


def test_rarest_keys_first_ties_in_first_seen_order_and_floor() -> None:
    postings = {
        "e:rare": ["s1", "s2"],
        "t:common": ["s3", "s1", "s4", "s5", "s6"],
        "t:middle": ["s2", "s3", "s1"],
        "t:empty": [],
        "n:huge": [f"x{i}" for i in range(50)],
    }
    idf = {"e:rare": 3.0, "t:common": 1.2, "t:middle": 2.0, "t:empty": 5.0, "n:huge": 0.5}
    got = candidates(postings, idf, max_scanned=20, max_candidates=4, hit_ratio=0.1)
    assert got == _reference(postings, idf, 20, 4, 0.1)
    assert got[:2] == ["s1", "s2"]  # s1 shares all three scanned keys, s2 two; "n:huge" is over budget
    assert got[2:] == ["s3", "s4"]  # s4, s5 and s6 tie (one common key): the first seen is kept
    assert candidates(postings, idf, 20, 4, hit_ratio=0.25) == ["s1", "s2", "s3"]  # s4 under the floor
    assert candidates(postings, idf, 20, 4, hit_ratio=0.9) == ["s1"]
    assert candidates({"t:empty": []}, idf, 20, 4, 0.25) == []


def test_prepared_features_score_like_plain_ones() -> None:
    options = StoryOptions()
    refs = (entity("ns:leader", "person", 2), entity("ns:city", "city"))
    first = article(
        "a1", "Leaders meet at lakeside summit", "Leaders meet at a summit on trade, 2024.", 0, refs
    )
    second = article(
        "a2", "Summit leaders agree trade pact", "At the lakeside summit leaders agreed.", 2, refs
    )
    record = new_record("story-1", first.event_time.timestamp())
    features = extract_features(first.title, first.text, [("ns:leader", "person", 2)], 500, 20)
    add_article(record, first, features, first.event_time.timestamp(), False, options)
    features = extract_features(second.title, second.text, [("ns:leader", "person", 2)], 500, 20)
    weighted = with_idf(features, {"t:summit": 2.5, "e:ns:leader": 1.7})
    moment = second.event_time.timestamp()
    plain = score(weighted, "en", moment, moment, record, options)
    assert plain > 0
    assert score(prepare(weighted), "en", moment, moment, record, options) == plain
