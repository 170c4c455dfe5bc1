"""Burst rules: z-score of a mention count against the subject's own past windows, once per episode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agents.alerts import AlertEngine, AlertOptions, BurstSpec, RuleSet, alert_id
from agents.alerts import burst as bursts
from agents.alerts.views import epoch
from tests.unit.alerts.factories import GAZETTEER, T0, StoryBuilder, article

ENTITY_BURST = (
    "rules:\n  - {name: ru, severity: high, "
    "burst: {entity: Russia, window: 1h, baseline: 6h, z: 3, min_count: 5, warmup: 0}}"
)


def make_engine(rules: str, store: dict[str, Any] | None = None) -> AlertEngine:
    return AlertEngine(RuleSet.parse(rules), {} if store is None else store, GAZETTEER.get, AlertOptions())


def feed_baseline(alerts_engine: AlertEngine) -> None:
    """One mention of Russia per hour for six hours, each in its own story: mean 1, sd 0."""
    for hour in range(6):
        story = StoryBuilder(f"quiet{hour}")
        item = article(f"q{hour}", "x", hour * 60, ("Q159",))
        assert alerts_engine.evaluate(story.add(item), item) == []


def test_entity_burst_fires_once_when_count_and_z_cross_and_escalates_when_z_doubles() -> None:
    alerts_engine = make_engine(ENTITY_BURST)
    feed_baseline(alerts_engine)
    story = StoryBuilder("hot")
    fired: list[tuple[int, list[int]]] = []
    for index in range(7):
        item = article(f"h{index}", f"src{index}", 6 * 60 + 30 + index, ("Q159",))
        fired.append((index + 1, [a.level for a in alerts_engine.evaluate(story.add(item), item)]))
    # z = (count - 1) / 1: level 1 needs count >= 5 (z 4 >= 3), level 2 needs z >= 6 (count 7).
    assert [(count, levels) for count, levels in fired if levels] == [(5, [1]), (7, [2])]


def test_entity_burst_reason_and_id_name_the_episode() -> None:
    alerts_engine = make_engine(ENTITY_BURST)
    feed_baseline(alerts_engine)
    story = StoryBuilder("hot")
    alerts = []
    for index in range(5):
        item = article(f"h{index}", "src", 6 * 60 + 30 + index, ("Q159",))
        alerts += alerts_engine.evaluate(story.add(item), item)
    (alert,) = alerts
    assert "mentions of Russia" in alert.reason
    assert "5 in the last 1h" in alert.reason and "1.0 ± 0.0" in alert.reason and "z = 4.0" in alert.reason
    slot = bursts.slot_of(
        BurstSpec("Russia", timedelta(hours=1), timedelta(hours=6)), epoch(story.articles[-1].event_time)
    )
    assert alert.id == alert_id("ru", f"Q159@{slot}", 1)
    assert alert.story_id == "hot"


def test_entity_burst_does_not_refire_in_other_stories_of_the_same_episode_but_does_after_quiet() -> None:
    alerts_engine = make_engine(ENTITY_BURST)
    feed_baseline(alerts_engine)
    fired = []
    for index in range(6):
        story = StoryBuilder(f"s{index}")
        item = article(f"h{index}", "src", 6 * 60 + 30 + index, ("Q159",))
        fired += alerts_engine.evaluate(story.add(item), item)
    assert len(fired) == 1
    # two quiet hours, then a new, sharper burst: a new episode with a new id
    later = []
    for index in range(12):
        story = StoryBuilder(f"t{index}")
        item = article(f"k{index}", "src", 9 * 60 + 30 + index, ("Q159",))
        later += alerts_engine.evaluate(story.add(item), item)
    assert later and later[0].level == 1
    assert later[0].id != fired[0].id


def test_articles_not_mentioning_the_entity_neither_count_nor_fire() -> None:
    alerts_engine = make_engine(ENTITY_BURST)
    feed_baseline(alerts_engine)
    story = StoryBuilder("other")
    for index in range(10):
        item = article(f"o{index}", "src", 6 * 60 + 30 + index, ("Q423",))
        assert alerts_engine.evaluate(story.add(item), item) == []


def test_redelivered_and_duplicate_articles_do_not_count_twice() -> None:
    alerts_engine = make_engine(ENTITY_BURST)
    feed_baseline(alerts_engine)
    story = StoryBuilder("hot")
    for index in range(4):
        item = article(f"h{index}", "src", 6 * 60 + 30 + index, ("Q159",))
        view = story.add(item)
        for _ in range(3):
            assert alerts_engine.evaluate(view, item) == []
    copy = article("copy", "other", 6 * 60 + 40, ("Q159",), duplicate_of="h0")
    assert alerts_engine.evaluate(story.add(copy), copy) == []
    fifth = article("h4", "src", 6 * 60 + 41, ("Q159",))
    assert [a.level for a in alerts_engine.evaluate(story.add(fifth), fifth)] == [1]


def test_no_burst_fires_during_warmup() -> None:
    def run(burst_extra: str) -> int:
        burst = f"{{entity: Russia, window: 1h, baseline: 6h, min_count: 2{burst_extra}}}"
        rules = f"rules:\n  - {{name: ru, burst: {burst}}}"
        alerts_engine = make_engine(rules)
        story = StoryBuilder("s")
        fired = 0
        for index in range(20):
            item = article(f"a{index}", "src", index, ("Q159",))
            fired += len(alerts_engine.evaluate(story.add(item), item))
        return fired

    assert run("") == 0
    assert run(", warmup: 0") >= 1


def test_story_burst_fires_once_per_story() -> None:
    burst = "{story: true, window: 30m, baseline: 3h, z: 3, min_count: 4, warmup: 0}"
    rules = f"rules:\n  - {{name: hot, burst: {burst}}}"
    alerts_engine = make_engine(rules)
    story = StoryBuilder("s")
    for step in range(6):
        item = article(f"slow{step}", "src", step * 30)
        assert alerts_engine.evaluate(story.add(item), item) == []
    fired = []
    for index in range(5):
        item = article(f"fast{index}", "src", 6 * 30 + 5 + index)
        fired += [(index, a) for a in alerts_engine.evaluate(story.add(item), item)]
    assert [(index, a.level) for index, a in fired] == [(3, 1)]
    assert "articles in this story: 4 in the last 30m" in fired[0][1].reason


def test_reading_uses_only_windows_after_the_first_event() -> None:
    spec = BurstSpec(entity="x", window=timedelta(hours=1), baseline=timedelta(hours=24))
    slots: dict[str, Any] = {}
    start = epoch(T0)
    for minute in range(0, 120, 10):
        bursts.add_mention(slots, spec, start + minute * 60, start + minute * 60)
    reading = bursts.read(slots, spec, start + 119 * 60, first_seen=start)
    assert reading.windows == 1
    assert reading.count == 6 and reading.mean == 6.0


def test_burst_slots_stay_bounded() -> None:
    spec = BurstSpec(entity="x", window=timedelta(hours=1), baseline=timedelta(hours=6))
    slots: dict[str, Any] = {}
    start = epoch(T0)
    for minute in range(0, 100 * 60, 7):
        when = start + minute * 60
        bursts.add_mention(slots, spec, when, when)
    assert len(slots) <= bursts.SLOTS_PER_WINDOW * (6 + 1)
    newest = max(int(key) for key in slots)
    assert min(int(key) for key in slots) > newest - bursts.SLOTS_PER_WINDOW * 7
