"""Each stage as a function from one wire record to the next, over its pure core.

The Faust agents (``agents/<stage>/agent.py``) and the offline ``newsstream process`` both call these
classes, so batch and stream run exactly the same code. A stage receives its state as a mutable mapping: a
Faust table in a worker, a dict offline. This module is the only place that maps the wire contract
(``streams.schemas``) to the cores' own types.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agents.alerts import AlertEngine, ArticleView, ReloadingRules, RuleSet, StoryView
from agents.clean.core import Cleaner, PageInput
from agents.dedup.core import DedupInput, Deduplicator
from agents.dedup.options import DedupOptions
from agents.entities.reloading import ReloadingTagger
from agents.stories.core import EntityRef, StoryClusterer, StoryInput
from agents.stories.options import StoryOptions
from streams.schemas import (
    Alert,
    ArticleBrief,
    CleanArticle,
    DedupedArticle,
    RawArticle,
    StoryEvent,
    TaggedArticle,
)
from streams.settings import Settings

log = logging.getLogger(__name__)

Store = MutableMapping[str, Any]
#: Builds a core over a worker's table given ``make(store) -> core`` (see ``streams.state.table_store``).
Wrap = Callable[[Callable[[Store], Any]], Any]


def shared_tagger(settings: Settings) -> ReloadingTagger:
    """One tagger per process and gazetteer file: building the automaton takes seconds and it is
    read-only, so the tagging and alert stages share it (the alert rules resolve names through it)."""
    return _tagger(settings.gazetteer, settings.cache_dir)


@functools.cache
def _tagger(gazetteer: Path | None, cache_dir: Path) -> ReloadingTagger:
    return ReloadingTagger(extra_paths=(gazetteer,) if gazetteer else (), cache_dir=cache_dir)


class CleanStage:
    """RawArticle -> CleanArticle (title, body, language, date)."""

    def __init__(self, settings: Settings, chrome_store: Store) -> None:
        self._cleaner = Cleaner(chrome_store)

    def __call__(self, raw: RawArticle) -> CleanArticle:
        # A crawler that does not say when it fetched a page fetched it now, as far as anyone can tell.
        fetched_at = raw.fetched_at or datetime.now(UTC)
        result = self._cleaner.clean(
            PageInput(
                source=raw.source,
                text=raw.text,
                html=raw.html,
                title=raw.title,
                url=raw.url,
                article_id=raw.id,
                fetched_at=fetched_at,
                published_at=raw.published_at,
                language=raw.language,
            )
        )
        return CleanArticle(
            id=raw.id,
            source=raw.source,
            url=raw.url,
            title=result.title,
            text=result.text,
            language=result.language,
            published_at=result.published_at,
            published_precision=result.published_precision,
            fetched_at=fetched_at,
            byline=result.byline,
            attribution=result.attribution,
            tags=list(result.tags),
            removed_lines=result.removed_lines,
        )


class DedupStage:
    """CleanArticle -> DedupedArticle (exact/near duplicate verdict)."""

    def __init__(self, settings: Settings, store: Store, wrap: Wrap | None = None) -> None:
        options = DedupOptions(window=timedelta(days=settings.dedup_window_days))

        def make(state: Store) -> Deduplicator:
            return Deduplicator(state, options)

        self._dedup = wrap(make) if wrap else make(store)

    def fingerprint(self, article: CleanArticle) -> Any:
        """What ``__call__`` would compute first from the article alone (for ``process --jobs`` workers)."""
        return self._dedup.fingerprint(article.title, article.text)

    def __call__(self, article: CleanArticle, fingerprint: Any = None) -> DedupedArticle:
        verdict = self._dedup.check(
            DedupInput(
                article_id=article.id,
                source=article.source,
                title=article.title,
                text=article.text,
                event_time=article.event_time,
                fingerprint=fingerprint,
            )
        )
        return DedupedArticle(
            **article.model_dump(),
            duplicate_of=verdict.duplicate_of,
            duplicate_kind=verdict.duplicate_kind,
            similarity=verdict.similarity,
            first_publisher=verdict.first_publisher,
        )


class TagStage:
    """DedupedArticle -> TaggedArticle (entities with spans into the cleaned text)."""

    def __init__(self, settings: Settings) -> None:
        self._tagger = shared_tagger(settings)

    def entities(self, text: str, language: str | None) -> list[dict[str, Any]]:
        """The ``entities`` field of a TaggedArticle for this cleaned text, as plain values.

        Tagging reads nothing but the cleaned text, so ``newsstream process --jobs`` runs it beside
        cleaning in its worker processes and hands the result to ``__call__``.
        """
        self._tagger.reload_if_changed()
        return [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "mentions": [
                    {"text": m.text, "start": m.start, "end": m.end, "form": m.form} for m in e.mentions
                ],
            }
            for e in self._tagger.tagger.tag(text, language)
        ]

    def __call__(
        self, article: DedupedArticle, entities: list[dict[str, Any]] | None = None
    ) -> TaggedArticle:
        record = article.model_dump()
        # Plain dicts validated in one call: a model per entity and per mention cost a Python-level
        # __init__ each (about 20 per article), twice the whole record's validation.
        record["entities"] = self.entities(article.text, article.language) if entities is None else entities
        return TaggedArticle.model_validate(record)


class StoryStage:
    """TaggedArticle -> story id + lifecycle events (with the article behind created/grew)."""

    def __init__(self, settings: Settings, store: Store, wrap: Wrap | None = None) -> None:
        options = StoryOptions(
            dormant_after_hours=settings.story_dormant_hours, expire_after_hours=settings.story_expire_hours
        )
        self._gazetteer = shared_tagger(settings)

        def make(state: Store) -> StoryClusterer:
            return StoryClusterer(state, options)

        self._clusterer = wrap(make) if wrap else make(store)

    def features(self, article: CleanArticle, entities: list[dict[str, Any]]) -> Any:
        """What ``__call__`` compares of the article (``TagStage.entities`` its entities), computed apart
        from the story state (for ``process --jobs`` workers)."""
        refs = tuple(
            EntityRef(e["id"], e["name"], self._kind(e["id"], e["type"]), len(e["mentions"]))
            for e in entities
        )
        return self._clusterer.features(self._input(article, refs, None))

    def __call__(self, article: TaggedArticle, features: Any = None) -> tuple[str, list[StoryEvent]]:
        event_time = article.event_time
        refs = tuple(
            EntityRef(e.id, e.name, self._kind(e.id, e.type), len(e.mentions)) for e in article.entities
        )
        story_id, events = self._clusterer.assign(self._input(article, refs, article.duplicate_of, features))
        brief = ArticleBrief(
            id=article.id,
            source=article.source,
            language=article.language,
            title=article.title,
            text=article.text,
            entity_ids=[e.id for e in article.entities],
            duplicate_of=article.duplicate_of,
            event_time=event_time,
        )
        wire = [_story_event(event, brief if event.article_id == article.id else None) for event in events]
        # The watermark never runs ahead of when the page was fetched: one wrong date must not expire
        # every live story at once.
        watermark = (
            min(event_time, article.fetched_at + timedelta(days=1)) if article.fetched_at else event_time
        )
        wire.extend(_story_event(event, None) for event in self._clusterer.advance(watermark))
        return story_id, wire

    @staticmethod
    def _input(
        article: CleanArticle, refs: tuple[EntityRef, ...], duplicate_of: str | None, features: Any = None
    ) -> StoryInput:
        return StoryInput(
            article_id=article.id,
            source=article.source,
            title=article.title,
            text=article.text,
            language=article.language,
            event_time=article.event_time,
            entities=refs,
            duplicate_of=duplicate_of,
            features=features,
        )

    def _kind(self, entity_id: str, entity_type: str) -> str:
        """``TYPE/subtype`` (``LOCATION/country``): countries weigh less than names when clustering."""
        record = self._gazetteer.tagger.gazetteer.entity(entity_id)
        return f"{entity_type}/{record.subtype}" if record is not None and record.subtype else entity_type


def _story_event(event: Any, brief: ArticleBrief | None) -> StoryEvent:
    # One validation of plain values (not a model per entity count), as in TagStage.
    return StoryEvent.model_validate(
        {
            "kind": event.kind,
            "story_id": event.story_id,
            "headline": event.headline,
            "article_ids": list(event.article_ids),
            "sources": list(event.sources),
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type, "count": e.count} for e in event.entities
            ],
            "languages": list(event.languages),
            "first_seen": event.first_seen,
            "last_seen": event.last_seen,
            "growth_rate": event.growth_rate,
            "article_id": event.article_id,
            "merged_ids": list(event.merged_ids),
            "new_source": event.new_source,
            "article": brief,
        }
    )


class AlertStage:
    """Story events (with the article that caused them) -> alerts, once per story per rule and level."""

    def __init__(self, settings: Settings, store: Store) -> None:
        rules: RuleSet | ReloadingRules = ReloadingRules(settings.rules) if settings.rules else RuleSet()
        tagger = shared_tagger(settings)
        self._engine = AlertEngine(
            rules, store, resolve_entity=lambda name: tagger.tagger.gazetteer.resolve(name)
        )

    def __call__(self, event: StoryEvent) -> list[Alert]:
        story = StoryView(
            kind=event.kind,
            story_id=event.story_id,
            headline=event.headline,
            article_ids=tuple(event.article_ids),
            sources=tuple(event.sources),
            entities=tuple((e.id, e.name, e.count) for e in event.entities),
            languages=tuple(event.languages),
            first_seen=event.first_seen,
            last_seen=event.last_seen,
            merged_ids=tuple(event.merged_ids),
        )
        brief = event.article
        article = None
        if brief is not None:
            article = ArticleView(
                article_id=brief.id,
                source=brief.source,
                language=brief.language,
                title=brief.title,
                text=brief.text,
                entity_ids=tuple(brief.entity_ids),
                event_time=brief.event_time,
                duplicate_of=brief.duplicate_of,
            )
        # The core's to_dict() is the alert record (the same fields the wire model validates).
        return [Alert.model_validate(alert.to_dict()) for alert in self._engine.evaluate(story, article)]
