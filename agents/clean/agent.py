"""clean_articles: news.raw -> news.clean, with per-source chrome memory in the ``source_chrome`` table."""

from __future__ import annotations

import time
from typing import Any

from streams import codec
from streams.agent_runtime import consume_batches, table
from streams.intake import MiskeyedInput, decode_raw
from streams.settings import Settings
from streams.stages import CleanStage
from streams.state import PartitionScoped, WriteBehindStore, batched_writes, current_partition
from streams.topics import shard_key

#: Articles of a source after which its learned chrome has settled (see WriteBehindStore).
LEARNING_ARTICLES = 200


def register(app: Any, topics: Any, settings: Settings) -> None:
    source_chrome = table(app, "source_chrome", settings)
    miskeyed = MiskeyedInput(app)
    # Records are cleaned in batches and a source's chrome goes to the table once per batch (7-13 KB of
    # JSON each time; consume_batches flushes it before the batch's outputs and acknowledgement).
    batched = batched_writes(app, source_chrome)
    # A source still learning its chrome is written through, so a new owner after a rebalance cleans its
    # pages as the old one would; a settled source is written every N articles.
    chrome = WriteBehindStore(
        batched, settings.chrome_write_every, urgent=lambda entry: entry.get("n", 0) < LEARNING_ARTICLES
    )
    # The cleaner's sweep of stale sources must see only the keys of the partition being processed.
    scoped = PartitionScoped(chrome, current_partition)
    clean = CleanStage(settings, scoped)

    @app.on_partitions_revoked.connect
    async def _forget(sender: Any = None, *args: Any, **kwargs: Any) -> None:
        chrome.forget()  # the next owner of a source reads its chrome from the table
        scoped.forget()

    async def prepare(value: bytes, event: Any) -> tuple[bytes, bytes]:
        raw = decode_raw(value, max_body_bytes=settings.max_body_bytes)
        if event.key != raw.source.encode():
            miskeyed.note(raw.source, event)
        article = clean(raw)
        article.ingested_at = raw.metadata.get("pushed_at") or time.time()
        return shard_key(article.language), codec.dumps(article)

    async def finish(outputs: list[tuple[bytes, bytes]]) -> None:
        # No producer flush: chrome is heuristic memory, and a batch lost with its chrome is redelivered.
        for key, payload in outputs:
            await topics.clean.send(key=key, value=payload)

    @app.agent(topics.raw, name="clean_articles")
    async def clean_articles(stream: Any) -> Any:
        batches = consume_batches(
            stream, stage="clean", dlq=topics.dlq, prepare=prepare, finish=finish, batched=[batched]
        )
        async for _ in batches:
            yield None
