"""Each stage as a function from one wire record to the next, over its pure core.

The Faust agents (``agents/<stage>/agent.py``) and the offline ``newsstream process`` both call these
classes, so batch and stream run exactly the same code. A stage receives its state as a mutable mapping: a
Faust table in a worker, a dict offline.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from agents.errors import BadArticle
from streams.schemas import (
    Alert,
    CleanArticle,
    DedupedArticle,
    RawArticle,
    StoryEvent,
    TaggedArticle,
)
from streams.settings import Settings

Store = MutableMapping[str, Any]

_TAG_RE = re.compile(r"<[^>]+>")


class CleanStage:
    """RawArticle -> CleanArticle (title, body, language, date)."""

    def __init__(self, settings: Settings, chrome_store: Store) -> None:
        self._store = chrome_store

    def __call__(self, raw: RawArticle) -> CleanArticle:
        body = raw.text if raw.text and raw.text.strip() else _TAG_RE.sub(" ", raw.html or "")
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        if not lines:
            raise BadArticle("empty_after_cleaning", "nothing of the article was left after cleaning")
        title = raw.title or lines[0]
        return CleanArticle(
            id=raw.id,
            source=raw.source,
            url=raw.url,
            title=title,
            text="\n\n".join(lines),
            language=raw.language or "und",
            published_at=raw.published_at,
            fetched_at=raw.fetched_at,
        )


class DedupStage:
    """CleanArticle -> DedupedArticle (exact/near duplicate verdict)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store

    def __call__(self, article: CleanArticle) -> DedupedArticle:
        return DedupedArticle(**article.model_dump(), first_publisher=article.source)


class TagStage:
    """DedupedArticle -> TaggedArticle (entities with spans into the cleaned text)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def __call__(self, article: DedupedArticle) -> TaggedArticle:
        return TaggedArticle(**article.model_dump())


class StoryStage:
    """TaggedArticle -> story id + lifecycle events."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store

    def __call__(self, article: TaggedArticle) -> tuple[str | None, list[StoryEvent]]:
        return None, []


class AlertStage:
    """Story events (+ the article that caused them) -> alerts."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store

    def __call__(self, event: StoryEvent) -> list[Alert]:
        return []
