"""A batch's table writes: each key once per batch, on the changelog partition it was written for."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import pytest
from faust.streams import current_event

from agents.errors import BadArticle
from streams.agent_runtime import consume_batches
from streams.state import BatchedWrites


class FaustLikeTable(MutableMapping[str, Any]):
    """Records each write with the partition of the current event (what a Faust table's changelog does,
    reading Faust's ``current_event()``); answers None for a missing key, as our tables do."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.changelog: list[tuple[int | None, str, Any]] = []

    def _partition(self) -> int | None:
        event = current_event()
        return None if event is None else event.message.partition

    def __getitem__(self, key: str) -> Any:
        return self.data.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __setitem__(self, key: str, value: Any) -> None:
        self.changelog.append((self._partition(), key, value))
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        self.changelog.append((self._partition(), key, None))
        del self.data[key]


def test_reads_see_the_batch_and_flush_writes_each_key_once():
    table = FaustLikeTable()
    table["old"] = {"n": 0}
    table.changelog.clear()
    store = BatchedWrites(table)
    for n in range(1, 6):
        store["story"] = {"n": n}
        assert store["story"] == {"n": n}
    del store["old"]
    assert "old" not in store and store.get("old") is None and "old" in table
    with pytest.raises(KeyError):
        del store["old"]
    assert sorted(store) == ["story"] and len(store) == 1
    assert table.changelog == []  # nothing reaches the table before the batch ends
    assert store.flush() == 2
    assert table.changelog == [(None, "story", {"n": 5}), (None, "old", None)]
    assert store.flush() == 0 and store.pending == 0


def test_discard_drops_what_a_revoked_partition_left_pending():
    table = FaustLikeTable()
    store = BatchedWrites(table)
    store["story"] = {"n": 1}
    store.discard()
    assert store.flush() == 0 and "story" not in table


@dataclass
class Message:
    partition: int
    offset: int
    topic: str = "news.tagged"


@dataclass
class Event:
    message: Message
    value: bytes
    key: bytes = b"k"


class Stream:
    """What consume_batches uses of a Faust stream: batches of events."""

    def __init__(self, batches: list[list[Event]]) -> None:
        self._batches = batches
        self.app = None

    async def take_events(self, max_batch: int, within: float) -> Any:
        for batch in self._batches:
            yield batch

    def _set_current_event(self, event: Event) -> None:
        # take_events' background buffering pairs each value with the stream's current_event: a batch
        # being processed must not move it (that paired a record's value with another record's event)
        raise AssertionError("consume_batches must not set the stream's shared current event")


class Sink:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send(self, key: Any = None, value: bytes = b"") -> None:
        self.sent.append(value)


async def test_consume_batches_flushes_once_per_batch_and_at_each_partition_change():
    table = FaustLikeTable()
    store = BatchedWrites(table)
    seen_at_finish: list[int] = []

    async def prepare(value: bytes, event: Event) -> bytes:
        if value == b"bad":
            raise BadArticle("stage_error", "a record the stage rejects")
        key = f"story-{event.message.partition}"
        count = store.get(key, {"n": 0})["n"]
        store[key] = {"n": count + 1}
        return value

    async def finish(results: list[bytes]) -> None:
        seen_at_finish.append(len(table.changelog))

    batches = [
        [Event(Message(0, offset), b"a") for offset in range(5)],
        [Event(Message(0, 5), b"a"), Event(Message(1, 0), b"a"), Event(Message(1, 1), b"bad")],
        [Event(Message(1, 2), b"a"), Event(Message(0, 6), b"a")],
    ]
    dlq = Sink()
    async for _ in consume_batches(
        Stream(batches), stage="stories", dlq=dlq, prepare=prepare, finish=finish, batched=[store]
    ):
        pass
    # batch 1: five writes of one key -> one record; batch 2: partition 0 flushed before partition 1's
    # record, each on its own partition; batch 3 likewise.
    assert table.changelog == [
        (0, "story-0", {"n": 5}),
        (0, "story-0", {"n": 6}),
        (1, "story-1", {"n": 1}),
        (1, "story-1", {"n": 2}),
        (0, "story-0", {"n": 7}),
    ]
    assert seen_at_finish == [1, 3, 5]  # state is in the table before each batch's outputs go out
    assert len(dlq.sent) == 1


async def test_writes_of_a_batch_whose_records_all_failed_stay_on_their_partition():
    table = FaustLikeTable()
    store = BatchedWrites(table)

    async def prepare(value: bytes, event: Event) -> bytes:
        store[f"seen-{event.message.partition}"] = {"offset": event.message.offset}
        if value == b"bad":
            raise BadArticle("stage_error", "fails after writing")
        return value

    async def finish(results: list[bytes]) -> None:
        return None

    batches = [[Event(Message(0, 0), b"bad")], [Event(Message(1, 0), b"a")]]
    dlq = Sink()
    async for _ in consume_batches(
        Stream(batches), stage="clean", dlq=dlq, prepare=prepare, finish=finish, batched=[store]
    ):
        pass
    assert table.changelog == [(0, "seen-0", {"offset": 0}), (1, "seen-1", {"offset": 0})]
    assert len(dlq.sent) == 1
