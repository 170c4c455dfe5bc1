"""raise_alerts: story events -> news.alerts (+ news.alerts.<topic>), fired state in ``alert_state``.

With ``fuse_stages`` (the default) the story agent evaluates the alerts of each event it publishes, in the
same hop (both stages live on the one story shard, so nothing is lost in parallelism). Otherwise this
agent consumes news.stories.
"""

from __future__ import annotations

from typing import Any

from streams.agent_runtime import consume
from streams.alerting import AlertPublisher
from streams.schemas import StoryEvent
from streams.settings import Settings


def register(app: Any, topics: Any, settings: Settings) -> None:
    if settings.fuse_stages:
        return  # the story agent raises the alerts (agents.stories.agent)
    publisher = AlertPublisher(app, topics, settings)

    @app.agent(topics.stories, name="raise_alerts")
    async def raise_alerts(stream: Any) -> Any:
        await publisher.start()

        async def handle(value: bytes, event: Any) -> None:
            fired = publisher.evaluate(StoryEvent.model_validate_json(value))
            if fired:
                # The fired record must be durable before the alert goes out: otherwise a hard kill in
                # between lets the redelivered event (or a merge) fire the same condition again.
                await app.producer.flush()
            await publisher.publish(fired)

        try:
            async for _ in consume(stream, stage="alerts", dlq=topics.dlq, handler=handle):
                yield None
        finally:
            await publisher.stop()
