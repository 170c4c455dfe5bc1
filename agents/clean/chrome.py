"""Per-source memory of recurring lines (site chrome), kept in a bounded key-value store.

Pages from one outlet share their masthead, menus and footer. Counting, per source, in how many distinct
articles each line occurs lets the cleaner strip chrome that no generic heuristic recognises. The store
is a ``MutableMapping[str, Any]`` (a Faust table in a worker, a dict in tests and ``newsstream process``)
holding one JSON-able value per source::

    {"v": 1, "n": articles counted, "t": last update (epoch seconds), "seen": [recent article keys],
     "fp": {line fingerprint: [articles containing it, n at last sight, n at first sight]}}

A line is chrome when it occurs in at least ``min_articles`` other articles of the source *and* in at least
``min_share`` of the source's articles since it first appeared: menus and taglines are on every page,
whereas the title of a popular article also recurs, on some pages only, in the "most read" box.

Bounds: at most ``max_fingerprints`` fingerprints per source (least frequent, then least recent, are
evicted down to half the bound, so the sort is amortised), ``seen_articles`` remembered article keys,
and at most ``max_sources`` sources, enforced by :func:`evict_stale_sources` (a sweep over the store's
keys that the cleaner runs every ``sweep_every`` articles, off the per-line path). Idempotency: an
article whose key is among the recent keys is not counted again, and its own earlier sighting is
subtracted when deciding, so re-cleaning gives the same result. The same holds for a page whose lines are
all equal to a recent one's under another id (a re-crawl, a repost): counted under both keys, it would
make the article's own headline and paragraphs "recur" and, after a few copies, read them as chrome.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

_VERSION = 1


def fingerprint(norm_line: str) -> str:
    """Stable fingerprint of a line in matching form (same across processes and restarts).

    CRC-32 and the length packed in one decimal string: collisions among the few hundred lines remembered
    per source are negligible, and it is several times cheaper than a cryptographic hash on the per-line
    path.
    """
    return str(zlib.crc32(norm_line.encode("utf-8")) | (len(norm_line) << 32))


def article_key(article_id: str | None, norm_lines: Iterable[str]) -> str:
    """The identity an article is counted under: its id when known, else a hash of its lines."""
    if article_id:
        return "id:" + article_id
    digest = hashlib.blake2b(digest_size=8)
    for line in norm_lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return "h:" + digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ChromeBounds:
    """Size bounds and thresholds of the chrome memory (validated by ``CleanOptions``)."""

    min_articles: int
    min_articles_prose: int
    max_fingerprints: int
    seen_articles: int
    max_sources: int
    min_share: float = 0.5


def _fresh_entry() -> dict[str, Any]:
    return {"v": _VERSION, "n": 0, "t": 0.0, "seen": [], "fp": {}}


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("v") == _VERSION
        and isinstance(entry.get("fp"), dict)
        and isinstance(entry.get("seen"), list)
    )


class ChromeMemory:
    """Counts line fingerprints per source in ``store`` and answers which lines are learned chrome."""

    def __init__(self, store: MutableMapping[str, Any], bounds: ChromeBounds) -> None:
        self._store = store
        self._bounds = bounds

    def observe(
        self, source: str, key: str, fingerprints: dict[str, bool], now: float, content_key: str | None = None
    ) -> set[str]:
        """Record one article's lines and return the fingerprints that are chrome for this source.

        ``fingerprints`` maps each distinct fingerprint of the article to whether the line is prose
        (prose needs more recurrences before it counts as chrome: a background paragraph repeated across
        a story's follow-ups is still the article's text). Decisions use the counts of *other* articles.
        ``content_key`` (``article_key(None, lines)``) identifies the page by its lines besides its id.
        """
        entry = self._store.get(source)
        if not _valid(entry):
            entry = _fresh_entry()
        table: dict[str, list[float]] = entry["fp"]
        recent = entry["seen"]
        already = key in recent or (content_key is not None and content_key in recent)
        own = 1 if already else 0
        bounds = self._bounds
        chrome: set[str] = set()
        articles = int(entry["n"])
        for fp, is_prose in fingerprints.items():
            record = table.get(fp)
            if record is None:
                continue
            others = int(record[0]) - own
            needed = bounds.min_articles_prose if is_prose else bounds.min_articles
            if others < needed:
                continue
            # Share of the source's articles since the line first appeared: chrome is on (nearly) every
            # page, while a headline in the site's "most read" box recurs on only some of them.
            first = int(record[2]) if len(record) > 2 else 1
            span = articles - first + 1 - own
            if span > 0 and others / span >= bounds.min_share:
                chrome.add(fp)
        if already:
            return chrome
        count = int(entry["n"]) + 1
        entry["n"] = count
        entry["t"] = now
        for fp in fingerprints:
            record = table.get(fp)
            if record is None:
                table[fp] = [1, count, count]
            else:
                record[0] = int(record[0]) + 1
                record[1] = count
        if len(table) > bounds.max_fingerprints:
            keep = bounds.max_fingerprints // 2
            ranked = sorted(table.items(), key=lambda item: (item[1][0], item[1][1]), reverse=True)
            entry["fp"] = dict(ranked[:keep])
        seen: list[str] = entry["seen"]
        seen.append(key)
        if content_key is not None and content_key != key:
            seen.append(content_key)
        if len(seen) > bounds.seen_articles:
            del seen[: len(seen) - bounds.seen_articles]
        self._store[source] = entry
        return chrome


def evict_stale_sources(store: MutableMapping[str, Any], max_sources: int) -> int:
    """Delete the least recently updated sources beyond ``max_sources``; return how many were deleted.

    Iterates the store's keys, so it is a periodic sweep, not part of cleaning one article.
    """
    if len(store) <= max_sources:
        return 0
    ages = []
    for source, entry in list(store.items()):
        stamp = entry.get("t", 0.0) if isinstance(entry, dict) else 0.0
        ages.append((float(stamp), source))
    ages.sort()
    doomed = ages[: len(ages) - max_sources]
    for _, source in doomed:
        del store[source]
    logger.debug("evicted %d stale sources from chrome memory", len(doomed))
    return len(doomed)
