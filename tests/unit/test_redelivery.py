"""Faust's consumer after a rebalance: a late fetch from the old generation must not hide records."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import faust
from faust.types import TP
from faust.types.tuples import Message

from streams.redelivery import apply_safe_redelivery, read_positions

TOPIC = "news.raw"
PARTITION = TP(TOPIC, 0)


def _message(offset: int, generation: int) -> Message:
    return Message(TOPIC, 0, offset, 0.0, 0, {}, b"k", b"v", None, tp=PARTITION, generation_id=generation)


def _consumer(tmp_path):
    """Faust's real consumer of an app that acknowledges ``TOPIC`` (as for a topic an agent reads).

    Made inside the test's event loop: Faust's flow-control events belong to the loop they were made in.
    """
    apply_safe_redelivery()
    app = faust.App(f"redelivery-{tmp_path.name}", broker="kafka://127.0.0.1:1", datadir=str(tmp_path))
    app.topics._acking_topics.add(TOPIC)
    return app.consumer


async def _deliveries(consumer, fetches: list[list[Message]]) -> list[int]:
    """Run Faust's real drain loop over scripted fetch results; the offsets it hands to streams."""
    delivered: list[int] = []
    fetcher = SimpleNamespace(_stopped=asyncio.Event())
    pending = list(fetches)

    async def getmany(timeout: float):
        if not pending:
            fetcher._stopped.set()
            return
        for message in pending.pop(0):
            yield message.tp, message

    async def callback(message: Message) -> None:
        delivered.append(message.offset)

    consumer.getmany = getmany
    consumer.callback = callback
    await asyncio.wait_for(consumer._drain_messages(fetcher), timeout=5)
    return delivered


async def test_a_late_old_generation_fetch_does_not_hide_the_records_after_the_committed_offset(tmp_path):
    consumer = _consumer(tmp_path)
    consumer.app.consumer_generation_id = 2
    # The new generation sought the partition back to its committed offset, 438 (what Faust's seek does).
    consumer._read_offset[PARTITION] = 438
    consumer._committed_offset[PARTITION] = 438
    # A fetch issued before the rebalance completes first (records 572-573, converted under the new
    # generation), then the fetch from the committed offset arrives.
    late = [_message(offset, 2) for offset in (572, 573)]
    fresh = [_message(offset, 2) for offset in range(438, 574)]
    delivered = await _deliveries(consumer, [late, fresh])
    assert set(range(438, 574)) <= set(delivered), "records after the committed offset were dropped"
    assert read_positions(consumer)[PARTITION] == 573  # still known, for the consumer-lag gauge
    # Nothing between the committed offset and the late records is counted as processed unless acked.
    for offset in (572, 573):
        consumer.ack(_message(offset, 2))
    assert consumer._new_offset(PARTITION) is None
    for offset in range(438, 572):
        consumer.ack(_message(offset, 2))
    assert consumer._new_offset(PARTITION) == 574


async def test_a_record_skipped_as_fetched_in_an_earlier_generation_is_not_counted_as_processed(tmp_path):
    consumer = _consumer(tmp_path)
    consumer.app.consumer_generation_id = 3
    consumer._committed_offset[PARTITION] = 100
    stale = _message(100, 2)
    assert consumer.ack(stale) is False and stale.acked
    assert consumer._new_offset(PARTITION) is None
    assert consumer.ack(_message(100, 3)) is True
    assert consumer._new_offset(PARTITION) == 101


async def test_consumer_lag_still_sees_how_far_streams_have_read(tmp_path):
    from streams.web import consumer_lag

    consumer = _consumer(tmp_path)
    consumer._read_offset[PARTITION] = 89  # the drain loop handed offset 89 over
    consumer.assignment = lambda: {PARTITION}
    consumer.highwater = lambda tp: 100
    assert consumer_lag(SimpleNamespace(consumer=consumer)) == {(("partition", "0"), ("topic", TOPIC)): 10.0}
