"""Merging: two stories an article shows to be one become the older story, and readers can follow."""

from __future__ import annotations

from stories_helpers import StrictStore, article, entity

from agents.stories import StoryClusterer, StoryOptions

SUMMIT = (
    entity("ns:leader-a", "person", 2),
    entity("ns:leader-b", "person", 2),
    entity("ns:summit-city", "city"),
)
WORDS = "Leaders meet at summit talks in lakeside city, agree trade pact and prisoner exchange"


def report(article_id: str, hours: float, source: str = "outlet-a") -> object:
    return article(article_id, WORDS, WORDS + " after long negotiations.", hours, SUMMIT, source)


def _two_stories_then_bridge(clusterer: StoryClusterer) -> tuple[str, str, list]:
    older, _ = clusterer.assign(report("a0", 0))
    newer, _ = clusterer.assign(report("b0", 96, "outlet-b"))
    assert newer != older, "four half-lives apart: two stories at first"
    for index, hours in enumerate((24, 48, 72)):
        joined, _ = clusterer.assign(report(f"a{index + 1}", hours))
        assert joined == older
    story_id, events = clusterer.assign(report("bridge", 84, "outlet-c"))
    return older, newer, [story_id, events]


def test_bridging_article_merges_into_the_older_story() -> None:
    store = StrictStore()
    clusterer = StoryClusterer(
        store, StoryOptions(half_life_hours=24, dormant_after_hours=200, expire_after_hours=400)
    )
    older, newer, (story_id, events) = _two_stories_then_bridge(clusterer)
    assert story_id == older
    kinds = [event.kind for event in events]
    assert kinds == ["merged", "grew"]
    merged = events[0]
    assert merged.story_id == older and merged.merged_ids == [newer]
    assert sorted(merged.article_ids) == sorted(["a0", "a1", "a2", "a3", "b0", "bridge"])
    assert merged.sources == ["outlet-a", "outlet-b", "outlet-c"]
    assert clusterer.resolve(newer) == older
    assert clusterer.story_of("b0") == older
    summary = clusterer.summary(newer)
    assert summary is not None and summary.story_id == older
    assert store.get("s:" + newer) is None
    for key in store.get("s:" + older)["keys"]:
        posting = store.get("k:" + key)
        assert newer not in posting and older in posting
    assert store.get("meta")["live"] == 1


def test_later_reports_join_the_survivor_and_expiry_clears_redirects() -> None:
    store = StrictStore()
    options = StoryOptions(half_life_hours=24, dormant_after_hours=200, expire_after_hours=400)
    clusterer = StoryClusterer(store, options)
    older, newer, _ = _two_stories_then_bridge(clusterer)
    story_id, events = clusterer.assign(report("late", 100, "outlet-d"))
    assert story_id == older and events[0].kind == "grew"
    kinds = [event.kind for event in clusterer.advance(article("x", "x", hours=100 + 401).event_time)]
    assert kinds == ["dormant", "expired"]
    assert set(store.data) == {"meta"}, "record, article map, redirect and index entries all evicted"
    assert clusterer.resolve(newer) == newer
