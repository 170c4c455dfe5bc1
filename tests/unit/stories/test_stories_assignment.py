"""Assignment: founding, joining, keeping apart, idempotency, duplicates, bad input."""

from __future__ import annotations

from datetime import datetime

import pytest
from stories_helpers import StrictStore, article, entity

from agents.errors import BadArticle, ConfigError
from agents.stories import StoryClusterer, StoryInput, StoryOptions

QUAKE = (entity("ns:quake-city", "city", 3), entity("ns:rescue-agency", "org", 2), entity("Q1", "country", 2))
ELECTION = (entity("ns:candidate-x", "person", 3), entity("ns:party-y", "org", 2), entity("Q2", "country", 2))


def quake(article_id: str, hours: float = 0.0, source: str = "outlet-a") -> StoryInput:
    return article(
        article_id,
        "Earthquake of magnitude 7.1 strikes coastal city, rescuers search rubble",
        "A strong earthquake of magnitude 7.1 struck the coastal city at dawn, collapsing buildings; "
        "rescuers searched the rubble for survivors and the death toll rose to 120.",
        hours,
        QUAKE,
        source,
    )


def election(article_id: str, hours: float = 0.0) -> StoryInput:
    return article(
        article_id,
        "Opposition candidate wins presidential election runoff",
        "The opposition candidate won the presidential runoff with 54 percent of the vote, the electoral "
        "commission said, ending the ruling party's two decades in power.",
        hours,
        ELECTION,
    )


def test_first_article_founds_a_story_with_a_created_event() -> None:
    clusterer = StoryClusterer({})
    story_id, events = clusterer.assign(quake("a1"))
    assert [event.kind for event in events] == ["created"]
    assert events[0].story_id == story_id
    assert events[0].article_ids == ["a1"]
    assert events[0].headline.startswith("Earthquake")
    assert events[0].growth_rate == pytest.approx(1 / StoryOptions().growth_window_hours, abs=1e-3)


def test_report_of_same_event_from_another_outlet_joins_and_adds_source() -> None:
    clusterer = StoryClusterer({})
    first, _ = clusterer.assign(quake("a1", 0, "outlet-a"))
    second, events = clusterer.assign(quake("a2", 2, "outlet-b"))
    assert second == first
    assert [event.kind for event in events] == ["grew"]
    assert events[0].new_source is True
    assert events[0].sources == ["outlet-a", "outlet-b"]
    assert events[0].article_ids == ["a1", "a2"]


def test_same_source_growth_is_not_a_new_source() -> None:
    clusterer = StoryClusterer({})
    clusterer.assign(quake("a1", 0, "outlet-a"))
    _, events = clusterer.assign(quake("a2", 1, "outlet-a"))
    assert events[0].kind == "grew" and events[0].new_source is False


def test_different_event_founds_a_different_story() -> None:
    clusterer = StoryClusterer({})
    first, _ = clusterer.assign(quake("a1"))
    second, events = clusterer.assign(election("b1", 1))
    assert second != first
    assert events[0].kind == "created"


def test_redelivered_article_is_counted_once_and_emits_nothing() -> None:
    store = StrictStore()
    clusterer = StoryClusterer(store)
    story_id, _ = clusterer.assign(quake("a1"))
    clusterer.assign(quake("a2", 1, "outlet-b"))
    writes = store.writes
    again, events = clusterer.assign(quake("a2", 1, "outlet-b"))
    assert again == story_id and events == []
    assert store.writes == writes
    summary = clusterer.summary(story_id)
    assert summary is not None and summary.article_ids == ["a1", "a2"]


def test_duplicate_joins_its_original_story_even_without_shared_wording() -> None:
    clusterer = StoryClusterer({})
    original, _ = clusterer.assign(quake("a1", 0, "outlet-a"))
    clusterer.assign(election("b1", 1))
    repost = article(
        "dup1", "Unrelated wording entirely", "Nothing in common here.", 2, (), "outlet-c", "en", "a1"
    )
    story_id, events = clusterer.assign(repost)
    assert story_id == original
    assert events[0].kind == "grew" and events[0].new_source is True
    assert "outlet-c" in events[0].sources
    assert events[0].headline.startswith("Earthquake"), "the original's title stays the headline"


