"""What the alert engine keeps per story, and how that state stays bounded.

Layout of the store (every value JSON-serialisable, written back by assignment):

- ``story:<story id>``: ``{"t": last event time, "ib": TTL index bucket, "arts": {article id: time},
  "evs": {event key: time},
  "srcs": {source: first time}, "kw": {rule: [matched keywords]}, "fired": {rule: fired record},
  "burst": {rule: {slot: count}}}``. Times are epoch seconds (event time).
- ``story:<story id>`` of a story merged into another: ``{"merged_into": survivor id, "t", "ib"}``.
- ``ttl:[<shard>:]<bucket>``: story ids whose last event fell in that bucket (``index_bucket`` wide).
- ``meta[:<shard>]``: ``{"buckets": [live TTL buckets], "first": earliest event time seen}``.
- ``burst:[<shard>:]<rule>:<entity>``: entity burst counts and episodes (see ``burst``).

The shard (see ``AlertEngine``) keeps keys shared by many stories apart per stream partition.

Per-story state is dropped when the clustering reports the story expired, and otherwise when no event
touched it for ``story_ttl``: each story is listed in the TTL bucket of its last event, and buckets older
than the TTL are swept (a bounded number of stories per call, so a sweep never stalls the stream).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

STORY_PREFIX = "story:"
MERGED_INTO = "merged_into"
MAX_MERGE_HOPS = 32
TTL_PREFIX = "ttl:"
META_KEY = "meta"


def story_key(story_id: str) -> str:
    return STORY_PREFIX + story_id


def load_story(store: MutableMapping[str, Any], story_id: str) -> dict[str, Any]:
    """The story's state, a fresh one, or its tombstone (``{"merged_into": ...}``) if it was merged away."""
    value = store.get(story_key(story_id))
    if isinstance(value, dict):
        if MERGED_INTO not in value:
            value.setdefault("evs", {})
        return value
    return {"t": None, "ib": None, "arts": {}, "evs": {}, "srcs": {}, "kw": {}, "fired": {}, "burst": {}}


def tombstone(absorbed: dict[str, Any], survivor_id: str) -> dict[str, Any]:
    """What stays of a story merged into another: where it went (and its TTL bookkeeping).

    A redelivered event of the absorbed story then finds the survivor's state, which holds the record
    of that event, instead of starting the story afresh (which would count its articles twice).
    """
    return {MERGED_INTO: survivor_id, "t": absorbed.get("t"), "ib": absorbed.get("ib")}


def find_survivor(store: MutableMapping[str, Any], story_id: str) -> dict[str, Any] | None:
    """Follow tombstones from ``story_id`` to the state of the story that absorbed it (None if lost)."""
    for _ in range(MAX_MERGE_HOPS):
        value = store.get(story_key(story_id))
        if not isinstance(value, dict):
            return None
        if MERGED_INTO not in value:
            value.setdefault("evs", {})
            return value
        story_id = value[MERGED_INTO]
    return None


def merge_story_state(survivor: dict[str, Any], absorbed: dict[str, Any]) -> None:
    """Fold the state of a story absorbed by a merge into the survivor's (in place).

    Fired records keep the higher level (ties: the earlier fire), so the merged story never re-fires a
    rule either part already fired, and escalations keep the first anchor and thus the same alert ids.
    """
    for article_id, when in absorbed.get("arts", {}).items():
        survivor["arts"].setdefault(article_id, when)
    for event, when in absorbed.get("evs", {}).items():
        survivor["evs"].setdefault(event, when)
    for source, when in absorbed.get("srcs", {}).items():
        known = survivor["srcs"].get(source)
        survivor["srcs"][source] = when if known is None else min(known, when)
    for rule, words in absorbed.get("kw", {}).items():
        mine = survivor["kw"].setdefault(rule, [])
        mine.extend(word for word in words if word not in mine)
    for rule, record in absorbed.get("fired", {}).items():
        mine = survivor["fired"].get(rule)
        if mine is None or _fired_order(record) < _fired_order(mine):
            survivor["fired"][rule] = record
    for rule, slots in absorbed.get("burst", {}).items():
        mine = survivor["burst"].setdefault(rule, {})
        for slot, count in slots.items():
            mine[slot] = mine.get(slot, 0) + count
    times = [t for t in (survivor.get("t"), absorbed.get("t")) if t is not None]
    survivor["t"] = max(times) if times else None


