"""What every stage agent shares: decoding, dead-lettering, never dying on one record.

A stage agent hands :func:`consume` its stream and a handler; a :class:`BadArticle` or any unexpected error
in the handler becomes a DeadLetter on ``news.dlq`` with the topic/partition/offset and original bytes, and
the stream goes on with the next record.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from agents.errors import BadArticle
from streams import codec
from streams.intake import dead_letter

log = logging.getLogger(__name__)

Handler = Callable[[bytes, Any], Awaitable[None]]


async def consume(stream: Any, *, stage: str, dlq: Any, handler: Handler) -> AsyncIterator[None]:
    """Run ``handler(value, event)`` for each event; yields once per event (Faust agents are generators)."""
    async for event in stream.events():
        value: bytes = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
        try:
            await handler(value, event)
        except BadArticle as error:
            await _dead_letter(dlq, error, value, event, stage)
        except Exception as exc:  # a bug or a pathological input must not kill the worker
            log.exception(
                "stage failed on a record; sent to the dead-letter topic",
                extra={"stage": stage, "partition": event.message.partition, "offset": event.message.offset},
            )
            error = BadArticle("stage_error", f"{stage} failed: {type(exc).__name__}: {exc}")
            await _dead_letter(dlq, error, value, event, stage)
        yield None


async def _dead_letter(dlq: Any, error: BadArticle, value: bytes, event: Any, stage: str) -> None:
    letter = dead_letter(
        error,
        value,
        stage=stage,
        topic=event.message.topic,
        partition=event.message.partition,
        offset=event.message.offset,
    )
    log.warning(
        "dead letter",
        extra={
            "stage": stage,
            "reason": error.reason,
            "topic": event.message.topic,
            "partition": event.message.partition,
            "offset": event.message.offset,
        },
    )
    await dlq.send(key=event.key, value=codec.dumps(letter))


def table(app: Any, name: str, partitions: int) -> Any:
    """A changelog-backed table; keys and values are JSON (Faust's table serializer default)."""
    return app.Table(name, default=None, partitions=partitions)
