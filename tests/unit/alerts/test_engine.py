"""Evaluation of each rule kind, windows, once-per-story, escalation, merges and idempotent ids."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.alerts import (
    AlertEngine,
    AlertOptions,
    BurstSpec,
    ReloadingRules,
    Rule,
    RuleSet,
    StoryView,
    alert_id,
)
from agents.errors import BadArticle, ConfigError
from tests.unit.alerts.factories import GAZETTEER, T0, StoryBuilder, article


def engine(rules_yaml: str, store: dict[str, Any] | None = None, **options: Any) -> AlertEngine:
    return AlertEngine(
        RuleSet.parse(rules_yaml, "rules.yaml"),
        {} if store is None else store,
        resolve_entity=GAZETTEER.get,
        options=AlertOptions(**options),
    )


NK_RU = "rules:\n  - {name: nk, entities: [North Korea, Russia], severity: high}"
BREAKING = "rules:\n  - {name: breaking, min_sources: 3, window: 24h, severity: critical, topic: true}"


def test_entity_rule_fires_when_the_story_first_names_all_entities_and_not_again() -> None:
    alerts_engine = engine(NK_RU)
    story = StoryBuilder("s1")
    first = alerts_engine.evaluate(story.add(article("a1", "site-a", 0, ("Q423",))), story.articles[-1])
    assert first == []
    fired = alerts_engine.evaluate(story.add(article("a2", "site-a", 5, ("Q159",))), story.articles[-1])
    assert [a.rule for a in fired] == ["nk"]
    alert = fired[0]
    assert alert.severity == "high" and alert.level == 1
    assert alert.story_id == "s1" and alert.article_ids == ["a1", "a2"]
    assert alert.created_at == T0 + timedelta(minutes=5)
    assert set(alert.entities[:2]) == {"كوريا الشمالية", "روسيا"}
    assert "North Korea" in alert.reason and "Russia" in alert.reason
    assert alert.id == alert_id("nk", "s1", 1)
    later = alerts_engine.evaluate(
        story.add(article("a3", "site-a", 9, ("Q423", "Q159"))), story.articles[-1]
    )
    assert later == []


def test_entities_match_by_wikidata_id_and_by_name_when_unresolved() -> None:
    rules = "rules:\n  - {name: ids, entities: [Q423]}\n  - {name: byname, entities: [أوكرانيا]}"
    alerts_engine = AlertEngine(RuleSet.parse(rules), {}, resolve_entity=lambda name: None)
    story = StoryBuilder("s1")
    fired = alerts_engine.evaluate(story.add(article("a1", "x", 0, ("Q423", "Q212"))), story.articles[-1])
    assert sorted(a.rule for a in fired) == ["byname", "ids"]


def test_any_entities_needs_one_of_them() -> None:
    alerts_engine = engine("rules:\n  - {name: any, any_entities: [Ukraine, Q7747]}")
    story = StoryBuilder("s1")
    assert alerts_engine.evaluate(story.add(article("a1", "x", 0, ("Q423",))), story.articles[-1]) == []
    fired = alerts_engine.evaluate(story.add(article("a2", "x", 1, ("Q212",))), story.articles[-1])
    assert [a.rule for a in fired] == ["any"]
    assert "Ukraine" in fired[0].reason and "any of 2" in fired[0].reason


def test_keywords_accumulate_per_story_with_arabic_clitics() -> None:
    alerts_engine = engine(
        "rules:\n  - {name: kw, keywords: [كورسك], severity: low}\n  - {name: en, keywords: [Kursk]}"
    )
    story = StoryBuilder("s1")
    fired = alerts_engine.evaluate(
        story.add(article("a1", "x", 0, text="أشاد بوتين بالجنود في معركة وكورسك")), story.articles[-1]
    )
    assert [a.rule for a in fired] == ["kw"]
    assert "'كورسك'" in fired[0].reason
    fired = alerts_engine.evaluate(
        story.add(article("a2", "y", 1, title="Battle of KURSK")), story.articles[-1]
    )
    assert [a.rule for a in fired] == ["en"]
    assert alerts_engine.evaluate(story.add(article("a3", "z", 2, text="كورسك")), story.articles[-1]) == []


def test_keywords_do_not_match_inside_longer_words() -> None:
    alerts_engine = engine("rules:\n  - {name: kw, keywords: [روس]}")
    story = StoryBuilder("s1")
    assert (
        alerts_engine.evaluate(story.add(article("a1", "x", 0, text="روسيا والروسية")), story.articles[-1])
        == []
    )


def test_languages_and_sources_filters() -> None:
    rules = "rules:\n  - {name: fa, languages: [fa]}\n  - {name: wire, sources: [Site-B]}"
    alerts_engine = engine(rules)
    story = StoryBuilder("s1")
    assert alerts_engine.evaluate(story.add(article("a1", "site-a", 0)), story.articles[-1]) == []
    fired = alerts_engine.evaluate(story.add(article("a2", "site-b", 1, language="fa")), story.articles[-1])
    assert sorted(a.rule for a in fired) == ["fa", "wire"]


def test_min_sources_fires_once_when_the_third_source_arrives_within_the_window() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("april")
    outputs = []
    for article_id, source, minutes in [
        ("a", "site-a", 0),
        ("b", "site-b", 95),
        ("a2", "site-a", 100),
        ("c", "site-c", 250),
        ("d", "site-c", 300),
    ]:
        outputs.append(
            alerts_engine.evaluate(story.add(article(article_id, source, minutes)), story.articles[-1])
        )
    assert [len(out) for out in outputs] == [0, 0, 0, 1, 0]
    alert = outputs[3][0]
    assert alert.topic == "breaking" and alert.severity == "critical"
    assert "3 distinct sources (site-a, site-b, site-c) within 24h" in alert.reason
    assert alert.created_at == T0 + timedelta(minutes=250)


def test_min_sources_window_uses_event_time_of_each_source_first_article() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("slow")
    for article_id, source, hours in [("a", "s1", 0), ("b", "s2", 20), ("c", "s3", 30)]:
        assert (
            alerts_engine.evaluate(story.add(article(article_id, source, hours * 60)), story.articles[-1])
            == []
        )
    fired = alerts_engine.evaluate(story.add(article("d", "s4", 40 * 60)), story.articles[-1])
    assert len(fired) == 1
    assert "(s2, s3, s4)" in fired[0].reason


def test_min_sources_without_window_counts_the_whole_story_and_escalates_on_doubling() -> None:
    alerts_engine = engine("rules:\n  - {name: wide, min_sources: 2}")
    story = StoryBuilder("s")
    levels = []
    for index in range(9):
        fired = alerts_engine.evaluate(
            story.add(article(f"a{index}", f"src{index}", index * 600)), story.articles[-1]
        )
        levels.append([a.level for a in fired])
    assert levels == [[], [1], [], [2], [], [], [], [3], []]


def test_min_articles_window() -> None:
    alerts_engine = engine("rules:\n  - {name: busy, min_articles: 3, window: 1h, escalate: false}")
    story = StoryBuilder("s")
    fired_at = []
    for index, minutes in enumerate([0, 50, 110, 130, 140, 145, 150, 155]):
        out = alerts_engine.evaluate(story.add(article(f"a{index}", "same", minutes)), story.articles[-1])
        fired_at.extend(minutes for _ in out)
    assert fired_at == [140]  # 110, 130, 140 is the first trio inside one hour


def test_escalation_of_a_breaking_story_gives_a_new_id_per_level_and_never_a_second_for_a_level() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("big")
    fired = []
    for index in range(13):
        fired += alerts_engine.evaluate(
            story.add(article(f"a{index}", f"src{index}", index)), story.articles[-1]
        )
        fired += alerts_engine.evaluate(
            story.add(article(f"b{index}", f"src{index}", index)), story.articles[-1]
        )
    assert [(a.level, len(a.sources)) for a in fired] == [(1, 3), (2, 6), (3, 12)]
    assert len({a.id for a in fired}) == 3
    assert fired[1].reason.startswith("Escalated to level 2 (was 1).")


def test_entity_rule_escalates_when_sources_reach_the_base_ladder_and_not_for_same_source_copies() -> None:
    alerts_engine = engine(NK_RU)
    story = StoryBuilder("s")
    levels = []
    for index, source in enumerate(["a", "a", "a", "b", "c", "c", "d", "e", "f", "g", "h"]):
        out = alerts_engine.evaluate(
            story.add(article(f"x{index}", source, index, ("Q423", "Q159"))), story.articles[-1]
        )
        levels.append([a.level for a in out])
    assert levels == [[1], [], [], [], [], [], [2], [], [], [], [3]]


def test_escalate_false_fires_only_level_one() -> None:
    alerts_engine = engine("rules:\n  - {name: once, min_sources: 1, escalate: false}")
    story = StoryBuilder("s")
    fired = [
        a
        for i in range(10)
        for a in alerts_engine.evaluate(story.add(article(f"a{i}", f"s{i}", i)), story.articles[-1])
    ]
    assert [a.level for a in fired] == [1]


def test_max_level_caps_escalation() -> None:
    alerts_engine = engine("rules:\n  - {name: wide, min_sources: 1}", max_level=2)
    story = StoryBuilder("s")
    fired = [
        a
        for i in range(10)
        for a in alerts_engine.evaluate(story.add(article(f"a{i}", f"s{i}", i)), story.articles[-1])
    ]
    assert [a.level for a in fired] == [1, 2]


def test_redelivery_returns_the_same_alert_and_never_a_new_id() -> None:
    store: dict[str, Any] = {}
    alerts_engine = engine(NK_RU + "\n  - {name: breaking, min_sources: 2, window: 24h}", store)
    story = StoryBuilder("s")
    view1 = story.add(article("a1", "x", 0, ("Q423", "Q159")))
    first = alerts_engine.evaluate(view1, story.articles[-1])
    view2 = story.add(article("a2", "y", 3))
    second = alerts_engine.evaluate(view2, story.articles[-1])
    assert [a.rule for a in first] == ["nk"] and [a.rule for a in second] == ["breaking"]

    restarted = engine(NK_RU + "\n  - {name: breaking, min_sources: 2, window: 24h}", store)
    assert [a.to_dict() for a in restarted.evaluate(view1, story.articles[0])] == [a.to_dict() for a in first]
    assert [a.to_dict() for a in restarted.evaluate(view2, story.articles[1])] == [
        a.to_dict() for a in second
    ]
    assert restarted.evaluate(view2, story.articles[1])[0].id == second[0].id
    view3 = story.add(article("a3", "z", 4))
    assert restarted.evaluate(view3, story.articles[-1]) == []


def test_redelivery_does_not_double_article_counts() -> None:
    alerts_engine = engine("rules:\n  - {name: busy, min_articles: 3, window: 1h}")
    story = StoryBuilder("s")
    view = story.add(article("a1", "x", 0))
    for _ in range(5):
        assert alerts_engine.evaluate(view, story.articles[-1]) == []
    story.add(article("a2", "x", 1))
    assert alerts_engine.evaluate(story.view("grew"), story.articles[-1]) == []


def test_merge_carries_fired_state_to_the_survivor() -> None:
    store: dict[str, Any] = {}
    alerts_engine = engine(NK_RU, store)
    left, right = StoryBuilder("left"), StoryBuilder("right")
    fired = alerts_engine.evaluate(left.add(article("l1", "a", 0, ("Q423", "Q159"))), left.articles[-1])
    assert len(fired) == 1
    assert alerts_engine.evaluate(right.add(article("r1", "b", 1, ("Q423",))), right.articles[-1]) == []
    right.articles = left.articles + right.articles
    merged = right.view("merged", merged_ids=("left",))
    assert alerts_engine.evaluate(merged, None) == []
    assert store["story:left"]["merged_into"] == "right"
    more = [article(f"m{i}", f"src{i}", 10 + i, ("Q423", "Q159")) for i in range(2)]
    out = []
    for item in more:
        out += alerts_engine.evaluate(right.add(item), item)
    assert [(a.level, a.id) for a in out] == [(2, alert_id("nk", "left", 2))]


def test_merge_can_make_a_story_cross_a_threshold() -> None:
    alerts_engine = engine(BREAKING)
    left, right = StoryBuilder("left"), StoryBuilder("right")
    alerts_engine.evaluate(left.add(article("l1", "a", 0)), left.articles[-1])
    alerts_engine.evaluate(left.add(article("l2", "b", 1)), left.articles[-1])
    alerts_engine.evaluate(right.add(article("r1", "c", 2)), right.articles[-1])
    right.articles = left.articles + right.articles
    fired = alerts_engine.evaluate(right.view("merged", ("left",)), None)
    assert [(a.rule, a.story_id) for a in fired] == [("breaking", "right")]


def test_expired_story_state_is_dropped() -> None:
    store: dict[str, Any] = {}
    alerts_engine = engine(NK_RU, store)
    story = StoryBuilder("s")
    alerts_engine.evaluate(story.add(article("a", "x", 0, ("Q423", "Q159"))), story.articles[-1])
    assert "story:s" in store
    assert alerts_engine.evaluate(story.view("expired"), None) == []
    assert "story:s" not in store


def test_disabled_rules_never_fire_and_rules_can_be_replaced() -> None:
    alerts_engine = engine("rules:\n  - {name: disabled, min_sources: 1, enabled: false}")
    story = StoryBuilder("s")
    assert alerts_engine.evaluate(story.add(article("a", "x", 0)), story.articles[-1]) == []
    alerts_engine.set_rules(RuleSet.parse("rules:\n  - {name: enabled-rule, min_sources: 1}"))
    assert [a.rule for a in alerts_engine.evaluate(story.add(article("b", "x", 1)), story.articles[-1])] == [
        "enabled-rule"
    ]


def test_alert_round_trips_through_its_dict() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("s")
    fired = [
        a
        for i in range(3)
        for a in alerts_engine.evaluate(story.add(article(f"a{i}", f"s{i}", i)), story.articles[-1])
    ]
    record = fired[0].to_dict()
    assert type(fired[0]).from_dict(record) == fired[0]
    assert record["created_at"].endswith("+00:00")


def test_alert_ids_depend_on_rule_anchor_and_level_only() -> None:
    assert alert_id("r", "s", 1) == alert_id("r", "s", 1)
    assert (
        len({alert_id("r", "s", 1), alert_id("r", "s", 2), alert_id("q", "s", 1), alert_id("r", "t", 1)}) == 4
    )


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_level", 0),
        ("story_ttl", timedelta(seconds=1)),
        ("escalation_base", 0),
        ("max_tracked_articles", 5),
        ("index_bucket", timedelta(days=30)),
        ("max_level", True),
    ],
)
def test_options_are_validated_with_the_option_name(option: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"alert option {option}"):
        AlertOptions(**{option: value})


def test_unknown_gazetteer_name_is_warned_once(caplog: pytest.LogCaptureFixture) -> None:
    rules = "rules:\n  - {name: a, entities: [Atlantis]}\n  - {name: b, any_entities: [Atlantis]}"
    AlertEngine(RuleSet.parse(rules), {})
    assert sum("Atlantis" in record.message for record in caplog.records) == 1


def test_story_view_without_source_times_falls_back_to_tracked_articles() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("s")
    fired = []
    for i in range(3):
        view = story.add(article(f"a{i}", f"s{i}", i * 60))
        bare = StoryView(**{**{f: getattr(view, f) for f in view.__slots__}, "source_times": ()})
        fired += alerts_engine.evaluate(bare, story.articles[-1])
    assert len(fired) == 1


def test_engine_follows_a_reloading_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {name: first, min_sources: 5}", encoding="utf-8")
    reloading = ReloadingRules(path, check_interval=0)
    alerts_engine = AlertEngine(reloading, {}, GAZETTEER.get)
    story = StoryBuilder("s")
    assert alerts_engine.evaluate(story.add(article("a", "x", 0)), story.articles[-1]) == []
    path.write_text("rules:\n  - {name: second, min_sources: 1}\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fired = alerts_engine.evaluate(story.add(article("b", "y", 1)), story.articles[-1])
    assert [a.rule for a in fired] == ["second"]
    assert [rule.name for rule in alerts_engine.rules] == ["second"]


def test_store_values_stay_json_serialisable() -> None:
    store: dict[str, Any] = {}
    rules = RuleSet.parse(
        """
