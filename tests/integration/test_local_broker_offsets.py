"""The local broker's ListOffsets answer and the correction table recovery relies on."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.tuning import true_end_offsets

pytestmark = pytest.mark.broker


async def _write(bootstrap: str, topic: str, counts: dict[int, int]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=50)
    await producer.start()
    try:
        sent = [
            await producer.send(topic, b"record %d" % index, partition=partition)
            for partition, count in counts.items()
            for index in range(count)
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def test_true_end_offsets_count_every_record_of_multi_record_batches(broker):
    topic = "offsets-quirk"
    # partition 0: one batch of 40 then a lone record; partition 1: one batch of 25; partition 2: empty
    await _write(broker.bootstrap, topic, {0: 40, 1: 25})
    await _write(broker.bootstrap, topic, {0: 1})
    partitions = [TopicPartition(topic, p) for p in range(3)]
    consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        reported = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    corrected = await true_end_offsets(broker.bootstrap, dict(reported))
    assert corrected == {partitions[0]: 41, partitions[1]: 25, partitions[2]: 0}
    # the quirk this corrects: the broker reports the last batch's base offset + 1
    assert reported[partitions[1]] < 25
