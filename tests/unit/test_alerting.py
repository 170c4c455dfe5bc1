"""The fused story hop: an event the alert stage fails on is dead-lettered alone, like any stage's record."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import faust
import orjson

from streams.alerting import AlertPublisher
from streams.metrics import Metrics
from streams.schemas import StoryEvent
from streams.settings import Settings


class _Topic:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []

    async def send(self, key: bytes | None, value: bytes) -> None:
        self.sent.append((key, value))


async def test_an_event_the_alert_stage_fails_on_goes_to_the_dead_letter_topic_alone(tmp_path):
    settings = Settings(web_enabled=False, data_dir=tmp_path)
    app = faust.App(f"alerting-{tmp_path.name}", broker="kafka://127.0.0.1:1", datadir=str(tmp_path))
    app.newsstream_metrics = Metrics()
    dlq = _Topic()
    topics = SimpleNamespace(dlq=dlq, names=SimpleNamespace(stories="news.stories"))
    publisher = AlertPublisher(app, topics, settings)

    def broken(event: StoryEvent) -> list:
        raise ValueError("rule engine bug")

    publisher._stage = broken
    moment = datetime(2025, 4, 26, tzinfo=UTC)
    event = StoryEvent(
        kind="created",
        story_id="story-1",
        headline="h",
        article_ids=["a1"],
        sources=["s"],
        first_seen=moment,
        last_seen=moment,
    )
    assert await publisher.evaluate_isolated(event) == []
    [(key, value)] = dlq.sent
    letter = orjson.loads(value)
    assert key == b"story-1"
    assert (letter["stage"], letter["reason"], letter["topic"]) == ("alerts", "stage_error", "news.stories")
    assert orjson.loads(letter["original"])["story_id"] == "story-1"
    assert b'newsstream_dead_letters_total{reason="stage_error",stage="alerts"} 1.0' in (
        app.newsstream_metrics.render().encode()
    )
