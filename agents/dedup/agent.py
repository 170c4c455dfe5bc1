"""deduplicate_articles: news.clean -> news.tagged (fused with tagging) or news.deduped; signatures in the
``article_signatures`` table.

news.clean is keyed by language, so every article that could copy another meets on one partition.
"""

from __future__ import annotations

from typing import Any

from streams import codec
from streams.agent_runtime import consume, record_latency, table
from streams.schemas import CleanArticle
from streams.settings import Settings
from streams.stages import DedupStage, TagStage
from streams.state import table_store
from streams.topics import STORY_SHARD


def register(app: Any, topics: Any, settings: Settings) -> None:
    signatures = table(app, "article_signatures", settings)
    dedup = DedupStage(settings, signatures, wrap=lambda make: table_store(app, signatures, make, settings))
    # Fused (the default): tag in this hop and write news.tagged directly; see agents.entities.agent.
    tag = TagStage(settings) if settings.fuse_stages else None

    @app.agent(topics.clean, name="deduplicate_articles")
    async def deduplicate_articles(stream: Any) -> Any:
        async def handle(value: bytes, event: Any) -> None:
            article = dedup(CleanArticle.model_validate_json(value))
            if tag is None:
                await topics.deduped.send(key=article.id.encode(), value=codec.dumps(article))
                return
            tagged = tag(article)
            await topics.tagged.send(key=STORY_SHARD, value=codec.dumps(tagged))
            record_latency(app, "tagged", tagged.ingested_at)

        async for _ in consume(stream, stage="dedup", dlq=topics.dlq, handler=handle):
            yield None
