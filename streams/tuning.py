"""Faust settings it has no option for, applied in one place.

Faust's worker consumer asks the broker to hold an empty fetch for 1.5 s (``fetch_max_wait_ms=1500`` is
hard-coded in its aiokafka driver). On a quiet partition of a multi-hop pipeline that wait is paid at every
hop before the next record is seen, so push-to-alert latency grows with the number of hops. We make it a
setting.
"""

from __future__ import annotations

import functools
from typing import Any

import aiokafka
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
