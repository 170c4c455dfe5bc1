"""Signature state over a plain ``MutableMapping``: insert, candidate look-up and event-time eviction.

The mapping is a dict in tests and in the offline ``newsstream process`` and a changelogged Faust table in a
worker, so this class keeps nothing authoritative in memory: every fact lives under a key described in
:mod:`agents.dedup.records`, written by ``store[key] = value`` and removed by ``del store[key]``.

Bound: an article is stored in the time bucket of its event time and removed, with its band and exact-hash
entries, once the watermark (the latest event time seen) has moved a full ``window`` past that bucket. So the
store holds at most the articles of one window plus one bucket, each band list holds at most
``max_bucket_ids`` ids, and the bucket list holds at most ``window / bucket + 1`` entries.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from .options import DedupOptions
from .records import (
    ARTICLE_PREFIX,
    BUCKETS_KEY,
    WATERMARK_KEY,
    StoredArticle,
    article_key,
    band_keys,
    exact_key,
    time_key,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Result of :meth:`SignatureState.lookup`: candidate ids, and the band lists read to find them."""

    ids: list[str]
    band_lists: list[list[str] | None]


class SignatureState:
    """Reads and writes the dedup keys of one store; see the module docstring for the bound."""

    __slots__ = ("_options", "_store")

    def __init__(self, store: MutableMapping[str, Any], options: DedupOptions) -> None:
        self._store = store
        self._options = options

    def get(self, article_id: str) -> StoredArticle | None:
        value = self._store.get(article_key(article_id))
        return None if value is None else StoredArticle.from_value(article_id, value)

    def lookup(self, exact_hash: str, bands: list[str]) -> Candidates:
        """Ids sharing the exact hash or at least one LSH band, each once, exact holder first."""
        store = self._store
        ids: list[str] = []
        exact_id = store.get(exact_key(exact_hash))
        if exact_id is not None:
            ids.append(exact_id)
        band_lists = [store.get(key) for key in bands]
        for members in band_lists:
            if members:
                ids.extend(members)
        return Candidates(list(dict.fromkeys(ids)), band_lists)

    def watermark(self) -> float | None:
        watermark = self._store.get(WATERMARK_KEY)
        return None if watermark is None else float(watermark)

    def is_expired(self, event_time: float) -> bool:
        """True when an article with this event time would be evicted at once (older than the window)."""
        watermark = self.watermark()
        return watermark is not None and self._bucket_end(self._bucket(event_time)) <= (
            watermark - self._options.window_seconds
        )

    def insert(self, record: StoredArticle, bands: list[str], band_lists: list[list[str] | None]) -> None:
        """Store ``record`` under its id, its band keys, its exact hash and its time bucket.

        ``band_lists`` are the current values of ``bands`` as returned by :meth:`lookup` (nothing may write
        the store in between), which saves reading them twice.
        """
        store = self._store
        store[article_key(record.article_id)] = record.to_value()
        limit = self._options.max_bucket_ids
        for key, ids in zip(bands, band_lists, strict=True):
            if ids is None:
                store[key] = [record.article_id]
            else:
                store[key] = [*ids[len(ids) + 1 - limit :], record.article_id]
        x_key = exact_key(record.exact_hash)
        holder_id = store.get(x_key)
        holder = None if holder_id is None else self.get(holder_id)
        if holder is None or (holder.event_time, holder.article_id) > (record.event_time, record.article_id):
            store[x_key] = record.article_id
        bucket = self._bucket(record.event_time)
        t_key = time_key(bucket)
        ids = list(store.get(t_key, ()))
        ids.append(record.article_id)
        store[t_key] = ids
        buckets = store.get(BUCKETS_KEY, [])
        position = bisect.bisect_left(buckets, bucket)
        if position == len(buckets) or buckets[position] != bucket:
            store[BUCKETS_KEY] = [*buckets[:position], bucket, *buckets[position:]]

    def rebuild_derived(self, primary_items: Iterable[tuple[str, Any]]) -> int:
        """Recompute band lists, exact-hash holders, time buckets and the watermark from ``a:`` records.

        A worker keeps these keys out of the changelog and calls this when it takes over a partition;
        records are replayed in event-time order so capped band lists keep the same ids they would have.
        """
        records = sorted(
            (
                StoredArticle.from_value(key[len(ARTICLE_PREFIX) :], value)
                for key, value in primary_items
                if key.startswith(ARTICLE_PREFIX) and isinstance(value, dict)
            ),
            key=lambda record: (record.event_time, record.article_id),
        )
        store = self._store
        options = self._options
        limit = options.max_bucket_ids
        buckets: set[int] = set()
        watermark: float | None = None
        for record in records:
            for key in band_keys(record.minhash, options.bands, options.rows):
                ids = store.get(key)
                store[key] = (
                    [record.article_id] if ids is None else [*ids[len(ids) + 1 - limit :], record.article_id]
                )
            x_key = exact_key(record.exact_hash)
            if x_key not in store:  # replayed oldest first: the first holder is the earliest
                store[x_key] = record.article_id
            bucket = self._bucket(record.event_time)
            t_key = time_key(bucket)
            store[t_key] = [*store.get(t_key, ()), record.article_id]
            buckets.add(bucket)
            watermark = record.event_time if watermark is None else max(watermark, record.event_time)
        store[BUCKETS_KEY] = sorted(buckets)
        if watermark is not None:
            store[WATERMARK_KEY] = watermark
        return len(records)

    def advance(self, event_time: float) -> int:
        """Move the watermark to ``event_time`` if later and evict buckets older than the window.

        Returns the number of articles evicted.
        """
        store = self._store
        watermark = self.watermark()
        if watermark is not None and event_time <= watermark:
            return 0
        store[WATERMARK_KEY] = event_time
        cutoff = event_time - self._options.window_seconds
        buckets = store.get(BUCKETS_KEY, [])
        if not buckets or self._bucket_end(buckets[0]) > cutoff:
            return 0
        buckets = list(buckets)
        evicted = 0
        while buckets and self._bucket_end(buckets[0]) <= cutoff:
            evicted += self._evict_bucket(buckets.pop(0))
        store[BUCKETS_KEY] = buckets
        if evicted:
            logger.debug("evicted %d articles older than %s", evicted, cutoff)
        return evicted

    def _evict_bucket(self, bucket: int) -> int:
        store = self._store
        t_key = time_key(bucket)
        ids = store.get(t_key, ())
        evicted = 0
        for article_id in ids:
            record = self.get(article_id)
            if record is None:
                continue
            options = self._options
            for key in band_keys(record.minhash, options.bands, options.rows):
                self._discard(key, article_id)
            x_key = exact_key(record.exact_hash)
            if store.get(x_key) == article_id:
                del store[x_key]
            del store[article_key(article_id)]
            evicted += 1
        if t_key in store:
            del store[t_key]
        return evicted

    def _discard(self, key: str, article_id: str) -> None:
        ids = self._store.get(key)
        if ids is None or article_id not in ids:
            return
        remaining = [other for other in ids if other != article_id]
        if remaining:
            self._store[key] = remaining
        else:
            del self._store[key]

    def _bucket(self, event_time: float) -> int:
        return math.floor(event_time / self._options.bucket_seconds)

    def _bucket_end(self, bucket: int) -> float:
        return (bucket + 1) * self._options.bucket_seconds
