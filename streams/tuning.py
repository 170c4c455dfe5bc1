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
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import aiokafka
from faust.transport import producer as faust_producer
from faust.transport.drivers import aiokafka as faust_aiokafka


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
