from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.board import StoryBoard
from streams.metrics import Metrics
from streams.schemas import Alert, EntityCount, StoryEvent

T0 = datetime(2025, 4, 28, 9, tzinfo=UTC)


def event(kind: str, story_id: str, articles: int, minutes: int = 0, **extra) -> StoryEvent:
    return StoryEvent(
        kind=kind,
        story_id=story_id,
        headline=f"headline {story_id}",
        article_ids=[f"{story_id}-a{i}" for i in range(articles)],
        sources=[f"s{i}" for i in range(articles)],
        entities=[EntityCount(id="Q423", name="North Korea", type="LOCATION", count=articles)],
        languages=["ar"],
        first_seen=T0,
        last_seen=T0 + timedelta(minutes=minutes),
        growth_rate=float(articles),
        **extra,
    )


def test_board_keeps_latest_summary_and_timeline_and_sorts_by_growth():
    board = StoryBoard()
    board.on_story_event(event("created", "s1", 1))
    board.on_story_event(event("grew", "s1", 3, minutes=5))
    board.on_story_event(event("created", "s2", 2))
    listing = board.stories()
    assert [s["story_id"] for s in listing["stories"]] == ["s1", "s2"]
    detail = board.story("s1")
    assert detail is not None and detail["size"] == 3
    assert [p["articles"] for p in detail["timeline"]] == [1, 3]
    assert board.entity("Q423")["name"] == "North Korea"


def test_merged_ids_follow_the_survivor_and_expired_stories_leave():
    board = StoryBoard()
    board.on_story_event(event("created", "a", 1))
    board.on_story_event(event("created", "b", 1))
    board.on_story_event(event("merged", "a", 2, merged_ids=["b"]))
    assert board.story("b")["story_id"] == "a"
    assert board.stories()["total"] == 1
    board.on_story_event(event("expired", "a", 2))
    assert board.story("a") is None and board.stories()["total"] == 0


def test_board_is_bounded():
    board = StoryBoard(max_stories=3, max_alerts=2, timeline_length=2)
    for index in range(10):
        board.on_story_event(event("created", f"s{index}", 1))
    assert board.sizes()["stories"] == 3
    for minute in range(5):
        board.on_story_event(event("grew", "s9", 2, minutes=minute))
    assert len(board.story("s9")["timeline"]) == 2
    for index in range(5):
        board.on_alert(
            Alert(
                id=f"al{index}",
                rule="r",
                severity="high",
                story_id="s9",
                article_ids=[],
                headline="h",
                reason="why",
                created_at=T0,
            )
        )
    assert [a["id"] for a in board.alerts()] == ["al4", "al3"]


def test_alert_filters_and_redelivered_alert_is_kept_once():
    board = StoryBoard()
    for rule, severity in (("a", "high"), ("b", "critical"), ("a", "high")):
        board.on_alert(
            Alert(
                id=f"{rule}-{severity}",
                rule=rule,
                severity=severity,
                story_id="s",
                article_ids=[],
                headline="h",
                reason="r",
                created_at=T0,
            )
        )
    assert len(board.alerts()) == 2
    assert [a["rule"] for a in board.alerts(severity="critical")] == ["b"]


def test_metrics_render_prometheus_text():
    metrics = Metrics()
    metrics.inc("newsstream_records_total", stage="clean")
    metrics.inc("newsstream_records_total", stage="clean")
    metrics.inc("newsstream_dead_letters_total", stage="clean", reason='bad "json"')
    metrics.observe("newsstream_stage_seconds", 0.02, stage="clean")
    metrics.observe("newsstream_stage_seconds", 3.0, stage="clean")
    metrics.gauge("newsstream_board_size", lambda: {(("kind", "stories"),): 4})
    text = metrics.render()
    assert 'newsstream_records_total{stage="clean"} 2.0' in text
    assert 'reason="bad \\"json\\""' in text
    assert 'newsstream_stage_seconds_bucket{stage="clean",le="0.025"} 1' in text
    assert 'newsstream_stage_seconds_bucket{stage="clean",le="+Inf"} 2' in text
    assert 'newsstream_stage_seconds_count{stage="clean"} 2' in text
    assert 'newsstream_board_size{kind="stories"} 4' in text
    assert "# TYPE newsstream_stage_seconds histogram" in text
