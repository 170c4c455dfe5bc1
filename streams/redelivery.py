"""Faust's consumer bookkeeping across a rebalance, made safe for at-least-once delivery.

Faust remembers per partition the offset of the last record it handed to a stream (``_read_offset``) and
infers two things from it: a fetched record at or below it is dropped as already delivered, and a jump
above it is taken for offsets that do not exist (compaction, transaction markers) and counted as
processed. Both inferences fail after a rebalance. A fetch issued in the old generation can complete after
the new generation has sought back to the committed offset; Faust converts its records under the new
generation id and hands them over first, the jump from the committed offset to them is counted as
processed, and when the fetch from the committed offset arrives its records are dropped as already read.
Seen in the two-worker handover test (about one run in twenty): the surviving worker committed raw
offsets 438-571 of one partition without processing any of them (the first record it handed over after
the rebalance was 572) - 134 articles lost with no error anywhere.

:func:`apply_safe_redelivery` makes the consumer deliver every record the client returns and infer
nothing from offsets. A record delivered twice is processed twice, which every stage tolerates (each is
idempotent by article id), and a commit only advances over offsets a stream acknowledged. Offsets that
really are missing from a partition stop the commit at the gap; Faust's commit step still steps over a
single missing offset (one transaction marker), and our stage topics are never compacted.

Faust also acknowledges a record that a stream skips because it was fetched in an earlier generation;
that acknowledgement can let a commit pass the record before it has been fetched again and processed.
Such acknowledgements are no longer counted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from faust.transport import consumer as faust_consumer
from mode.utils.futures import notify


class _NoReadOffsets(MutableMapping[Any, Any]):
    """A read-offset table Faust cannot infer from: every record is new, no offset is assumed missing.

    What Faust writes is still kept in ``positions``, for the consumer-lag gauge only.
    """

    def __init__(self) -> None:
        self.positions: dict[Any, int] = {}

    def __getitem__(self, key: Any) -> None:
        return None

    def __setitem__(self, key: Any, value: Any) -> None:
        if value is None:
            self.positions.pop(key, None)
        else:
            self.positions[key] = value

    def __delitem__(self, key: Any) -> None:
        self.positions.pop(key, None)

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0


def read_positions(consumer: Any) -> Mapping[Any, int]:
    """Per partition, the offset of the last record handed to a stream (or the offset sought to)."""
    offsets = getattr(consumer, "_read_offset", {})
    return offsets.positions if isinstance(offsets, _NoReadOffsets) else offsets


def _stale(consumer: Any, message: Any) -> bool:
    generation = getattr(message, "generation_id", None)
    return generation is not None and generation != consumer.app.consumer_generation_id


@functools.cache
def apply_safe_redelivery() -> None:
    """Patch Faust's consumer class (once per process); see the module docstring for why."""
    consumer_class = faust_consumer.Consumer
    original_init = consumer_class.__init__
    original_ack = consumer_class.ack

    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._read_offset = _NoReadOffsets()

    @functools.wraps(original_ack)
    def ack(self: Any, message: Any) -> bool:
        if _stale(self, message):
            # Done with it (nothing waits for it any more), but its offset stays unacknowledged: the
            # record is fetched again from the committed offset and acknowledged when processed.
            message.acked = True
            self._unacked_messages.discard(message)
            notify(self._waiting_for_ack)
            return False
        return original_ack(self, message)

    consumer_class.__init__ = __init__  # type: ignore[method-assign]
    consumer_class.ack = ack  # type: ignore[method-assign]
