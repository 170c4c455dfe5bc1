"""clean_articles: news.raw -> news.clean, with per-source chrome memory in the ``source_chrome`` table."""

from __future__ import annotations

import time
from typing import Any

from streams import codec
from streams.agent_runtime import consume, table
from streams.intake import decode_raw
from streams.settings import Settings
from streams.stages import CleanStage
from streams.state import PartitionScoped, WriteBehindStore, current_partition
from streams.topics import shard_key

#: Articles of a source after which its learned chrome has settled (see WriteBehindStore).
LEARNING_ARTICLES = 200


def register(app: Any, topics: Any, settings: Settings) -> None:
    source_chrome = table(app, "source_chrome", settings)
    # A source still learning its chrome is written through, so a new owner after a rebalance cleans its
    # pages as the old one would; a settled source is written every N articles.
    chrome = WriteBehindStore(
        source_chrome, settings.chrome_write_every, urgent=lambda entry: entry.get("n", 0) < LEARNING_ARTICLES
    )
    # The cleaner's sweep of stale sources must see only the keys of the partition being processed.
    scoped = PartitionScoped(chrome, current_partition)
    clean = CleanStage(settings, scoped)

    @app.on_partitions_revoked.connect
    async def _forget(sender: Any = None, *args: Any, **kwargs: Any) -> None:
        chrome.forget()  # the next owner of a source reads its chrome from the table
        scoped.forget()

    @app.agent(topics.raw, name="clean_articles")
    async def clean_articles(stream: Any) -> Any:
        async def handle(value: bytes, event: Any) -> None:
            raw = decode_raw(value, max_body_bytes=settings.max_body_bytes)
            article = clean(raw)
            article.ingested_at = raw.metadata.get("pushed_at") or time.time()
            await topics.clean.send(key=shard_key(article.language), value=codec.dumps(article))

        async for _ in consume(stream, stage="clean", dlq=topics.dlq, handler=handle):
            yield None
