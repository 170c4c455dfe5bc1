"""Faust behaviour it has no option for, changed in one place.

Faust's worker consumer asks the broker to hold an empty fetch for 1.5 s (``fetch_max_wait_ms=1500`` is
hard-coded in its aiokafka driver). On a quiet partition of a multi-hop pipeline that wait is paid at every
hop before the next record is seen, so push-to-alert latency grows with the number of hops. We make it a
setting.

Faust's producer buffer (where table writes wait to become changelog records) gives up flushing when no
record goes out within 0.1 s and returns with records still queued. Faust flushes before committing
offsets, and our stateful stages flush before publishing what a table write implies; a flush that can
return early lets an offset commit or an event overtake the state behind it, and a hard kill in that gap
loses the state while its effects survive. :func:`apply_complete_flush` makes the flush drain the buffer.

The local broker (Tansu) answers ListOffsets "latest" with the base offset of the last record batch + 1,
not the end of the log. Faust recovers a table by reading its changelog up to that answer, so with
multi-record batches a restarted worker came back short, which is why the local profile used to send one
record per batch, costing a broker round trip per record and partition. :func:`apply_true_highwaters`
corrects the answer instead: it reads the last batch and takes the offset after its last record.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

import aiokafka
from aiokafka.structs import TopicPartition
from faust.transport import producer as faust_producer
from faust.transport.drivers import aiokafka as faust_aiokafka

log = logging.getLogger(__name__)


class _FetchWaitConsumer(aiokafka.AIOKafkaConsumer):
    fetch_max_wait_ms = 1500

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["fetch_max_wait_ms"] = self.fetch_max_wait_ms
        super().__init__(*args, **kwargs)


class _AiokafkaModule:
    """Stands in for the ``aiokafka`` module inside Faust's driver, with our consumer class."""

    def __init__(self, consumer: type[aiokafka.AIOKafkaConsumer]) -> None:
        self.AIOKafkaConsumer = consumer

    def __getattr__(self, name: str) -> Any:
        return getattr(aiokafka, name)


@functools.cache
def apply_fetch_wait(milliseconds: int) -> None:
    """Make Faust's worker consumers wait at most ``milliseconds`` for an empty fetch (once per process)."""
    consumer = type("FetchWaitConsumer", (_FetchWaitConsumer,), {"fetch_max_wait_ms": milliseconds})
    faust_aiokafka.aiokafka = _AiokafkaModule(consumer)  # type: ignore[assignment]


async def _complete_flush(buffer: Any, max_messages: int | None = None) -> int:
    """Hand every queued record to the client, including the one the background task is sending.

    ``max_messages`` (Faust's back-pressure path) still drains at most that many.
    """
    sent = 0
    while max_messages is None or sent < max_messages:
        try:
            message = buffer.pending.get_nowait()
        except asyncio.QueueEmpty:
            break
        await buffer._send_pending(message)
        sent += 1
    if max_messages is None:
        while getattr(buffer, "_newsstream_in_flight", 0):
            await asyncio.sleep(0.001)
    return sent


async def _counted_send(buffer: Any, original: Any, message: Any) -> None:
    buffer._newsstream_in_flight = getattr(buffer, "_newsstream_in_flight", 0) + 1
    try:
        await original(buffer, message)
    finally:
        buffer._newsstream_in_flight -= 1


@functools.cache
def apply_complete_flush() -> None:
    """Make ``ProducerBuffer.flush`` return only when every queued table write is with the client.

    The client's own flush (``Producer.flush`` awaits it right after) then waits for the broker to
    acknowledge them.
    """
    buffer_class = faust_producer.ProducerBuffer
    original_send = buffer_class._send_pending

    async def _send_pending(self: Any, message: Any) -> None:
        await _counted_send(self, original_send, message)

    async def flush(self: Any) -> None:
        await _complete_flush(self)

    async def flush_atmost(self: Any, max_messages: int | None) -> int:
        return await _complete_flush(self, max_messages)

    buffer_class._send_pending = _send_pending  # type: ignore[method-assign]
    buffer_class.flush = flush  # type: ignore[method-assign]
    buffer_class.flush_atmost = flush_atmost  # type: ignore[method-assign]


async def true_end_offsets(
    bootstrap_servers: Any, reported: dict[Any, int], timeout: float = 10.0
) -> dict[Any, int]:
    """End offsets corrected for a broker that reports the base offset of the last batch + 1.

    The last batch starts at ``reported - 1``; a fetch from there returns all of it, and the true end is
    one past its last record. On a broker that answers correctly the fetch returns one record and the
    answer stands. A partition that cannot be read in ``timeout`` keeps the reported offset (logged).
    """
    wanted = {tp: end for tp, end in reported.items() if end is not None and end > 0}
    if not wanted:
        return dict(reported)
    corrected = dict(reported)
    consumer = aiokafka.AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    try:
        by_partition = {TopicPartition(tp.topic, tp.partition): tp for tp in wanted}
        consumer.assign(list(by_partition))
        for partition, tp in by_partition.items():
            consumer.seek(partition, wanted[tp] - 1)
        pending = set(by_partition)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            batch = await consumer.getmany(*pending, timeout_ms=200)
            for partition, records in batch.items():
                if records:
                    tp = by_partition[partition]
                    corrected[tp] = max(wanted[tp], records[-1].offset + 1)
                    pending.discard(partition)
        if pending:
            log.warning("could not read the last batch of %s; recovery may stop short", sorted(pending))
    finally:
        await consumer.stop()
    return corrected


@functools.cache
def apply_true_highwaters() -> None:
    """Make Faust's recovery read changelogs to their true end on the local broker (see module doc)."""
    thread_class = faust_aiokafka.AIOKafkaConsumerThread
    original = thread_class._highwaters

    async def _highwaters(self: Any, partitions: list[Any]) -> Any:
        reported = dict(await original(self, partitions))
        consumer = self._ensure_consumer()
        return await true_end_offsets(consumer._client._bootstrap_servers, reported)

    thread_class._highwaters = _highwaters  # type: ignore[method-assign]
