from __future__ import annotations

import asyncio
from types import SimpleNamespace

import aiokafka
from faust.transport.drivers import aiokafka as faust_aiokafka

from streams.tuning import apply_complete_flush, apply_fetch_wait


def test_faust_worker_consumers_get_the_configured_fetch_wait():
    apply_fetch_wait(100)
    consumer_class = faust_aiokafka.aiokafka.AIOKafkaConsumer
    assert issubclass(consumer_class, aiokafka.AIOKafkaConsumer)
    assert consumer_class.fetch_max_wait_ms == 100
    # Everything else Faust's driver uses from aiokafka is still the real module's.
    assert faust_aiokafka.aiokafka.TopicPartition is aiokafka.TopicPartition


class _SlowChannel:
    """Stands in for a topic: each publish takes longer than Faust's 0.1 s flush patience."""

    def __init__(self, published: list[int]) -> None:
        self.published = published

    async def publish_message(self, fut, wait: bool = False) -> None:
        await asyncio.sleep(0.12)
        self.published.append(fut.number)


async def test_producer_flush_returns_only_when_every_queued_table_write_is_sent():
    from faust.transport.producer import ProducerBuffer

    apply_complete_flush()
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))
    published: list[int] = []
    channel = _SlowChannel(published)
    for number in range(4):
        buffer.pending.put_nowait(SimpleNamespace(number=number, message=SimpleNamespace(channel=channel)))
    # the background sender may hold one record while flush runs: flush must wait for it as well
    background = asyncio.create_task(buffer._send_pending(buffer.pending.get_nowait()))
    await asyncio.sleep(0)
    await buffer.flush()
    assert sorted(published) == [0, 1, 2, 3] and buffer.size == 0
    await background
    # Faust's back-pressure path still sends at most what it asks for
    for number in range(3):
        buffer.pending.put_nowait(
            SimpleNamespace(number=10 + number, message=SimpleNamespace(channel=channel))
        )
    assert await buffer.flush_atmost(2) == 2 and buffer.size == 1
