"""The alert store stays bounded: per-story TTL sweeps, expiry, article caps, mis-dated articles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agents.alerts import AlertEngine, AlertOptions, RuleSet
from tests.unit.alerts.factories import GAZETTEER, T0, StoryBuilder, article

RULES = """
rules:
  - {name: nk, entities: [North Korea, Russia]}
  - {name: breaking, min_sources: 3, window: 24h}
"""


def test_per_story_state_is_swept_after_the_ttl() -> None:
    store: dict[str, Any] = {}
    options = AlertOptions(story_ttl=timedelta(hours=1), index_bucket=timedelta(minutes=10))
    alerts_engine = AlertEngine(RuleSet.parse(RULES), store, GAZETTEER.get, options)
    peak = 0
    for minute in range(600):
        story = StoryBuilder(f"s{minute}")
        item = article(f"a{minute}", "x", minute, ("Q423", "Q159"))
        alerts_engine.evaluate(story.add(item), item)
        peak = max(peak, len(store))
    stories = [key for key in store if key.startswith("story:")]
    # an hour of stories plus at most two index buckets of slack, whatever the stream's length
    assert 60 <= len(stories) <= 60 + 20
    assert sum(key.startswith("ttl:") for key in store) <= 60 // 10 + 2
    assert peak <= 2 * (60 + 20)
    assert "story:s0" not in store and "story:s599" in store


def test_a_story_touched_again_is_not_swept_with_its_old_bucket() -> None:
    store: dict[str, Any] = {}
    options = AlertOptions(story_ttl=timedelta(hours=1), index_bucket=timedelta(minutes=10))
    alerts_engine = AlertEngine(RuleSet.parse(RULES), store, GAZETTEER.get, options)
    long_story = StoryBuilder("long")
    for minute in range(0, 300, 5):
        item = article(f"l{minute}", "x", minute)
        alerts_engine.evaluate(long_story.add(item), item)
        other = StoryBuilder(f"o{minute}")
        item = article(f"o{minute}", "y", minute)
        alerts_engine.evaluate(other.add(item), item)
    assert "story:long" in store
    assert "story:o0" not in store


def test_tracked_article_times_are_capped_per_story() -> None:
    store: dict[str, Any] = {}
    options = AlertOptions(max_tracked_articles=50)
    alerts_engine = AlertEngine(RuleSet.parse(RULES), store, GAZETTEER.get, options)
    story = StoryBuilder("big")
    for index in range(400):
        item = article(f"a{index:04d}", f"s{index % 7}", index)
        story.articles.append(item)
        alerts_engine.evaluate(story.view("grew"), item)
    state = store["story:big"]
    assert len(state["arts"]) == 50
    assert min(state["arts"]) == "a0350"


def test_expired_and_merged_away_stories_leave_the_store() -> None:
    store: dict[str, Any] = {}
    alerts_engine = AlertEngine(RuleSet.parse(RULES), store, GAZETTEER.get)
    left, right = StoryBuilder("left"), StoryBuilder("right")
    alerts_engine.evaluate(left.add(article("l", "a", 0)), left.articles[-1])
    alerts_engine.evaluate(right.add(article("r", "b", 1)), right.articles[-1])
    right.articles = left.articles + right.articles
    alerts_engine.evaluate(right.view("merged", ("left",)), None)
    assert set(store["story:left"]) == {"merged_into", "t", "ib"}, "only a small tombstone stays"
    assert store["story:left"]["merged_into"] == "right" and "story:right" in store
    alerts_engine.evaluate(right.view("expired"), None)
    assert [key for key in store if key.startswith("story:")] == ["story:left"]
    later = StoryBuilder("later")
    item = article("z", "c", 8 * 24 * 60)
    alerts_engine.evaluate(later.add(item), item)
    assert [key for key in store if key.startswith("story:")] == ["story:later"], "the tombstone aged out"


def test_a_misdated_future_article_does_not_wipe_current_state() -> None:
    store: dict[str, Any] = {}
    options = AlertOptions(story_ttl=timedelta(hours=1), index_bucket=timedelta(minutes=10))
    alerts_engine = AlertEngine(
        RuleSet.parse(RULES), store, GAZETTEER.get, options, clock=lambda: T0 + timedelta(minutes=30)
    )
    for minute in range(30):
        story = StoryBuilder(f"s{minute}")
        item = article(f"a{minute}", "x", minute)
        alerts_engine.evaluate(story.add(item), item)
    future = StoryBuilder("future")
    item = article("f", "x", 60 * 24 * 365 * 5)
    for _ in range(10):
        alerts_engine.evaluate(future.add(item), item)
    assert all(f"story:s{minute}" in store for minute in range(30))


def test_a_sweep_drops_a_bounded_number_of_stories_per_event() -> None:
    store: dict[str, Any] = {}
    options = AlertOptions(story_ttl=timedelta(hours=1), index_bucket=timedelta(hours=1))
    alerts_engine = AlertEngine(RuleSet.parse(RULES), store, GAZETTEER.get, options)
    for index in range(250):
        story = StoryBuilder(f"s{index}")
        item = article(f"a{index}", "x", 0)
        alerts_engine.evaluate(story.add(item), item)
    late = StoryBuilder("late")
    counts = []
    for step in range(4):
        item = article(f"late{step}", "x", 180 + step)
        alerts_engine.evaluate(late.add(item), item)
        counts.append(sum(key.startswith("story:s") for key in store))
    assert counts == [150, 50, 0, 0]


def test_shards_keep_shared_keys_apart() -> None:
    store: dict[str, Any] = {}
    alerts_engine = AlertEngine(
        RuleSet.parse(RULES + "  - {name: ru, burst: {entity: Russia, window: 1h, baseline: 6h}}"),
        store,
        GAZETTEER.get,
        shard=lambda story: story.languages[0],
    )
    for language in ("ar", "fa"):
        story = StoryBuilder(f"s-{language}")
        item = article(f"a-{language}", "x", 0, ("Q159",), language=language)
        alerts_engine.evaluate(story.add(item), item)
    shared = sorted(key for key in store if not key.startswith(("story:", "ttl:")))
    assert shared == ["burst:ar:ru:Q159", "burst:fa:ru:Q159", "meta:ar", "meta:fa"]
    assert {key.split(":")[1] for key in store if key.startswith("ttl:")} == {"ar", "fa"}
