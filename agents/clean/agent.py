"""clean_articles: news.raw -> news.clean, with per-source chrome memory in the ``source_chrome`` table."""

from __future__ import annotations

import time
from typing import Any

from streams import codec
from streams.agent_runtime import consume, table
from streams.intake import decode_raw
from streams.settings import Settings
from streams.stages import CleanStage
from streams.topics import shard_key


def register(app: Any, topics: Any, settings: Settings) -> None:
    source_chrome = table(app, "source_chrome", settings)
    clean = CleanStage(settings, source_chrome)

    @app.agent(topics.raw, name="clean_articles")
    async def clean_articles(stream: Any) -> Any:
        async def handle(value: bytes, event: Any) -> None:
            raw = decode_raw(value, max_body_bytes=settings.max_body_bytes)
            article = clean(raw)
            article.ingested_at = raw.metadata.get("pushed_at") or time.time()
            await topics.clean.send(key=shard_key(article.language), value=codec.dumps(article))

        async for _ in consume(stream, stage="clean", dlq=topics.dlq, handler=handle):
            yield None
