"""The issue's two rules on the seed pages, with stories as the clustering forms them.

The three April pages (three outlets, one day) are one story; the March and December pages are stories of
their own. Expected: one ``breaking`` alert (the April story reaching its third outlet) and one
``nk-russia-watch`` alert per story, since all three stories name both countries. Replaying everything
(a redelivery after a crash) must not produce any new id.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from agents.alerts import AlertEngine, ArticleView, RuleSet, StoryView
from tests.unit.alerts.test_rules import ISSUE_RULES

GAZETTEER = {"North Korea": "Q423", "Russia": "Q159"}
NAMES = {"Q423": "كوريا الشمالية", "Q159": "روسيا", "Q212": "أوكرانيا", "Q7747": "فلاديمير بوتين"}
# What clustering and tagging give for the five seed pages (read by hand): the story each page belongs
# to and the entities it names. Every page names both countries (كوريا الشمالية, روسيا) many times.
SEED_STORIES = {
    "c20406b8055dfd68": ("kim-shoigu-2025-03", ("Q423", "Q159", "Q212")),
    "678e11cc5c7d2d00": ("kursk-thanks-2025-04", ("Q7747", "Q423", "Q159", "Q212")),
    "0b0892e8255b9e3f": ("kursk-thanks-2025-04", ("Q423", "Q159", "Q212", "Q7747")),
    "39423b2dfda8c3a7": ("kursk-thanks-2025-04", ("Q7747", "Q423", "Q159")),
    "f822dac4814519d8": ("kim-new-year-letter-2025-12", ("Q423", "Q159", "Q212", "Q7747")),
}


def seed_events(seeds_path: Path) -> list[tuple[StoryView, ArticleView]]:
    stories: dict[str, list[ArticleView]] = {}
    events: list[tuple[StoryView, ArticleView]] = []
    for line in seeds_path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        label, entity_ids = SEED_STORIES[raw["id"]]
        lines = [text.strip() for text in raw["text"].splitlines() if text.strip()]
        view = ArticleView(
            article_id=raw["id"],
            source=raw["source"],
            language="ar",
            title=max(lines[:12], key=len)[:200],
            text=raw["text"],
            entity_ids=entity_ids,
            event_time=datetime.fromisoformat(raw["fetched_at"].replace("Z", "+00:00")),
        )
        members = stories.setdefault(label, [])
        members.append(view)
        events.append((story_view(label, members), view))
    return events


def story_view(label: str, members: list[ArticleView]) -> StoryView:
    counts: dict[str, int] = {}
    first: dict[str, datetime] = {}
    for view in members:
        for entity_id in view.entity_ids:
            counts[entity_id] = counts.get(entity_id, 0) + 1
        first[view.source] = min(first.get(view.source, view.event_time), view.event_time)
    times = [view.event_time for view in members]
    return StoryView(
        kind="created" if len(members) == 1 else "grew",
        story_id=f"story-{label}",
        headline=members[0].title,
        article_ids=tuple(view.article_id for view in members),
        sources=tuple(first),
        entities=tuple((entity_id, NAMES[entity_id], count) for entity_id, count in counts.items()),
        languages=("ar",),
        first_seen=min(times),
        last_seen=max(times),
        source_times=tuple(first.items()),
    )


def test_seeds_give_one_breaking_and_one_watch_alert_per_story(seeds_path: Path) -> None:
    store: dict[str, Any] = {}
    alerts_engine = AlertEngine(RuleSet.parse(ISSUE_RULES), store, GAZETTEER.get)
    events = seed_events(seeds_path)
    alerts = [alert for story, article in events for alert in alerts_engine.evaluate(story, article)]

    breaking = [a for a in alerts if a.rule == "breaking"]
    assert len(breaking) == 1
    assert breaking[0].story_id == "story-kursk-thanks-2025-04"
    assert breaking[0].article_ids == ["678e11cc5c7d2d00", "0b0892e8255b9e3f", "39423b2dfda8c3a7"]
    assert breaking[0].created_at.isoformat() == "2025-04-28T13:40:00+00:00"
    # site-a at 09:30, site-c at 13:40: the three outlets picked the story up within 4h10m
    assert "3 distinct sources (site-a, site-b, site-c) within 24h, first articles 4h10m apart" in (
        breaking[0].reason
    )

    watch = [a for a in alerts if a.rule == "nk-russia-watch"]
    assert sorted(a.story_id for a in watch) == [
        "story-kim-new-year-letter-2025-12",
        "story-kim-shoigu-2025-03",
        "story-kursk-thanks-2025-04",
    ]
    assert all(a.severity == "high" and a.level == 1 for a in watch)
    assert len(alerts) == 4

    replayed = AlertEngine(RuleSet.parse(ISSUE_RULES), store, GAZETTEER.get)
    again = [alert for story, article in events for alert in replayed.evaluate(story, article)]
    assert {a.id for a in again} <= {a.id for a in alerts}
    assert sorted(a.to_dict()["id"] for a in again) == sorted(a.id for a in alerts)


def test_keyword_rule_on_the_real_seed_text(seeds_path: Path) -> None:
    """كورسك appears in the April pages and the December letter, never in the March page."""
    rules = RuleSet.parse("rules:\n  - {name: kursk, keywords: [كورسك]}")
    alerts_engine = AlertEngine(rules, {}, GAZETTEER.get)
    alerts = [a for story, item in seed_events(seeds_path) for a in alerts_engine.evaluate(story, item)]
    assert sorted(a.story_id for a in alerts) == [
        "story-kim-new-year-letter-2025-12",
        "story-kursk-thanks-2025-04",
    ]
    april = next(a for a in alerts if a.story_id == "story-kursk-thanks-2025-04")
    assert april.article_ids == ["678e11cc5c7d2d00"]
