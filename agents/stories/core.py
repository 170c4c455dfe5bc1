"""Story clustering: assign every tagged article to a story and report how stories live and end.

``StoryClusterer`` keeps all state in the store it is given (a Faust table in the worker, a dict in
tests and ``newsstream process``); see ``agents.stories.state`` for the layout and its bounds. Per
article it reads the index lists of the article's entity ids, key terms, numbers and dates (never the
whole store), scores the few stories found there (``agents.stories.scoring``), joins the best one above
``join_threshold`` or founds a new story, and merges stories the article shows to be one. ``advance``
moves stories to dormant and expired by an event-time watermark and evicts expired state.

Processing is at-least-once: an article id already assigned returns its (surviving) story and changes
nothing, so redelivery neither counts an article twice nor emits events again.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable, MutableMapping
from datetime import datetime
from typing import Any

from agents.errors import BadArticle
from agents.stories.features import ArticleFeatures, extract_features
from agents.stories.model import EntityCount, EntityRef, StoryEvent, StoryEventKind, StoryInput
from agents.stories.options import StoryOptions
from agents.stories.records import add_article, merge_into, new_record, to_event
from agents.stories.retrieval import candidates
from agents.stories.scoring import Prepared, prepare, score, story_as_features, with_idf
from agents.stories.state import StoryStore

__all__ = [
    "CLUSTERING_KEY",
    "EntityCount",
    "EntityRef",
    "StoryClusterer",
    "StoryEvent",
    "StoryEventKind",
    "StoryInput",
    "StoryOptions",
    "story_id_for",
]

logger = logging.getLogger(__name__)

_STEM_CACHE_LIMIT = 200_000

CLUSTERING_KEY = "stories"
"""Message key for ``news.tagged`` on its way to the story agent: one constant, so one partition owns every
live story in every language. Keying by language would put an English report and the Arabic story it
belongs to in different partitions (separate state), which defeats cross-lingual linking; see README."""


def story_id_for(article_id: str) -> str:
    """Id of the story an article founds: stable, so a replay on empty state gives the same ids."""
    return "story-" + hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()


def _active_time(record: dict[str, Any]) -> float:
    """When a story last had news, for its lifecycle: its newest article's event time, or the watermark
    when that article arrived if later. A report that arrives days after the stream has moved on (a
    late feed, a wrongly dated page) would otherwise found a story that expires at once, taking with it
    the record that its article was seen, so a redelivery of it would found another story."""
    return max(record["t1"], record.get("w", 0.0))


def _feature_keys(features: ArticleFeatures) -> list[str]:
    """Index keys of an article (``e:`` entity, ``t:`` term, ``n:``/``d:`` number or date)."""
    keys = ["e:" + key for key in features.entities]
    keys.extend("t:" + key for key in features.terms)
    keys.extend(features.numbers)
    return keys


def _strongest(weights: dict[str, float], prefix: str, limit: int) -> list[str]:
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])[:limit]
    return [prefix + key for key, _ in ranked]


def index_keys(features: ArticleFeatures, options: StoryOptions) -> list[str]:
    """Keys a story is listed under for an article: its strongest entities, terms, dates/numbers."""
    return (
        _strongest(features.entities, "e:", options.index_entities_per_article)
        + _strongest(features.terms, "t:", options.index_terms_per_article)
        + _strongest(features.numbers, "", options.index_numbers_per_article)
    )


class StoryClusterer:
    """Assigns articles to stories; the state lives in ``store`` (see module docstring)."""

    def __init__(self, store: MutableMapping[str, Any], options: StoryOptions | None = None) -> None:
        self.options = options or StoryOptions()
        self._state = StoryStore(store, self.options.max_posting)
        self._bucket_seconds = self.options.schedule_bucket_minutes * 60.0
        self._stems: dict[str, str] = {}
        self._type_weights: dict[str, float] = {}
        # Latest watermark passed to ``advance`` (event time, epoch seconds); see ``_active_time``.
        self._watermark: float | None = None

    #: Keys computed from the story records (index postings, lifecycle schedule, live count). A worker keeps
    #: them out of the changelog and calls :meth:`rebuild_derived` when it takes over a partition.
    DERIVED_PREFIXES = ("k:", "q:", "meta")

    def rebuild_derived(self, primary_items: Iterable[tuple[str, Any]]) -> int:
        """Recompute postings, schedule and ``meta`` from the ``s:`` story records; returns their count.

        Records are replayed oldest first so posting lists trimmed to ``max_posting`` keep the same stories
        they would have kept live.
        """
        records = sorted(
            (value for key, value in primary_items if key.startswith("s:") and isinstance(value, dict)),
            key=lambda record: (record.get("t0", 0.0), record["id"]),
        )
        meta: dict[str, Any] = {"live": 0, "buckets": []}
        for record in records:
            meta["live"] += 1
            self._note_watermark(_active_time(record))
            for key in record.get("keys", ()):
                self._state.add_posting(key, record["id"])
            if record.get("due") is not None:
                self._state.schedule(meta, record["due"], record["id"])
        self._state.put_meta(meta)
        return len(records)

    def resolve(self, story_id: str) -> str:
        """Follow merges to the surviving id."""
        return self._state.resolve(story_id)

    def summary(self, story_id: str) -> StoryEvent | None:
        """Current state of a story (followed through merges) as an event, or None once evicted.

        ``kind`` is ``dormant`` for a dormant story, else ``created`` for a one-article story and
        ``grew`` for a larger one.
        """
        record = self._state.story(self._state.resolve(story_id))
        if record is None:
            return None
        kind: StoryEventKind = "grew" if record["n"] > 1 else "created"
        if record["st"] == "dormant":
            kind = "dormant"
        return to_event(record, kind, self.options)

    def story_of(self, article_id: str) -> str | None:
        """Surviving story id of an article already assigned (None if unknown or evicted)."""
        story_id = self._state.article_story(article_id)
        return None if story_id is None else self._state.resolve(story_id)

    def features(self, item: StoryInput) -> ArticleFeatures:
        """What ``assign`` compares of an article; a pure function of it (the caches only save time), so
        it can be computed apart from the state ``assign`` updates."""
        options = self.options
        features = extract_features(
            item.title,
            item.text,
            [(ref.id, ref.type, ref.count) for ref in item.entities],
            options.lead_chars,
            options.max_article_terms,
            self._stems,
            self._type_weights,
        )
        if len(self._stems) > _STEM_CACHE_LIMIT:
            self._stems.clear()
        if len(self._type_weights) > _STEM_CACHE_LIMIT:
            self._type_weights.clear()
        return features

    def assign(self, item: StoryInput) -> tuple[str, list[StoryEvent]]:
        """Assign an article to a story; return the surviving story id and the events to publish."""
        if not item.article_id:
            raise BadArticle("schema", "story input has an empty article_id; the tagger must pass it on")
        if item.event_time.tzinfo is None or item.event_time.utcoffset() is None:
            raise BadArticle(
                "schema",
                f"article {item.article_id}: event_time must be timezone-aware (UTC), got a naive time",
            )
        known = self._state.article_story(item.article_id)
        if known is not None:
            return self._state.resolve(known), []
        time = item.event_time.timestamp()
        options = self.options
        features = item.features or self.features(item)
        meta = self._state.meta()
        meta_before = (meta["live"], len(meta["buckets"]))
        if item.duplicate_of:
            original = self._state.article_story(item.duplicate_of)
            if original is not None:
                record = self._state.story(self._state.resolve(original))
                if record is not None:
                    events = self._join(record, item, features, time, True, meta, [])
                    self._put_meta_if_changed(meta, meta_before)
                    return record["id"], events
        keys = _feature_keys(features)
        postings = {key: self._state.posting(key) for key in keys}
        live = max(1, meta["live"])
        idf = {key: math.log((live + 1) / (len(posting) + 1)) + 1.0 for key, posting in postings.items()}
        matches = self._matches(features, idf, item.language or "und", time, postings)
        if not matches:
            record = new_record(story_id_for(item.article_id), time)
            meta["live"] += 1
            events = self._join(record, item, features, time, False, meta, [])
            self._register(record, index_keys(features, options))
            self._state.put_story(record)
            self._put_meta_if_changed(meta, meta_before)
            return record["id"], events
        best = matches[0][1]
        merged: list[str] = []
        best_profile: Prepared | None = None
        for _, other in matches[1:]:
            if best_profile is None:
                best_profile = prepare(story_as_features(best))
            if self._same_story(best, other, best_profile) >= options.merge_threshold:
                best = self._merge(best, other, meta, merged)
                best_profile = None  # the survivor's profile changed
        events = self._join(best, item, features, time, False, meta, merged)
        self._register(best, index_keys(features, options))
        self._state.put_story(best)
        self._put_meta_if_changed(meta, meta_before)
        return best["id"], events

    def _put_meta_if_changed(self, meta: dict[str, Any], before: tuple[int, int]) -> None:
        """Write ``meta`` only when assign changed it (the live count or the pending buckets)."""
        if (meta["live"], len(meta["buckets"])) != before:
            self._state.put_meta(meta)

    def _matches(
        self,
        features: ArticleFeatures,
        idf: dict[str, float],
        language: str,
        time: float,
        postings: dict[str, list[str]],
    ) -> list[tuple[float, dict[str, Any]]]:
        """Stories scoring at least the join threshold, best first.

        Candidates come from the index only (``agents.stories.retrieval``); the article's weights are
        prepared once and scored against each of them.
        """
        options = self.options
        ranked = candidates(
            postings, idf, options.max_scanned_postings, options.max_candidates, options.candidate_hit_ratio
        )
        found: list[tuple[float, dict[str, Any]]] = []
        if not ranked:
            return found
        weighted = prepare(with_idf(features, idf))
        for story_id in ranked:
            record = self._state.story(story_id)
            if record is None:
                continue
            value = score(weighted, language, time, time, record, options)
            same_language = language == record["main"]
            if value >= (options.join_threshold if same_language else options.cross_lingual_threshold):
                found.append((value, record))
        found.sort(key=lambda pair: (-pair[0], pair[1]["t0"], pair[1]["id"]))
        return found

    def _same_story(self, first: dict[str, Any], second: dict[str, Any], first_profile: Prepared) -> float:
        """Symmetric story-to-story score (mean of both directions), used to decide merges.

        ``first_profile`` is ``first``'s profile prepared by the caller, which checks one story against
        several and so builds it once.
        """
        one = self._story_score(first, first_profile, second)
        two = self._story_score(second, prepare(story_as_features(second)), first)
        return (one + two) / 2.0

    def _story_score(self, first: dict[str, Any], profile: Prepared, second: dict[str, Any]) -> float:
        return score(profile, first["main"], first["t0"], first["t1"], second, self.options)

    def _merge(
        self, first: dict[str, Any], second: dict[str, Any], meta: dict[str, Any], merged: list[str]
    ) -> dict[str, Any]:
        """Merge two stories into the older one; move index entries and leave a redirect."""
        survivor, absorbed = sorted((first, second), key=lambda record: (record["t0"], record["id"]))
        for article_id in merge_into(survivor, absorbed, self.options):
            self._state.drop_article(article_id)
        for key in absorbed["keys"]:
            self._state.remove_posting(key, absorbed["id"])
        self._register(survivor, list(absorbed["keys"]))
        self._state.drop_story(absorbed["id"])
        for story_id in [absorbed["id"], *absorbed["absorbed"]]:
            self._state.redirect(story_id, survivor["id"])
        meta["live"] = max(0, meta["live"] - 1)
        survivor["due"] = None
        merged.append(absorbed["id"])
        logger.debug("merged story %s into %s", absorbed["id"], survivor["id"])
        return survivor

    def _join(
        self,
        record: dict[str, Any],
        item: StoryInput,
        features: ArticleFeatures,
        time: float,
        is_duplicate: bool,
        meta: dict[str, Any],
        merged: list[str],
    ) -> list[StoryEvent]:
        """Add the article to a record (not yet written) and return its events."""
        created = record["n"] == 0
        new_source, dropped = add_article(record, item, features, time, is_duplicate, self.options)
        for article_id in dropped:
            self._state.drop_article(article_id)
        self._state.set_article_story(item.article_id, record["id"])
        if self._watermark is not None and self._watermark > record["t1"]:
            record["w"] = max(record.get("w", 0.0), self._watermark)
        record["st"] = "live"
        self._reschedule(record, meta)
        if is_duplicate:
            self._state.put_story(record)
        events: list[StoryEvent] = []
        if merged:
            events.append(to_event(record, "merged", self.options, item.article_id, merged))
        kind: StoryEventKind = "created" if created else "grew"
        events.append(to_event(record, kind, self.options, item.article_id, None, new_source and not created))
        return events

    def _register(self, record: dict[str, Any], keys: list[str]) -> None:
        """List the story under these index keys, up to ``max_story_keys`` keys per story."""
        registered = record["keys"]
        room = self.options.max_story_keys - len(registered)
        for key in keys:
            if room <= 0:
                return
            if key in registered:
                continue
            registered[key] = 1
            self._state.add_posting(key, record["id"])
            room -= 1

    def _bucket(self, seconds: float) -> int:
        return math.ceil(seconds / self._bucket_seconds)

    def _reschedule(self, record: dict[str, Any], meta: dict[str, Any]) -> None:
        """Queue the record's next lifecycle check (dormant if live, expired if dormant)."""
        options = self.options
        hours = options.dormant_after_hours if record["st"] == "live" else options.expire_after_hours
        due = self._bucket(_active_time(record) + hours * 3600.0)
        if record["due"] != due:
            record["due"] = due
            self._state.schedule(meta, due, record["id"])

    def advance(self, now: datetime) -> list[StoryEvent]:
        """Apply dormant/expired transitions due by the event-time watermark ``now``; evict expired state.

        Cheap when nothing is due: one read of ``meta``. Transitions are reported at most one schedule
        bucket after they fall due.
        """
        moment = now.timestamp()
        self._note_watermark(moment)
        meta = self._state.meta()
        buckets = meta["buckets"]
        horizon = math.floor(moment / self._bucket_seconds)
        if not buckets or buckets[0] > horizon:
            return []
        events: list[StoryEvent] = []
        while buckets and buckets[0] <= horizon:
            bucket = buckets.pop(0)
            for story_id in self._state.take_bucket(bucket):
                record = self._state.story(story_id)
                if record is None or record["due"] != bucket:
                    continue
                events.extend(self._transition(record, moment, meta))
        self._state.put_meta(meta)
        return events

    def _note_watermark(self, moment: float) -> None:
        self._watermark = moment if self._watermark is None else max(self._watermark, moment)

    def _transition(self, record: dict[str, Any], moment: float, meta: dict[str, Any]) -> list[StoryEvent]:
        events: list[StoryEvent] = []
        quiet = moment - _active_time(record)
        if record["st"] == "live" and quiet >= self.options.dormant_after_hours * 3600.0:
            record["st"] = "dormant"
            events.append(to_event(record, "dormant", self.options))
        if record["st"] == "dormant" and quiet >= self.options.expire_after_hours * 3600.0:
            events.append(to_event(record, "expired", self.options))
            self._evict(record, meta)
            return events
        record["due"] = None
        self._reschedule(record, meta)
        self._state.put_story(record)
        return events

    def _evict(self, record: dict[str, Any], meta: dict[str, Any]) -> None:
        """Remove every key the story owns: record, article map, redirects, index entries."""
        for key in record["keys"]:
            self._state.remove_posting(key, record["id"])
        for article_id in record["arts"]:
            self._state.drop_article(article_id)
        for story_id in record["absorbed"]:
            self._state.drop_redirect(story_id)
        self._state.drop_story(record["id"])
        meta["live"] = max(0, meta["live"] - 1)
