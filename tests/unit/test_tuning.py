from __future__ import annotations

import aiokafka
from faust.transport.drivers import aiokafka as faust_aiokafka

from streams.tuning import apply_fetch_wait


def test_faust_worker_consumers_get_the_configured_fetch_wait():
    apply_fetch_wait(100)
    consumer_class = faust_aiokafka.aiokafka.AIOKafkaConsumer
    assert issubclass(consumer_class, aiokafka.AIOKafkaConsumer)
    assert consumer_class.fetch_max_wait_ms == 100
    # Everything else Faust's driver uses from aiokafka is still the real module's.
    assert faust_aiokafka.aiokafka.TopicPartition is aiokafka.TopicPartition
