"""cluster_stories: news.tagged -> news.stories, clusters in the ``story_clusters`` table.

news.tagged is keyed by one story shard, so one partition owns all live stories. With ``fuse_stages`` the
alerts of each event are raised here too (``streams.alerting.AlertPublisher``), saving a hop. Articles are
taken in small batches: story (and alert) state must be durable before the events go out, and one flush per
batch instead of per article is what lets this hop keep up with the rest.
"""

from __future__ import annotations

from typing import Any

from streams import codec
from streams.agent_runtime import consume_batches, record_latency, table
from streams.alerting import AlertPublisher
from streams.schemas import Alert, StoryEvent, TaggedArticle
from streams.settings import Settings
from streams.stages import StoryStage
from streams.state import batched_writes, table_store
from streams.topics import STORY_SHARD


def register(app: Any, topics: Any, settings: Settings) -> None:
    story_clusters = table(app, "story_clusters", settings)
    # Each key is written to the table once per batch (consume_batches flushes these).
    batched = batched_writes(app, story_clusters)
    stories = StoryStage(
        settings,
        story_clusters,
        wrap=lambda make: table_store(app, story_clusters, make, settings, batched=batched),
    )
    alerts = AlertPublisher(app, topics, settings, batched=True) if settings.fuse_stages else None
    flushed = [batched] if alerts is None or alerts.batched is None else [batched, alerts.batched]

    async def prepare(value: bytes, event: Any) -> tuple[float | None, list[StoryEvent], list[Alert]]:
        article = TaggedArticle.model_validate_json(value)
        _story_id, events = stories(article)
        fired: list[Alert] = []
        for story_event in events:
            story_event.ingested_at = article.ingested_at
            if alerts is not None:
                fired += await alerts.evaluate_isolated(story_event)
        return article.ingested_at, events, fired

    async def finish(batch: list[tuple[float | None, list[StoryEvent], list[Alert]]]) -> None:
        # The table writes must be durable before the events and alerts that describe them go out:
        # otherwise a crash in between publishes a story (or alert) the restarted worker never heard of.
        await app.producer.flush()
        for ingested_at, events, fired in batch:
            for story_event in events:
                record_latency(app, "stories", ingested_at)
                await topics.stories.send(key=STORY_SHARD, value=codec.dumps(story_event))
            if alerts is not None:
                await alerts.publish(fired)

    @app.agent(topics.tagged, name="cluster_stories")
    async def cluster_stories(stream: Any) -> Any:
        if alerts is not None:
            await alerts.start()
        try:
            batches = consume_batches(
                stream, stage="stories", dlq=topics.dlq, prepare=prepare, finish=finish, batched=flushed
            )
            async for _ in batches:
                yield None
        finally:
            if alerts is not None:
                await alerts.stop()
