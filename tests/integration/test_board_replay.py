"""The web board reads back only the latest records of news.stories, not the topic's whole history."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer

from streams import codec
from streams.board import StoryBoard
from streams.schemas import StoryEvent
from streams.settings import Settings
from streams.web import BoardFeeder

pytestmark = pytest.mark.broker

T0 = datetime(2025, 4, 28, 9, tzinfo=UTC)


def _event(story: int) -> StoryEvent:
    return StoryEvent(
        kind="created",
        story_id=f"story-{story}",
        headline=f"headline {story}",
        article_ids=[f"a{story}"],
        sources=["s"],
        first_seen=T0,
        last_seen=T0 + timedelta(minutes=story),
    )


async def test_board_replays_only_the_last_records_of_each_partition(broker):
    prefix = "replay"
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=5)
    await producer.start()
    try:
        sent = [
            await producer.send(f"{prefix}.stories", codec.dumps(_event(story)), key=b"stories", partition=0)
            for story in range(60)
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    board = StoryBoard()
    settings = Settings(topic_prefix=prefix, board_replay_records=10, data_dir="/tmp/unused")
    feeder = BoardFeeder(settings, broker.url, board)
    await feeder.start()
    try:
        for _ in range(200):
            if board.story("story-59") is not None:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # anything older would have been read before the newest
    finally:
        await feeder.stop()
    held = {story["story_id"] for story in board.stories(limit=100)["stories"]}
    assert "story-59" in held and "story-0" not in held
    # exactly the last ten: the local broker's under-reported end offset is corrected first
    assert held == {f"story-{story}" for story in range(50, 60)}
