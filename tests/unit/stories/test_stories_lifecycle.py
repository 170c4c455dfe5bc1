"""Time: decay of similarity, dormant and expired transitions, eviction and the store bound."""

from __future__ import annotations

import pytest
from stories_helpers import StrictStore, article, at, entity, word

from agents.stories import StoryClusterer, StoryOptions
from agents.stories.features import extract_features
from agents.stories.records import add_article, new_record
from agents.stories.scoring import score

TEAM = (entity("ns:club", "org", 2), entity("ns:coach", "person", 2))


def match_report(article_id: str, hours: float, variant: int = 0) -> object:
    return article(
        article_id,
        f"Club sacks coach after cup defeat {variant}",
        "The club dismissed its coach on Sunday after the cup defeat, the board said in a statement.",
        hours,
        TEAM,
    )


def _scores_at(options: StoryOptions, hours: list[float]) -> list[float]:
    item = match_report("a1", 0)
    features = extract_features(item.title, item.text, [("ns:club", "org", 2)], 1500, 30)
    record = new_record("s", at(0).timestamp())
    add_article(record, item, features, at(0).timestamp(), False, options)
    return [score(features, "en", at(h).timestamp(), at(h).timestamp(), record, options) for h in hours]


def test_similarity_is_flat_for_the_grace_period_then_halves() -> None:
    same, inside, later = _scores_at(StoryOptions(half_life_hours=10.0, decay_grace_hours=6.0), [0, 6, 16])
    assert same > 0.5
    assert inside == pytest.approx(same)
    assert later == pytest.approx(same / 2)


def test_similarity_halves_every_half_life() -> None:
    options = StoryOptions(half_life_hours=10.0, decay_grace_hours=0.0)
    item = match_report("a1", 0)
    features = extract_features(item.title, item.text, [("ns:club", "org", 2)], 1500, 30)
    record = new_record("s", at(0).timestamp())
    add_article(record, item, features, at(0).timestamp(), False, options)
    same_time = score(features, "en", at(0).timestamp(), at(0).timestamp(), record, options)
    later = score(features, "en", at(10).timestamp(), at(10).timestamp(), record, options)
    much_later = score(features, "en", at(30).timestamp(), at(30).timestamp(), record, options)
    assert same_time > 0.5
    assert later == pytest.approx(same_time / 2)
    assert much_later == pytest.approx(same_time / 8)


def test_same_wording_far_apart_in_time_founds_a_new_story() -> None:
    clusterer = StoryClusterer(
        {}, StoryOptions(half_life_hours=12.0, dormant_after_hours=200.0, expire_after_hours=400.0)
    )
    first, _ = clusterer.assign(match_report("a1", 0))
    near, _ = clusterer.assign(match_report("a2", 3))
    far, _ = clusterer.assign(match_report("a3", 24 * 5))
    assert near == first
    assert far != first


def test_story_goes_dormant_then_expires_and_is_evicted() -> None:
    store = StrictStore()
    options = StoryOptions(dormant_after_hours=24, expire_after_hours=72, schedule_bucket_minutes=60)
    clusterer = StoryClusterer(store, options)
    story_id, _ = clusterer.assign(match_report("a1", 0))
    clusterer.assign(match_report("a2", 2, 1))
    assert clusterer.advance(at(20)) == []
    events = clusterer.advance(at(2 + 24 + 1))
    assert [(event.kind, event.story_id) for event in events] == [("dormant", story_id)]
    summary = clusterer.summary(story_id)
    assert summary is not None and summary.kind == "dormant"
    assert clusterer.advance(at(60)) == []
    events = clusterer.advance(at(2 + 72 + 1))
    assert [(event.kind, event.story_id) for event in events] == [("expired", story_id)]
    assert events[0].article_ids == ["a1", "a2"]
    assert clusterer.summary(story_id) is None
    assert clusterer.story_of("a1") is None
    assert set(store.data) == {"meta"}, "every key of the story is gone"


def test_growth_postpones_dormancy() -> None:
    clusterer = StoryClusterer({}, StoryOptions(dormant_after_hours=24, expire_after_hours=72))
    clusterer.assign(match_report("a1", 0))
    clusterer.assign(match_report("a2", 20, 1))
    assert clusterer.advance(at(30)) == [], "last_seen is hour 20, so dormant is due at hour 44"
    kinds = [event.kind for event in clusterer.advance(at(46))]
    assert kinds == ["dormant"]


