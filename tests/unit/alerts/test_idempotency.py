"""Property: redelivering any suffix of the stream (at-least-once replay) never mints a new alert id."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agents.alerts import AlertEngine, ArticleView, RuleSet, StoryView
from tests.unit.alerts.factories import GAZETTEER, StoryBuilder, article

RULES = RuleSet.parse(
    """
rules:
  - {name: nk, entities: [North Korea, Russia]}
  - {name: any, any_entities: [Ukraine]}
  - {name: kw, keywords: [كورسك], any_entities: [Russia]}
  - {name: breaking, min_sources: 3, window: 2h}
  - {name: busy, min_articles: 4, window: 1h}
  - {name: ru, burst: {entity: Russia, window: 1h, baseline: 3h, min_count: 3, warmup: 0}}
  - {name: hot, burst: {story: true, window: 1h, baseline: 3h, min_count: 3, warmup: 0}}
"""
)

steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # story
        st.sampled_from(["s1", "s2", "s3", "s4", "s5"]),  # source
        st.integers(0, 40),  # minutes after the previous article
        st.sets(st.sampled_from(["Q423", "Q159", "Q212"])),
        st.booleans(),  # mentions the keyword
        st.integers(-1, 3),  # after the article, merge this story into the article's story (-1: none)
    ),
    min_size=1,
    max_size=40,
)


def build_stream(
    spec: list[tuple[int, str, int, set[str], bool, int]],
) -> list[tuple[StoryView, ArticleView | None]]:
    """Story events as the clusterer emits them, including merges (the absorbed story lives on in its
    survivor: later articles for it go to the survivor)."""
    stories = [StoryBuilder(f"story{index}") for index in range(4)]
    home = list(range(4))
    minutes = 0
    events: list[tuple[StoryView, ArticleView | None]] = []
    for index, (story_index, source, gap, entities, keyword, merge) in enumerate(spec):
        minutes += gap
        item = article(f"a{index}", source, minutes, tuple(sorted(entities)), text="كورسك" if keyword else "")
        survivor = stories[home[story_index]]
        events.append((survivor.add(item), item))
        absorbed = home[merge] if merge >= 0 else home[story_index]
        if absorbed != home[story_index] and stories[absorbed].articles:
            survivor.articles = sorted(
                survivor.articles + stories[absorbed].articles, key=lambda a: a.event_time
            )
            stories[absorbed].articles = []
            home = [home[story_index] if target == absorbed else target for target in home]
            events.append((survivor.view("merged", (stories[absorbed].story_id,)), None))
    return events


def run(events: list[tuple[StoryView, ArticleView | None]], store: dict[str, Any]) -> list[str]:
    alerts_engine = AlertEngine(RULES, store, GAZETTEER.get)
    return [alert.id for story, item in events for alert in alerts_engine.evaluate(story, item)]


@settings(max_examples=300, deadline=None)
@given(spec=steps, data=st.data())
def test_replaying_a_suffix_after_a_crash_gives_no_new_ids(spec: Any, data: st.DataObject) -> None:
    events = build_stream(spec)
    once = run(events, {})
    assert len(once) == len(set(once)), "an alert id was published twice in a clean run"

    crash_at = data.draw(st.integers(1, len(events)), label="crash after")
    resume_from = data.draw(st.integers(0, crash_at - 1), label="last committed offset")
    store: dict[str, Any] = {}
    before = run(events[:crash_at], store)
    after = run(events[resume_from:], store)
    assert set(before) | set(after) == set(once)