def _fired_order(record: dict[str, Any]) -> tuple[int, float, str]:
    return (-int(record.get("level", 0)), float(record.get("at", 0.0)), str(record.get("anchor", "")))


def cap_recent(state: dict[str, Any], field: str, limit: int) -> None:
    """Keep the ``limit`` most recent entries of a ``{id: time}`` map (what a redelivery can replay)."""
    entries: dict[str, float] = state[field]
    if len(entries) > limit:
        kept = sorted(entries.items(), key=lambda item: (item[1], item[0]))[-limit:]
        state[field] = dict(kept)


class StoryIndex:
    """TTL bookkeeping for per-story state, driven by event time (no wall clock, no store scans).

    ``shard`` namespaces the shared keys (``meta``, ``ttl:``): in a worker each stream partition writes
    its own, so no key is ever written from two partitions. A sweep drops at most ``sweep_limit``
    stories per call, so expiring a busy bucket never stalls one event.
    """

    __slots__ = ("bucket_seconds", "meta_key", "store", "sweep_limit", "ttl_prefix", "ttl_seconds")

    def __init__(
        self,
        store: MutableMapping[str, Any],
        ttl_seconds: float,
        bucket_seconds: float,
        shard: str = "",
        sweep_limit: int = 100,
    ) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds
        self.bucket_seconds = bucket_seconds
        self.sweep_limit = sweep_limit
        self.meta_key = f"{META_KEY}:{shard}" if shard else META_KEY
        self.ttl_prefix = f"{TTL_PREFIX}{shard}:" if shard else TTL_PREFIX

    def meta(self) -> dict[str, Any]:
        value = self.store.get(self.meta_key)
        return value if isinstance(value, dict) else {"buckets": [], "first": None}

    def note_time(self, when: float) -> float:
        """Record ``when`` as seen; return the earliest event time seen in this shard."""
        meta = self.meta()
        if meta.get("first") is None or when < meta["first"]:
            meta["first"] = when
            self.store[self.meta_key] = meta
        return float(meta["first"])

    def register(self, story_id: str, state: dict[str, Any]) -> None:
        """List the story in the TTL bucket of its last event time (once per bucket)."""
        bucket = int(state["t"] // self.bucket_seconds)
        if state.get("ib") == bucket:
            return
        state["ib"] = bucket
        key = f"{self.ttl_prefix}{bucket}"
        members = self.store.get(key) or []
        if story_id not in members:
            members.append(story_id)
            self.store[key] = members
        meta = self.meta()
        if bucket not in meta["buckets"]:
            meta["buckets"] = sorted([*meta["buckets"], bucket])
            self.store[self.meta_key] = meta

    def sweep(self, now: float) -> int:
        """Drop per-story state untouched for the TTL, from the oldest expired bucket. Returns drops."""
        meta = self.meta()
        cutoff = now - self.ttl_seconds
        buckets: list[int] = meta["buckets"]
        if not buckets or (buckets[0] + 1) * self.bucket_seconds > cutoff:
            return 0
        bucket = buckets[0]
        key = f"{self.ttl_prefix}{bucket}"
        members: list[str] = self.store.get(key) or []
        dropped = 0
        for story_id in members[: self.sweep_limit]:
            state = self.store.get(story_key(story_id))
            if isinstance(state, dict) and state.get("ib") == bucket and (state.get("t") or 0) < cutoff:
                del self.store[story_key(story_id)]
                dropped += 1
        if len(members) > self.sweep_limit:
            self.store[key] = members[self.sweep_limit :]
            return dropped
        if key in self.store:
            del self.store[key]
        meta["buckets"] = buckets[1:]
        self.store[self.meta_key] = meta
        return dropped

    def forget(self, story_id: str) -> None:
        """Drop a story's state now (it expired or was merged away); its index entry goes at sweep."""
        key = story_key(story_id)
        if key in self.store:
            del self.store[key]
