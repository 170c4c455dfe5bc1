"""tag_entities: news.deduped -> news.tagged; stateless (the gazetteer reloads when its file changes).

With ``fuse_stages`` (the default) the dedup agent tags each article in the same hop and news.deduped is
not written; unfused, tagging spreads over every partition (news.deduped is keyed by article id), which
pays off once a deployment has more cores than languages.
"""

from __future__ import annotations

from typing import Any

from streams import codec
from streams.agent_runtime import consume, record_latency
from streams.schemas import DedupedArticle
from streams.settings import Settings
from streams.stages import TagStage
from streams.topics import STORY_SHARD


def register(app: Any, topics: Any, settings: Settings) -> None:
    if settings.fuse_stages:
        return  # the dedup agent tags in the same hop (agents.dedup.agent)
    tag = TagStage(settings)

    @app.agent(topics.deduped, name="tag_entities")
    async def tag_entities(stream: Any) -> Any:
        async def handle(value: bytes, event: Any) -> None:
            article = tag(DedupedArticle.model_validate_json(value))
            await topics.tagged.send(key=STORY_SHARD, value=codec.dumps(article))
            record_latency(app, "tagged", article.ingested_at)

        async for _ in consume(stream, stage="tag", dlq=topics.dlq, handler=handle):
            yield None
