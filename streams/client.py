"""Commands that talk to a running broker as a plain client: push, tail, dlq."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agents.errors import BadArticle
from streams import codec
from streams.admin import ensure_topics
from streams.broker import bootstrap_servers, discover
from streams.console import console
from streams.intake import original_bytes, validate_raw
from streams.loaders import read_items
from streams.ordering import read_items_in_time_order
from streams.render import render_record
from streams.schemas import DeadLetter
from streams.settings import Settings
from streams.topics import TopicNames

log = logging.getLogger(__name__)


async def _producer(settings: Settings, url: str) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(url),
        linger_ms=5,
        max_request_size=settings.max_body_bytes + 65536,
        **settings.kafka_client_options(),
    )
    await producer.start()
    return producer


async def push(
    settings: Settings,
    paths: list[str],
    *,
    source: str | None = None,
    rate: float | None = None,
    in_time_order: bool = False,
) -> int:
    """Validate and send articles to news.raw; print a summary of sent and rejected."""
    url = discover(settings)
    names = TopicNames.for_prefix(settings.topic_prefix)
    await ensure_topics(settings, url, names.all())
    producer = await _producer(settings, url)
    sent = 0
    rejected: list[tuple[str, BadArticle]] = []
    try:
        read = read_items_in_time_order if in_time_order else read_items
        items = list(read(paths, source=source))
        with Progress(
            TextColumn("pushing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("push", total=len(items))
            pending = []
            began = time.monotonic()
            for item in items:
                progress.advance(task)
                where = f"{item.origin}:{item.line}" if item.line else item.origin
                try:
                    if item.error is not None:
                        raise item.error
                    if len(item.original) > settings.max_body_bytes:
                        raise BadArticle(
                            "too_large", f"{len(item.original):,} bytes > limit {settings.max_body_bytes:,}"
                        )
                    article = validate_raw(item.value)
                except BadArticle as error:
                    rejected.append((where, error))
                    continue
                if rate:
                    await asyncio.sleep(max(0.0, began + sent / rate - time.monotonic()))
                article.metadata.setdefault("pushed_at", time.time())
                pending.append(
                    await producer.send(names.raw, key=article.source.encode(), value=codec.dumps(article))
                )
                sent += 1
            await asyncio.gather(*pending)
    finally:
        await producer.stop()
    console.print(f"[green]sent {sent}[/] to {names.raw}; [red]rejected {len(rejected)}[/]")
    for where, error in rejected[:50]:
        console.print(f"  [red]{error.reason}[/] {where}: {error.message}")
    if len(rejected) > 50:
        console.print(f"  … and {len(rejected) - 50} more")
    return 0 if sent or not rejected else 1


async def _consumer(
    settings: Settings, url: str, topic: str | None, from_beginning: bool
) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(url),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **settings.kafka_client_options(),
    )
    await consumer.start()
    names = TopicNames.for_prefix(settings.topic_prefix)
    if topic:
        consumer.subscribe([topic])
    else:
        consumer.subscribe(pattern=f"^{re.escape(names.alerts)}(\\..+)?$")
    return consumer


async def tail(
    settings: Settings,
    topic: str | None,
    *,
    as_json: bool,
    from_beginning: bool,
    limit: int | None = None,
    idle_timeout: float | None = None,
) -> int:
    """Follow a topic (default: the alert topics) until Ctrl-C, ``limit`` records or ``idle_timeout``."""
    url = discover(settings)
    consumer = await _consumer(settings, url, topic, from_beginning)
    seen = 0
    last = time.monotonic()
    try:
        if not as_json:
            console.print(f"[dim]following {topic or 'the alert topics'} on {url} (Ctrl-C to stop)[/]")
        while limit is None or seen < limit:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None and time.monotonic() - last > idle_timeout:
                    break
                continue
            last = time.monotonic()
            for records in batch.values():
                for record in records:
                    seen += 1
                    if as_json:
                        print(record.value.decode("utf-8", "replace"), flush=True)
                    else:
                        render_record(record.topic, record.value)
                    if limit is not None and seen >= limit:
                        break
    finally:
        await consumer.stop()
    return 0


async def read_topic(settings: Settings, url: str, topic: str, idle_timeout: float) -> list[Any]:
    """Every record of a topic from the beginning until it is idle for ``idle_timeout`` seconds."""
    consumer = await _consumer(settings, url, topic, True)
    records = []
    last = time.monotonic()
    try:
        while time.monotonic() - last < idle_timeout:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
                last = time.monotonic()
    finally:
        await consumer.stop()
    return records


async def dlq(settings: Settings, *, reason: str | None, redrive: bool, idle_timeout: float) -> int:
    """List dead letters by reason; with ``redrive`` send the selected originals back to news.raw."""
    url = discover(settings)
    names = TopicNames.for_prefix(settings.topic_prefix)
    letters = [
        DeadLetter.model_validate(orjson.loads(r.value))
        for r in await read_topic(settings, url, names.dlq, idle_timeout)
    ]
    selected = [letter for letter in letters if reason is None or letter.reason == reason]
    table = Table(title=f"dead letters on {names.dlq}")
    table.add_column("reason")
    table.add_column("count", justify="right")
    table.add_column("example")
    for code, count in Counter(letter.reason for letter in selected).most_common():
        example = next(letter for letter in selected if letter.reason == code)
        table.add_row(code, str(count), example.message[:80])
    console.print(table)
    if redrive and selected:
        producer = await _producer(settings, url)
        try:
            for letter in selected:
                await producer.send_and_wait(names.raw, value=original_bytes(letter))
        finally:
            await producer.stop()
        console.print(f"re-drove {len(selected)} dead letters to {names.raw}")
    return 0