def test_duplicate_of_unknown_article_is_clustered_normally() -> None:
    clusterer = StoryClusterer({})
    original, _ = clusterer.assign(quake("a1"))
    story_id, _ = clusterer.assign(
        StoryInput(
            "a2", "outlet-b", quake("x").title, quake("x").text, "en", quake("x", 1).event_time, QUAKE, "gone"
        )
    )
    assert story_id == original


def test_naive_event_time_is_a_bad_article() -> None:
    clusterer = StoryClusterer({})
    item = StoryInput("a1", "s", "t", "x", "en", datetime(2025, 1, 1), ())
    with pytest.raises(BadArticle) as caught:
        clusterer.assign(item)
    assert caught.value.reason == "schema"


def test_empty_article_id_is_a_bad_article() -> None:
    with pytest.raises(BadArticle):
        StoryClusterer({}).assign(quake(""))


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"join_threshold": 0.0}, "join_threshold"),
        ({"half_life_hours": -1.0}, "half_life_hours"),
        ({"dormant_after_hours": 48.0, "expire_after_hours": 24.0}, "expire_after_hours"),
        ({"max_posting": 1}, "max_posting"),
    ],
)
def test_invalid_options_name_the_option(options: dict[str, float], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        StoryOptions(**options)


def test_entity_counts_and_languages_are_summed_in_the_summary() -> None:
    clusterer = StoryClusterer({})
    story_id, _ = clusterer.assign(quake("a1"))
    clusterer.assign(quake("a2", 1, "outlet-b"))
    summary = clusterer.summary(story_id)
    assert summary is not None
    counts = {item.id: item.count for item in summary.entities}
    assert counts["ns:quake-city"] == 6 and counts["ns:rescue-agency"] == 4
    assert summary.entities[0].id == "ns:quake-city", "most mentioned first"
    assert summary.languages == ["en"]
    assert summary.first_seen < summary.last_seen


def test_joining_writes_a_bounded_number_of_keys() -> None:
    """Each write is a changelog record in a worker: a join touches the article map, the record, at most
    the article's new index keys, one schedule shard and meta; never a whole-store rewrite."""
    store = StrictStore()
    options = StoryOptions()
    clusterer = StoryClusterer(store, options)
    clusterer.assign(quake("a1", 0, "outlet-a"))
    before = store.writes
    clusterer.assign(quake("a2", 1, "outlet-b"))
    limit = 2 + options.index_entities_per_article + options.index_terms_per_article
    limit += options.index_numbers_per_article + 2
    assert 2 <= store.writes - before <= limit


def test_same_actors_same_day_different_event_stays_apart() -> None:
    actors = (entity("ns:president", "person", 2), entity("Q9", "country", 2), entity("ns:capital", "city"))
    clusterer = StoryClusterer({})
    airport, _ = clusterer.assign(
        article(
            "p1",
            "President opens new international airport in the capital",
            "The president inaugurated the new international airport on Monday, with two terminals "
            "built to handle twelve million passengers a year.",
            0,
            actors,
        )
    )
    same_event, _ = clusterer.assign(
        article(
            "p2",
            "New capital airport opened by the president",
            "The airport's two terminals will handle twelve million passengers a year, the president said "
            "at the inauguration.",
            3,
            actors,
            "outlet-b",
        )
    )
    minister, _ = clusterer.assign(
        article(
            "p3",
            "President sacks finance minister over budget dispute",
            "The president dismissed the finance minister after a row over the budget deficit and named "
            "the central bank governor as his replacement.",
            5,
            actors,
            "outlet-c",
        )
    )
    assert same_event == airport
    assert minister != airport
