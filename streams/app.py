"""The Faust app: one worker runs every stage agent, wired through the newsstream topics."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

import faust

from streams.metrics import Metrics
from streams.redelivery import apply_safe_redelivery
from streams.settings import Settings
from streams.topics import TopicNames
from streams.tuning import apply_complete_flush, apply_fetch_wait, apply_true_highwaters
from streams.web import register_web

log = logging.getLogger(__name__)

#: Stage packages whose ``agent.register(app, topics, settings)`` wires them, in pipeline order.
STAGE_AGENTS = ("agents.clean", "agents.dedup", "agents.entities", "agents.stories", "agents.alerts")


@dataclass(frozen=True, slots=True)
class Topics:
    """Faust topic objects for every newsstream topic (raw bytes in and out; we decode with orjson)."""

    names: TopicNames
    raw: Any
    clean: Any
    deduped: Any
    tagged: Any
    stories: Any
    alerts: Any
    dlq: Any
    app: Any

    def alert_topic(self, name: str) -> Any:
        return self.app.topic(
            self.names.alert_topic(name),
            key_serializer="raw",
            value_serializer="raw",
            partitions=self.app.conf.topic_partitions,
        )


def create_app(settings: Settings, broker_url: str, *, agents: tuple[str, ...] = STAGE_AGENTS) -> faust.App:
    """Build the app with every stage agent registered; ``broker_url`` is the resolved broker."""
    apply_fetch_wait(settings.fetch_max_wait_ms)
    apply_complete_flush()
    apply_safe_redelivery()
    if settings.uses_local_broker:
        apply_true_highwaters()
    app = faust.App(settings.app_id, autodiscover=False, **settings.faust_options(broker_url))
    names = TopicNames.for_prefix(settings.topic_prefix)

    def topic(name: str) -> Any:
        return app.topic(name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions)

    topics = Topics(
        names=names,
        app=app,
        **{
            stage: topic(getattr(names, stage))
            for stage in ("raw", "clean", "deduped", "tagged", "stories", "alerts", "dlq")
        },
    )
    app.newsstream_metrics = Metrics()  # type: ignore[attr-defined]
    app.newsstream_topics = topics  # type: ignore[attr-defined]
    for package in agents:
        module = importlib.import_module(f"{package}.agent")
        module.register(app, topics, settings)
    if settings.web_enabled:
        app.newsstream_board = register_web(app, settings, broker_url, app.newsstream_metrics)  # type: ignore[attr-defined]
    return app
