"""Publishing alerts: the alert stage over its table, with the topics and sinks its alerts go to.

Shared by the alert agent (``NEWSSTREAM_FUSE_STAGES=false``: it consumes news.stories) and the story agent
(fused, the default: each story event's alerts are raised in the same hop).
"""

from __future__ import annotations

import logging
from typing import Any

from agents.errors import BadArticle
from streams import codec
from streams.agent_runtime import publish_dead_letter, record_latency, table
from streams.schemas import Alert, StoryEvent
from streams.settings import Settings
from streams.sinks import sinks_from_settings
from streams.stages import AlertStage
from streams.state import batched_writes

log = logging.getLogger(__name__)


class AlertPublisher:
    """The alert stage over its table, with the topics and sinks its alerts go to."""

    def __init__(self, app: Any, topics: Any, settings: Settings, batched: bool = False) -> None:
        """``batched``: the caller processes records in batches and flushes ``self.batched`` per batch
        (see ``consume_batches``); otherwise every state write goes to the table at once."""
        self._app = app
        self._topics = topics
        state = table(app, "alert_state", settings)
        self.batched = batched_writes(app, state) if batched else None
        self._stage = AlertStage(settings, self.batched if self.batched is not None else state)
        self._sinks = sinks_from_settings(settings)

    async def start(self) -> None:
        for sink in self._sinks:
            await sink.start()

    async def stop(self) -> None:
        for sink in self._sinks:
            await sink.stop()

    def evaluate(self, story_event: StoryEvent) -> list[Alert]:
        """Alerts for one event; their state is written to the table (not yet flushed)."""
        alerts = self._stage(story_event)
        for alert in alerts:
            alert.ingested_at = story_event.ingested_at
        return alerts

    async def evaluate_isolated(self, story_event: StoryEvent) -> list[Alert]:
        """``evaluate`` for the fused hop: an event the alert stage cannot handle goes to the dead-letter
        topic on its own (stage ``alerts``), so the article and its story events still go through."""
        try:
            return self.evaluate(story_event)
        except Exception as exc:
            error = (
                exc if isinstance(exc, BadArticle) else BadArticle("stage_error", f"alerts failed: {exc!r}")
            )
            log.exception("alert evaluation failed", extra={"story_id": story_event.story_id})
            await publish_dead_letter(
                self._topics.dlq,
                error,
                codec.dumps(story_event),
                stage="alerts",
                key=story_event.story_id.encode(),
                metrics=getattr(self._app, "newsstream_metrics", None),
                topic=self._topics.names.stories,
            )
            return []

    async def publish(self, alerts: list[Alert]) -> None:
        """Send alerts whose state is already durable (the caller flushed the producer)."""
        for alert in alerts:
            record_latency(self._app, "alerts", alert.ingested_at)
            payload = codec.dumps(alert)
            await self._topics.alerts.send(key=alert.id.encode(), value=payload)
            if alert.topic:
                await self._topics.alert_topic(alert.topic).send(key=alert.id.encode(), value=payload)
            for sink in self._sinks:  # never blocks: the sinks queue and deliver in the background
                sink.submit(alert)
