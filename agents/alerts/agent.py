"""raise_alerts: news.stories -> news.alerts (+ news.alerts.<topic>), fired state in ``alert_state``."""

from __future__ import annotations

from typing import Any

from streams import codec
from streams.agent_runtime import consume, record_latency, table
from streams.schemas import StoryEvent
from streams.settings import Settings
from streams.sinks import sinks_from_settings
from streams.stages import AlertStage


def register(app: Any, topics: Any, settings: Settings) -> None:
    alert_state = table(app, "alert_state", settings)
    alerts = AlertStage(settings, alert_state)

    sinks = sinks_from_settings(settings)

    @app.agent(topics.stories, name="raise_alerts")
    async def raise_alerts(stream: Any) -> Any:
        for sink in sinks:
            await sink.start()

        async def handle(value: bytes, event: Any) -> None:
            story_event = StoryEvent.model_validate_json(value)
            fired = alerts(story_event)
            if fired:
                # The fired record must be durable before the alert goes out: otherwise a hard kill in
                # between lets the redelivered event (or a merge) fire the same condition again.
                await app.producer.flush()
            for alert in fired:
                alert.ingested_at = story_event.ingested_at
                record_latency(app, "alerts", story_event.ingested_at)
                payload = codec.dumps(alert)
                await topics.alerts.send(key=alert.id.encode(), value=payload)
                if alert.topic:
                    await topics.alert_topic(alert.topic).send(key=alert.id.encode(), value=payload)
                for sink in sinks:  # never blocks: the sinks queue and deliver in the background
                    sink.submit(alert)

        try:
            async for _ in consume(stream, stage="alerts", dlq=topics.dlq, handler=handle):
                yield None
        finally:
            for sink in sinks:
                await sink.stop()
