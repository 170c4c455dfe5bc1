"""Create newsstream's topics explicitly, with the configured partition count.

Tansu auto-creates unknown topics with 4 partitions whatever the configuration says, so every entry point
creates its topics first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from streams.broker import bootstrap_servers
from streams.exceptions import BrokerUnavailable
from streams.settings import Settings

log = logging.getLogger(__name__)


async def ensure_topics(
    settings: Settings, broker_url: str, topics: Iterable[str], *, attempts: int = 30
) -> None:
    """Create the topics that do not exist yet (idempotent; retries while the broker comes up)."""
    wanted = list(dict.fromkeys(topics))
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers(broker_url), **settings.kafka_client_options()
    )
    for attempt in range(attempts):
        try:
            await admin.start()
            break
        except KafkaConnectionError as exc:
            if attempt == attempts - 1:
                raise BrokerUnavailable(f"Cannot reach the broker at {broker_url}: {exc}") from exc
            await asyncio.sleep(0.2)
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if missing:
            new = [
                NewTopic(
                    name, num_partitions=settings.partitions, replication_factor=settings.replication_factor
                )
                for name in missing
            ]
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker created them first
                await admin.create_topics(new)
            log.info("created topics", extra={"topics": missing, "partitions": settings.partitions})
    finally:
        await admin.close()
