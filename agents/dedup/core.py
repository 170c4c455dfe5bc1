"""The dedup decision: is a cleaned article original, or an exact or near copy of an earlier one?

How it works: the article's body is normalised and fingerprinted (:mod:`agents.dedup.fingerprint`);
candidates are the stored articles that share its content hash or one of its LSH bands (one point get per
band, 20 by default); each candidate with an earlier or equal event time is checked by the pair rule
(:mod:`agents.dedup.matching`); the verdict names the earliest original among the matches. The article is
then stored, so later copies find it, and articles older than the window are evicted
(:mod:`agents.dedup.state`).

Order: an article is only ever a copy of an article with an earlier (or equal, already stored) event time.
When a copy arrives before its original, the copy is reported original (its verdict is already published)
and the original, arriving later with a strictly earlier event time, is reported original too; any third
copy then names the earliest of the two. So the verdicts depend only on the set of articles with an earlier
event time seen before, and are the same for every arrival order that follows event time.

Idempotency: the verdict is stored with the article and replayed when the same id comes again, so
redelivery never makes an article its own copy nor changes what was published.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from agents.errors import BadArticle

from .fingerprint import Fingerprint, Fingerprinter
from .matching import PairMatch, match
from .options import DedupOptions
from .records import StoredArticle, band_keys, encode_uint32
from .state import SignatureState

__all__ = ["DedupInput", "DedupOptions", "DedupVerdict", "Deduplicator"]

_KIND_RANK = {"exact": 0, "near": 1}


@dataclass(frozen=True, slots=True)
class DedupInput:
    """A cleaned article as the dedup core needs it; ``text`` is display text, one paragraph per line."""

    article_id: str
    source: str
    title: str
    text: str
    event_time: datetime
    fingerprint: Fingerprint | None = None
    """``Deduplicator.fingerprint(title, text)`` when computed elsewhere (``process --jobs`` workers)."""


@dataclass(slots=True)
class DedupVerdict:
    """Whether an article copies an earlier one.

    ``duplicate_of`` is the earliest stored article (by event time, then id) that this one copies, following
    copies of copies back to their original; ``first_publisher`` is that original's source (the article's own
    source when it is original). ``similarity`` is the estimated word-shingle Jaccard with the article it
    matched directly (1.0 for exact copies; a truncated copy scores its length ratio, about 0.6).
    ``matched_id`` is that directly matched article (equal to ``duplicate_of`` unless it was itself a copy),
    and ``duplicate_kind`` says how this article copies it (``exact``: same normalised body paragraphs).
    """

    duplicate_of: str | None
    duplicate_kind: Literal["exact", "near"] | None
    similarity: float | None
    first_publisher: str
    matched_id: str | None = None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


class Deduplicator:
    """Decides and remembers; all state lives in ``store`` (see :mod:`agents.dedup.records`)."""

    __slots__ = ("_fingerprinter", "_options", "_state")

    def __init__(self, store: MutableMapping[str, Any], options: DedupOptions = DedupOptions()) -> None:
        self._options = options
        self._state = SignatureState(store, options)
        self._fingerprinter = Fingerprinter(options)

    #: Keys derived from the ``a:`` article records; a worker keeps them out of the changelog (one changelog
    #: record per article instead of ~24) and calls :meth:`rebuild_derived` when it takes over a partition.
    DERIVED_PREFIXES = ("b:", "x:", "t:", "watermark", "buckets")

    @property
    def options(self) -> DedupOptions:
        return self._options

    def fingerprint(self, title: str, text: str) -> Fingerprint | None:
        """The fingerprint ``check`` compares: of the text, else of the title (``None``: no words at all).

        A pure function of the article, so it can be computed apart from the state ``check`` updates.
        """
        fingerprinter = self._fingerprinter
        return fingerprinter.fingerprint(text) or fingerprinter.fingerprint(title)

    def rebuild_derived(self, primary_items: Iterable[tuple[str, Any]]) -> int:
        """Recompute every derived key from the stored article records; returns how many there were."""
        return self._state.rebuild_derived(primary_items)

    def check(self, item: DedupInput) -> DedupVerdict:
        """Return the verdict for ``item`` and store its signature (unless older than the window).

        Raises :class:`BadArticle` (``bad_event_time``) for a naive ``event_time`` and (``empty_body``) for
        an article with no words in its text or title.
        """
        if item.event_time.tzinfo is None or item.event_time.utcoffset() is None:
            raise BadArticle(
                "bad_event_time",
                f"article {item.article_id!r} has a naive event_time; send an aware UTC timestamp",
            )
        known = self._state.get(item.article_id)
        if known is not None:
            return _verdict_of(known)
        fingerprint = item.fingerprint or self.fingerprint(item.title, item.text)
        if fingerprint is None:
            raise BadArticle("empty_body", f"article {item.article_id!r} has no words to deduplicate")
        event_time = item.event_time.timestamp()
        options = self._options
        bands = band_keys(fingerprint.minhash, options.bands, options.rows)
        state = self._state
        state.advance(event_time)
        candidates = state.lookup(fingerprint.exact_hash, bands)
        record = self._decide(item, event_time, fingerprint, candidates.ids)
        if not state.is_expired(event_time):
            state.insert(record, bands, candidates.band_lists)
        return _verdict_of(record)

    def _decide(
        self, item: DedupInput, event_time: float, fingerprint: Fingerprint, candidate_ids: list[str]
    ) -> StoredArticle:
        best: tuple[tuple[float, str, int, float], StoredArticle, PairMatch] | None = None
        for candidate_id in candidate_ids:
            if candidate_id == item.article_id:
                continue
            candidate = self._state.get(candidate_id)
            if candidate is None or candidate.event_time > event_time:
                continue
            found = match(fingerprint, candidate, self._options)
            if found is None:
                continue
            rank = (candidate.root_time, candidate.root_id, _KIND_RANK[found.kind], -found.similarity)
            if best is None or rank < best[0]:
                best = (rank, candidate, found)
        record = StoredArticle(
            article_id=item.article_id,
            event_time=event_time,
            source=item.source,
            minhash=fingerprint.minhash,
            shingle_count=fingerprint.shingle_count,
            word_count=fingerprint.word_count,
            lead=fingerprint.lead,
            sample_encoded=encode_uint32(fingerprint.sample),
            sample_rate=fingerprint.sample_rate,
            exact_hash=fingerprint.exact_hash,
            root_id=item.article_id,
            root_source=item.source,
            root_time=event_time,
            matched_id=None,
            duplicate_kind=None,
            similarity=None,
        )
        if best is not None:
            _, original, found = best
            record.root_id = original.root_id
            record.root_source = original.root_source
            record.root_time = original.root_time
            record.matched_id = original.article_id
            record.duplicate_kind = found.kind
            record.similarity = round(found.similarity, 4)
        return record


def _verdict_of(record: StoredArticle) -> DedupVerdict:
    if record.duplicate_kind is None:
        return DedupVerdict(None, None, None, record.source)
    kind: Literal["exact", "near"] = "exact" if record.duplicate_kind == "exact" else "near"
    return DedupVerdict(record.root_id, kind, record.similarity, record.root_source, record.matched_id)
