"""cluster_stories: news.tagged -> news.stories, clusters in the ``story_clusters`` table.

news.tagged is keyed by one story shard, so one partition owns all live stories. With ``fuse_stages`` the
alerts of each event are raised here too (``streams.alerting.AlertPublisher``), saving a hop.
"""

from __future__ import annotations

from typing import Any

from streams import codec
from streams.agent_runtime import consume, record_latency, table
from streams.alerting import AlertPublisher
from streams.schemas import TaggedArticle
from streams.settings import Settings
from streams.stages import StoryStage
from streams.state import table_store
from streams.topics import STORY_SHARD


def register(app: Any, topics: Any, settings: Settings) -> None:
    story_clusters = table(app, "story_clusters", settings)
    stories = StoryStage(
        settings, story_clusters, wrap=lambda make: table_store(app, story_clusters, make, settings)
    )
    alerts = AlertPublisher(app, topics, settings) if settings.fuse_stages else None

    @app.agent(topics.tagged, name="cluster_stories")
    async def cluster_stories(stream: Any) -> Any:
        async def handle(value: bytes, event: Any) -> None:
            article = TaggedArticle.model_validate_json(value)
            _story_id, events = stories(article)
            fired = []
            for story_event in events:
                story_event.ingested_at = article.ingested_at
                if alerts is not None:
                    fired += await alerts.evaluate_isolated(story_event)
            # The table writes must be durable before the events and alerts that describe them go out:
            # otherwise a crash in between publishes a story (or alert) the restarted worker never heard of.
            await app.producer.flush()
            for story_event in events:
                record_latency(app, "stories", article.ingested_at)
                await topics.stories.send(key=STORY_SHARD, value=codec.dumps(story_event))
            if alerts is not None:
                await alerts.publish(fired)

        if alerts is not None:
            await alerts.start()
        try:
            async for _ in consume(stream, stage="stories", dlq=topics.dlq, handler=handle):
                yield None
        finally:
            if alerts is not None:
                await alerts.stop()