def test_dormant_story_revives_when_a_report_joins() -> None:
    clusterer = StoryClusterer(
        {}, StoryOptions(dormant_after_hours=6, expire_after_hours=100, half_life_hours=48)
    )
    story_id, _ = clusterer.assign(match_report("a1", 0))
    assert [event.kind for event in clusterer.advance(at(8))] == ["dormant"]
    again, events = clusterer.assign(match_report("a2", 9, 1))
    assert again == story_id and events[0].kind == "grew"
    summary = clusterer.summary(story_id)
    assert summary is not None and summary.kind == "grew"


def test_a_big_jump_of_the_watermark_reports_dormant_then_expired() -> None:
    clusterer = StoryClusterer({})
    story_id, _ = clusterer.assign(match_report("a1", 0))
    kinds = [event.kind for event in clusterer.advance(at(24 * 30))]
    assert kinds == ["dormant", "expired"]
    assert clusterer.summary(story_id) is None


def test_advance_is_cheap_when_nothing_is_due() -> None:
    store = StrictStore()
    clusterer = StoryClusterer(store)
    clusterer.assign(match_report("a1", 0))
    writes = store.writes
    for hour in range(1, 20):
        assert clusterer.advance(at(hour)) == []
    assert store.writes == writes, "no write when no bucket is due"


def test_store_stays_bounded_on_a_long_stream() -> None:
    """Two months of a steady stream (40 distinct events a day): keys and live stories stay bounded."""
    options = StoryOptions(dormant_after_hours=12, expire_after_hours=36)
    store = StrictStore()
    clusterer = StoryClusterer(store, options)
    peak_keys = 0
    peak_live = 0
    for day in range(60):
        for event in range(40):
            hours = day * 24 + event * 0.5
            serial = day * 40 + event
            topic = word(serial)
            item = article(
                f"d{day}e{event}",
                f"{topic} {word(serial, 'a')} {word(serial, 'b')}",
                f"{topic} {word(serial, 'c')} {word(serial, 'd')} {serial}",
                hours,
                (entity(f"ns:{topic}", "person"), entity("Q1", "country")),
            )
            clusterer.assign(item)
            clusterer.advance(at(hours))
        peak_keys = max(peak_keys, len(store.data))
        peak_live = max(peak_live, store.get("meta")["live"])
    assert peak_live >= 40, "the stream really keeps many stories live at once"
    assert peak_live <= 40 * (36 / 24 + 1) + 40, "live stories bounded by rate x expiry window"
    assert peak_keys < 1000, "without eviction the 2,400 articles alone would leave 4,800 s:/a: keys"
    assert peak_keys <= peak_live * 12, "about ten keys per live story"
    posting = store.get("k:e:Q1")
    assert len(posting) <= options.max_posting


def test_a_report_arriving_days_late_keeps_its_story_long_enough_to_be_redelivered() -> None:
    """A late feed's reports join each other, and a redelivered one finds its story instead of founding a
    second one (which would put one article in two stories)."""
    options = StoryOptions(dormant_after_hours=24.0, expire_after_hours=72.0)
    clusterer = StoryClusterer({}, options)
    clusterer.advance(at(200))  # the stream is at hour 200
    first, _ = clusterer.assign(match_report("late-1", 10))  # reports from hour 10 arrive now
    assert not [e for e in clusterer.advance(at(200.5)) if e.story_id == first]
    second, events = clusterer.assign(match_report("late-2", 10.5, variant=1))
    assert second == first and events
    transitions = clusterer.advance(at(201))
    assert not [e for e in transitions if e.story_id == first]  # not expired on arrival
    again, replayed = clusterer.assign(match_report("late-2", 10.5, variant=1))
    assert (again, replayed) == (first, [])
    # it still ages out: dormant a day of stream time later, expired three days after that
    kinds = [e.kind for h in (226, 300) for e in clusterer.advance(at(h)) if e.story_id == first]
    assert kinds == ["dormant", "expired"]
