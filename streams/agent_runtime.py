"""What every stage agent shares: decoding, dead-lettering, never dying on one record.

A stage agent hands :func:`consume` its stream and a handler; a :class:`BadArticle` or any unexpected error
in the handler becomes a DeadLetter on ``news.dlq`` with the topic/partition/offset and original bytes, and
the stream goes on with the next record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from agents.errors import BadArticle
from streams import codec
from streams.intake import dead_letter
from streams.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[bytes, Any], Awaitable[None]]


async def consume(stream: Any, *, stage: str, dlq: Any, handler: Handler) -> AsyncIterator[None]:
    """Run ``handler(value, event)`` for each event; yields once per event (Faust agents are generators)."""
    metrics = getattr(stream.app, "newsstream_metrics", None)
    async for event in stream.events():
        value: bytes = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
        began = time.perf_counter()
        try:
            await handler(value, event)
            if metrics is not None:
                metrics.inc("newsstream_records_total", help="Records processed by stage", stage=stage)
                metrics.observe(
                    "newsstream_stage_seconds",
                    time.perf_counter() - began,
                    help="Processing time per record by stage",
                    stage=stage,
                )
        except BadArticle as error:
            if metrics is not None:
                metrics.inc(
                    "newsstream_dead_letters_total",
                    help="Dead letters by stage and reason",
                    stage=stage,
                    reason=error.reason,
                )
            await _dead_letter(dlq, error, value, event, stage)
        except Exception as exc:  # a bug or a pathological input must not kill the worker
            log.exception(
                "stage failed on a record; sent to the dead-letter topic",
                extra={"stage": stage, "partition": event.message.partition, "offset": event.message.offset},
            )
            error = BadArticle("stage_error", f"{stage} failed: {type(exc).__name__}: {exc}")
            if metrics is not None:
                metrics.inc(
                    "newsstream_dead_letters_total",
                    help="Dead letters by stage and reason",
                    stage=stage,
                    reason=error.reason,
                )
            await _dead_letter(dlq, error, value, event, stage)
        yield None


#: Largest original a dead letter carries whole: base64 of it still fits Faust's 1 MB producer request.
MAX_DEAD_LETTER_ORIGINAL = 512 * 1024


async def _dead_letter(dlq: Any, error: BadArticle, value: bytes, event: Any, stage: str) -> None:
    message = event.message
    letter = dead_letter(
        error,
        value,
        stage=stage,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        max_original_bytes=MAX_DEAD_LETTER_ORIGINAL,
    )
    log.warning(
        "dead letter",
        extra={
            "stage": stage,
            "reason": error.reason,
            "topic": message.topic,
            "partition": message.partition,
            "offset": message.offset,
        },
    )
    try:
        await dlq.send(key=event.key, value=codec.dumps(letter))
    except Exception:  # the dead-letter topic itself failing must not stop the stage either
        log.exception("could not publish a dead letter", extra={"stage": stage, "offset": message.offset})


def table(app: Any, name: str, settings: Settings) -> Any:
    """A changelog-backed table; keys and values are JSON (Faust's table serializer default)."""
    options = settings.rocksdb_options() if settings.store.startswith("rocksdb") else None
    return app.Table(name, default=None, partitions=settings.partitions, options=options)


def record_latency(app: Any, stage: str, ingested_at: float | None) -> None:
    """Push-to-stage latency (wall clock since the article was pushed) for /metrics."""
    metrics = getattr(app, "newsstream_metrics", None)
    if metrics is not None and ingested_at:
        metrics.observe(
            "newsstream_push_latency_seconds",
            max(0.0, time.time() - ingested_at),
            help="Seconds from push to this stage's output",
            stage=stage,
        )
