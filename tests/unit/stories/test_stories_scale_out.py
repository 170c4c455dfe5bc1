"""Several workers: one clustering partition owns the table; a handover recovers it and stays exact.

The worker design (README): all tagged articles go to one clustering partition, whose owner holds the
story table; other workers are standbys. On a rebalance the new owner rebuilds the table from its
changelog and re-reads everything since the last commit. These tests play that: the state is copied as
serialised bytes (what a changelog carries) into a fresh clusterer, the uncommitted tail is redelivered,
and the result must equal one uninterrupted run, with no article counted twice and no story doubled.
"""

from __future__ import annotations

from stories_helpers import StrictStore, article, entity, load_crosslingual, word

from agents.stories import StoryClusterer, StoryInput


def _stream() -> list[StoryInput]:
    items = []
    for event in range(12):
        for report in range(5):
            hours = event * 3 + report * 0.7
            topic = word(event)
            items.append(
                article(
                    f"{topic}-r{report}",
                    f"{topic} {word(event, 'a')} {word(event, 'b')}",
                    f"{topic} {word(event, 'c')} {word(event, 'd')} {word(event, 'a')} {report}",
                    hours,
                    (entity(f"ns:{topic}-person", "person", 2), entity("Q1", "country")),
                    f"outlet-{report % 3}",
                )
            )
    return sorted(items, key=lambda item: item.event_time)


def _partition(clusterer: StoryClusterer, items: list[StoryInput]) -> dict[str, str]:
    return {item.article_id: clusterer.story_of(item.article_id) or "" for item in items}


def test_handover_with_redelivery_matches_an_uninterrupted_run() -> None:
    items = _stream()
    single = StoryClusterer(StrictStore())
    for item in items:
        single.assign(item)
    expected = _partition(single, items)

    first_store = StrictStore()
    first = StoryClusterer(first_store)
    cut = len(items) // 2
    for item in items[: cut + 6]:
        first.assign(item)
    recovered = StrictStore()
    recovered.data = dict(first_store.data)
    second = StoryClusterer(recovered)
    redelivered_events = [event for item in items[cut : cut + 6] for event in second.assign(item)[1]]
    assert redelivered_events == [], "redelivered articles change nothing"
    for item in items[cut + 6 :]:
        second.assign(item)
    assert _partition(second, items) == expected
    assert len(set(expected.values())) == 12
    for story_id in set(expected.values()):
        summary = second.summary(story_id)
        assert summary is not None
        assert len(summary.article_ids) == len(set(summary.article_ids)) == 5


def test_core_never_iterates_the_store() -> None:
    store = StrictStore()
    clusterer = StoryClusterer(store)
    for item in _stream():
        clusterer.assign(item)
        clusterer.advance(item.event_time)
    store.iterations_allowed = True
    assert len(store) > 0


def test_state_split_by_language_loses_crosslingual_joins() -> None:
    """Why one clustering partition: with a store per language, the Persian report cannot find the story."""
    rows = sorted(load_crosslingual(), key=lambda row: row[1].event_time)
    kursk = [item for label, item in rows if label == "kursk-thanks-2025-04"]
    assert {item.language for item in kursk} == {"en", "fa"}
    shared = StoryClusterer({})
    by_language = {language: StoryClusterer({}) for language in ("en", "fa")}
    shared_ids = {shared.assign(item)[0] for item in kursk}
    split_ids = {by_language[item.language].assign(item)[0] for item in kursk}
    assert len(shared_ids) == 1
    assert len(split_ids) == 2
