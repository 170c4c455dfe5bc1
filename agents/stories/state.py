"""Layout of the story state in a key-value store (a Faust table in a worker, a dict in tests).

Keys, all values JSON-serialisable, every family bounded:
- ``s:<story id>``: the story record (see ``records``); removed when the story expires or is merged.
- ``a:<article id>``: the story an article went to (idempotency, duplicates); removed with its story.
- ``m:<story id>``: surviving id of a merged story; removed when the survivor expires.
- ``k:<feature key>``: inverted index, ids of live stories with that entity/term/number/date, at most
  ``max_posting`` (oldest registration dropped first); a story leaves every list it joined when it ends.
- ``q:<bucket>:<shard>``: ids of stories whose next lifecycle transition falls in that time bucket
  (16 shards by story-id hash, so one write re-sends a sixteenth of the bucket, not all of it).
- ``meta``: ``{"live": live story count, "buckets": sorted pending schedule buckets}``.

Only these keys are read on the hot path; nothing iterates the store. Writes are ``store[key] = value``
after any mutation, so a changelogged table sees every change.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import MutableMapping
from typing import Any

_MERGE_CHAIN_LIMIT = 64
SCHEDULE_SHARDS = 16


class StoryStore:
    """Typed access to the story keys of one store; holds no state of its own."""

    __slots__ = ("_store", "max_posting")

    def __init__(self, store: MutableMapping[str, Any], max_posting: int) -> None:
        self._store = store
        self.max_posting = max_posting

    def story(self, story_id: str) -> dict[str, Any] | None:
        return self._store.get("s:" + story_id)

    def put_story(self, record: dict[str, Any]) -> None:
        self._store["s:" + record["id"]] = record

    def drop_story(self, story_id: str) -> None:
        self._store.pop("s:" + story_id, None)

    def article_story(self, article_id: str) -> str | None:
        return self._store.get("a:" + article_id)

    def set_article_story(self, article_id: str, story_id: str) -> None:
        self._store["a:" + article_id] = story_id

    def drop_article(self, article_id: str) -> None:
        self._store.pop("a:" + article_id, None)

    def redirect(self, absorbed_id: str, survivor_id: str) -> None:
        self._store["m:" + absorbed_id] = survivor_id

    def drop_redirect(self, absorbed_id: str) -> None:
        self._store.pop("m:" + absorbed_id, None)

    def resolve(self, story_id: str) -> str:
        """Follow merge redirects to the surviving id (the id itself if it was never merged)."""
        for _ in range(_MERGE_CHAIN_LIMIT):
            target = self._store.get("m:" + story_id)
            if target is None or target == story_id:
                return story_id
            story_id = target
        return story_id

    def posting(self, key: str) -> list[str]:
        return self._store.get("k:" + key) or []

    def add_posting(self, key: str, story_id: str) -> None:
        posting = self._store.get("k:" + key)
        if posting is None:
            self._store["k:" + key] = [story_id]
            return
        if story_id in posting:
            return
        posting.append(story_id)
        if len(posting) > self.max_posting:
            del posting[: len(posting) - self.max_posting]
        self._store["k:" + key] = posting

    def remove_posting(self, key: str, story_id: str) -> None:
        posting = self._store.get("k:" + key)
        if not posting or story_id not in posting:
            return
        posting.remove(story_id)
        if posting:
            self._store["k:" + key] = posting
        else:
            del self._store["k:" + key]

    def meta(self) -> dict[str, Any]:
        return self._store.get("meta") or {"live": 0, "buckets": []}

    def put_meta(self, meta: dict[str, Any]) -> None:
        self._store["meta"] = meta

    def schedule(self, meta: dict[str, Any], bucket: int, story_id: str) -> None:
        """Add a story to a schedule bucket (caller writes ``meta`` back).

        A bucket is split into ``SCHEDULE_SHARDS`` lists by a stable hash of the story id, so a write
        re-sends a sixteenth of the bucket (a changelogged table re-sends the whole value on each write).
        No membership check: a story is queued only when its due bucket changes, and a stale entry is
        harmless because the record's ``due`` field says which entry is current.
        """
        key = f"q:{bucket}:{zlib.crc32(story_id.encode()) % SCHEDULE_SHARDS}"
        queued = self._store.get(key)
        if queued is None:
            queued = []
        queued.append(story_id)
        self._store[key] = queued
        buckets = meta["buckets"]
        position = bisect.bisect_left(buckets, bucket)
        if position == len(buckets) or buckets[position] != bucket:
            buckets.insert(position, bucket)

    def take_bucket(self, bucket: int) -> list[str]:
        """Remove and return the stories queued in a bucket (all its shards)."""
        taken: list[str] = []
        for shard in range(SCHEDULE_SHARDS):
            taken.extend(self._store.pop(f"q:{bucket}:{shard}", None) or [])
        return taken