rules:
  - {name: nk, entities: [North Korea, Russia], topic: true}
  - {name: kw, keywords: [كورسك]}
  - {name: busy, min_articles: 2, window: 1h}
  - {name: ru, burst: {entity: Russia, window: 1h, baseline: 6h, min_count: 1, warmup: 0}}
  - {name: hot, burst: {story: true, window: 1h, baseline: 6h, min_count: 1, warmup: 0}}
"""
    )
    alerts_engine = AlertEngine(rules, store, GAZETTEER.get)
    story = StoryBuilder("s")
    fired = []
    for index in range(6):
        item = article(f"a{index}", f"s{index}", index * 20, ("Q423", "Q159"), text="معركة كورسك")
        fired += alerts_engine.evaluate(story.add(item), item)
    assert {a.rule for a in fired} == {"nk", "kw", "busy", "ru", "hot"}
    for key, value in store.items():
        assert orjson.loads(orjson.dumps(value)) == value, key


def test_out_of_order_articles_count_by_event_time() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("s")
    late_first = [("c", "s3", 60 * 30), ("a", "s1", 0), ("b", "s2", 60 * 23)]
    fired = []
    for article_id, source, minutes in late_first:
        fired += alerts_engine.evaluate(story.add(article(article_id, source, minutes)), story.articles[-1])
    assert fired == []
    fired = alerts_engine.evaluate(story.add(article("d", "s4", 60 * 25)), story.articles[-1])
    assert len(fired) == 1 and "(s2, s4, s3)" in fired[0].reason


def test_an_unknown_story_event_kind_is_a_bad_record() -> None:
    alerts_engine = engine(BREAKING)
    story = StoryBuilder("s")
    story.add(article("a", "x", 0))
    with pytest.raises(BadArticle, match="story event kind 'exploded'"):
        alerts_engine.evaluate(story.view("exploded"), story.articles[-1])


def test_rules_built_in_code_are_validated_too() -> None:
    with pytest.raises(ConfigError, match="rule 'r': field 'severity'"):
        Rule(name="r", severity="urgent")
    with pytest.raises(ConfigError, match="rule 'r': field 'min_sources'"):
        Rule(name="r", min_sources=0)
    with pytest.raises(ConfigError, match="baseline"):
        BurstSpec(entity=None, window=timedelta(hours=1), baseline=timedelta(hours=2))


def test_redelivered_events_of_a_merged_away_story_count_nothing_twice_and_mint_no_id() -> None:
    store: dict[str, Any] = {}
    rules = "rules:\n  - {name: hot, burst: {story: true, window: 1h, baseline: 3h, min_count: 3, warmup: 0}}"
    alerts_engine = engine(rules, store)
    left, right = StoryBuilder("left"), StoryBuilder("right")
    events = [(left.add(article("l1", "a", 0)), left.articles[-1])]
    events.append((right.add(article("r1", "b", 0)), right.articles[-1]))
    right.articles = left.articles + right.articles
    events.append((right.view("merged", ("left",)), None))
    fired = []
    for index in range(2, 6):
        item = article(f"r{index}", "b", index)
        events.append((right.add(item), item))
    for story, item in events:
        fired += alerts_engine.evaluate(story, item)
    assert [a.level for a in fired] == [1, 2]  # z = count with no history: 3 articles, then 6
    replayed = [alert for story, item in events for alert in alerts_engine.evaluate(story, item)]
    assert {a.id for a in replayed} == {a.id for a in fired}
    assert sum(store["story:right"]["burst"]["hot"].values()) == 6


def test_a_dormant_event_after_the_state_aged_out_does_not_fire_again() -> None:
    store: dict[str, Any] = {}
    alerts_engine = engine(NK_RU, store)
    march, april = StoryBuilder("march"), StoryBuilder("april")
    fired = alerts_engine.evaluate(march.add(article("m", "a", 0, ("Q423", "Q159"))), march.articles[-1])
    item = article("p", "b", 37 * 24 * 60, ("Q423",))
    alerts_engine.evaluate(april.add(item), item)
    assert "story:march" not in store, "a month later the March story's state aged out (7d TTL)"
    assert alerts_engine.evaluate(march.view("dormant"), None) == []
    assert "story:march" not in store
    assert len(fired) == 1


def test_language_rule_falls_back_to_the_article_language_when_the_story_lists_none() -> None:
    alerts_engine = engine("rules:\n  - {name: fa, languages: [fa]}")
    story = StoryBuilder("s")
    view = story.add(article("a", "x", 0, language="fa"))
    bare = StoryView(**{**{f: getattr(view, f) for f in view.__slots__}, "languages": ()})
    assert [a.rule for a in alerts_engine.evaluate(bare, story.articles[-1])] == ["fa"]
