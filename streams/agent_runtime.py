"""What every stage agent shares: decoding, dead-lettering, never dying on one record.

A stage agent hands :func:`consume` its stream and a handler; a :class:`BadArticle` or any unexpected error
in the handler becomes a DeadLetter on ``news.dlq`` with the topic/partition/offset and original bytes, and
the stream goes on with the next record.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import faust.streams as faust_streams

from agents.errors import BadArticle
from streams import codec
from streams.intake import dead_letter
from streams.settings import Settings
from streams.state import BatchedWrites

log = logging.getLogger(__name__)

Handler = Callable[[bytes, Any], Awaitable[None]]
T = TypeVar("T")


async def consume(stream: Any, *, stage: str, dlq: Any, handler: Handler) -> AsyncIterator[None]:
    """Run ``handler(value, event)`` for each event; yields once per event (Faust agents are generators)."""
    metrics = getattr(stream.app, "newsstream_metrics", None)
    async for event in stream.events():
        await _guarded(handler, event, stage=stage, dlq=dlq, metrics=metrics)
        yield None


async def consume_batches(
    stream: Any,
    *,
    stage: str,
    dlq: Any,
    prepare: Callable[[bytes, Any], Awaitable[T]],
    finish: Callable[[list[T]], Awaitable[None]],
    max_batch: int = 64,
    within: float = 0.005,
    batched: Sequence[BatchedWrites] = (),
) -> AsyncIterator[None]:
    """Like :func:`consume`, for a stage that must make its state durable before publishing.

    ``prepare(value, event)`` runs per record (its errors dead-letter that record alone) and writes state;
    ``finish(results)`` runs once per batch: one producer flush, then every output of the batch. A flush
    costs a broker round trip, so one per batch instead of one per record is what lets such a stage keep
    up. Events are acknowledged after ``finish`` returns, so a crash before it redelivers the batch.
    The tables behind ``batched`` get each key written once per batch, before ``finish`` (and before the
    first record of another partition, so every write lands on its own changelog partition).
    """
    metrics = getattr(stream.app, "newsstream_metrics", None)
    results: list[T] = []

    async def run(value: bytes, event: Any) -> None:
        results.append(await prepare(value, event))

    async for events in stream.take_events(max_batch, within):
        results.clear()
        guarded: list[Any] = []
        partition = None
        for event in events:
            if partition is not None and event.message.partition != partition:
                _flush(batched)  # still under the previous partition's event
            partition = event.message.partition
            _set_current(event)
            if await _guarded(run, event, stage=stage, dlq=dlq, metrics=metrics):
                guarded.append(event)
        try:
            _flush(batched)  # also what records that failed part-way wrote: never left for another partition
            if results:
                await finish(list(results))
        except Exception as exc:  # outputs of the batch could not go out: dead-letter its records
            log.exception("stage failed to publish a batch", extra={"stage": stage, "records": len(results)})
            error = BadArticle("stage_error", f"{stage} failed to publish: {type(exc).__name__}: {exc}")
            for event in guarded:
                await _dead_letter(dlq, error, _value(event), event, stage, metrics)
        yield None


def _set_current(event: Any) -> None:
    """Make ``event`` the current event of this task: Faust tables read it (a context variable) to choose
    the changelog partition of a write.

    Not ``Stream._set_current_event``: that also sets the stream's shared ``current_event`` attribute,
    which ``take_events``' background buffering reads to pair the next value with its event after waiting
    for the batch to be consumed. Set during a batch, it paired the next record's value with the batch's
    last event: that record was processed twice and the next one never, and Faust's commit then stepped
    over the lone unacknowledged offset (seen as a lost article in the dirty-input test).
    """
    faust_streams._current_event.set(weakref.ref(event))


def _flush(batched: Sequence[BatchedWrites]) -> None:
    for store in batched:
        store.flush()


def _value(event: Any) -> bytes:
    return event.value if isinstance(event.value, bytes) else bytes(event.value or b"")


async def _guarded(handler: Handler, event: Any, *, stage: str, dlq: Any, metrics: Any) -> bool:
    """Run the handler on one event; a failure becomes a dead letter. True when it succeeded."""
    value = _value(event)
    began = time.perf_counter()
    try:
        await handler(value, event)
    except BadArticle as error:
        await _dead_letter(dlq, error, value, event, stage, metrics)
        return False
    except Exception as exc:  # a bug or a pathological input must not kill the worker
        log.exception(
            "stage failed on a record; sent to the dead-letter topic",
            extra={"stage": stage, "partition": event.message.partition, "offset": event.message.offset},
        )
        error = BadArticle("stage_error", f"{stage} failed: {type(exc).__name__}: {exc}")
        await _dead_letter(dlq, error, value, event, stage, metrics)
        return False
    if metrics is not None:
        metrics.inc("newsstream_records_total", help="Records processed by stage", stage=stage)
        metrics.observe(
            "newsstream_stage_seconds",
            time.perf_counter() - began,
            help="Processing time per record by stage",
            stage=stage,
        )
    return True


#: Largest original a dead letter carries whole: base64 of it still fits Faust's 1 MB producer request.
MAX_DEAD_LETTER_ORIGINAL = 512 * 1024


async def _dead_letter(
    dlq: Any, error: BadArticle, value: bytes, event: Any, stage: str, metrics: Any
) -> None:
    message = event.message
    await publish_dead_letter(
        dlq,
        error,
        value,
        stage=stage,
        key=event.key,
        metrics=metrics,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
    )


async def publish_dead_letter(
    dlq: Any,
    error: BadArticle,
    value: bytes,
    *,
    stage: str,
    key: bytes | None,
    metrics: Any,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> None:
    """Count the dead letter and publish it with the record's origin (where known) and original bytes."""
    if metrics is not None:
        metrics.inc(
            "newsstream_dead_letters_total",
            help="Dead letters by stage and reason",
            stage=stage,
            reason=error.reason,
        )
    letter = dead_letter(
        error,
        value,
        stage=stage,
        topic=topic,
        partition=partition,
        offset=offset,
        max_original_bytes=MAX_DEAD_LETTER_ORIGINAL,
    )
    origin = {"topic": topic, "partition": partition, "offset": offset}
    log.warning("dead letter", extra={"stage": stage, "reason": error.reason, **origin})
    try:
        await dlq.send(key=key, value=codec.dumps(letter))
    except Exception:  # the dead-letter topic itself failing must not stop the stage either
        log.exception("could not publish a dead letter", extra={"stage": stage, **origin})


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
