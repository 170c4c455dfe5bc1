"""The store layout of the dedup core: every key it reads or writes, and the compact record per article.

Keys (one flat keyspace, so the store can be one Faust table; values are JSON-serialisable):

- ``a:<article id>`` → the article record (:class:`StoredArticle`: MinHash and shingle sample as base64 of
  packed uint32, sizes, opening fingerprints, its verdict and its original; about 1.4 kB as JSON for a
  median 210-word article, so with its band, hash and bucket entries about 2.6 kB per stored article);
- ``b:<band>:<hex>`` → ids of stored articles whose MinHash has that LSH band (at most ``max_bucket_ids``);
- ``x:<content hash>`` → id of the earliest stored article with that exact normalised body;
- ``t:<time bucket>`` → ids of stored articles whose event time falls in that bucket (for eviction);
- ``watermark`` → the latest event time seen (epoch seconds), written when it moves;
- ``buckets`` → sorted list of the time buckets that hold articles, written when one opens or is evicted.

Every look-up is a point get by key; nothing iterates the store.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np

ARTICLE_PREFIX = "a:"
BAND_PREFIX = "b:"
EXACT_PREFIX = "x:"
TIME_PREFIX = "t:"
WATERMARK_KEY = "watermark"
BUCKETS_KEY = "buckets"


def article_key(article_id: str) -> str:
    return ARTICLE_PREFIX + article_id


def exact_key(exact_hash: str) -> str:
    return EXACT_PREFIX + exact_hash


def time_key(bucket: int) -> str:
    return f"{TIME_PREFIX}{bucket}"


def band_keys(minhash: np.ndarray, bands: int, rows: int) -> list[str]:
    """One key per LSH band: the band index and the hex of its ``rows`` MinHash values."""
    hexed = minhash[: bands * rows].astype("<u4").tobytes().hex()
    width = 8 * rows
    return [f"{BAND_PREFIX}{band}:{hexed[band * width : (band + 1) * width]}" for band in range(bands)]


def encode_uint32(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def decode_uint32(encoded: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(encoded), dtype="<u4")


@dataclass(slots=True)
class StoredArticle:
    """What the store keeps about one article (values JSON-serialisable through :meth:`to_value`).

    ``root_*`` name the earliest article this one copies (itself when it is an original), so a later copy
    of a copy reports the first publisher. ``verdict`` is the verdict returned the first time, replayed on
    redelivery so at-least-once processing cannot change it.
    """

    article_id: str
    event_time: float
    source: str
    minhash: np.ndarray
    shingle_count: int
    word_count: int
    lead: tuple[int, ...]
    sample_encoded: str
    sample_rate: int
    exact_hash: str
    root_id: str
    root_source: str
    root_time: float
    matched_id: str | None
    duplicate_kind: str | None
    similarity: float | None

    @property
    def sample(self) -> np.ndarray:
        """The stored shingle sample, decoded only when a candidate gets that far."""
        return decode_uint32(self.sample_encoded)

    def to_value(self) -> dict[str, Any]:
        return {
            "t": self.event_time,
            "s": self.source,
            "m": encode_uint32(self.minhash),
            "n": self.shingle_count,
            "w": self.word_count,
            "l": list(self.lead),
            "q": self.sample_encoded,
            "e": self.sample_rate,
            "x": self.exact_hash,
            "r": [self.root_id, self.root_source, self.root_time],
            "y": self.matched_id,
            "k": self.duplicate_kind,
            "p": self.similarity,
        }

    @classmethod
    def from_value(cls, article_id: str, value: dict[str, Any]) -> StoredArticle:
        root_id, root_source, root_time = value["r"]
        return cls(
            article_id=article_id,
            event_time=float(value["t"]),
            source=value["s"],
            minhash=decode_uint32(value["m"]),
            shingle_count=int(value["n"]),
            word_count=int(value["w"]),
            lead=tuple(value["l"]),
            sample_encoded=value["q"],
            sample_rate=int(value["e"]),
            exact_hash=value["x"],
            root_id=root_id,
            root_source=root_source,
            root_time=float(root_time),
            matched_id=value["y"],
            duplicate_kind=value["k"],
            similarity=value["p"],
        )
