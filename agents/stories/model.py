"""The records the story stage takes and emits (re-exported by ``agents.stories.core``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agents.stories.features import ArticleFeatures

StoryEventKind = Literal["created", "grew", "merged", "dormant", "expired"]


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity the tagger found in an article; ``count`` is its number of mentions there."""

    id: str
    name: str
    type: str
    count: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity of a story with its mentions summed over the story's articles."""

    id: str
    name: str
    type: str
    count: int


@dataclass(frozen=True, slots=True)
class StoryInput:
    """One tagged article as the clusterer needs it.

    ``event_time`` must be timezone-aware (published_at, else fetched_at). ``duplicate_of`` is the
    original's article id from the dedup stage: the article joins that story while it is still live.
    """

    article_id: str
    source: str
    title: str
    text: str
    language: str
    event_time: datetime
    entities: tuple[EntityRef, ...]
    duplicate_of: str | None = None
    features: ArticleFeatures | None = None
    """``StoryClusterer.features(item)`` when computed elsewhere (``process --jobs`` workers)."""


@dataclass(slots=True)
class StoryEvent:
    """A lifecycle event on ``news.stories`` with the story's summary after the change.

    ``growth_rate`` is articles per hour over the ``growth_window_hours`` (default 6 h) of event time
    ending at ``last_seen``. For ``merged``, ``story_id`` is the survivor and ``merged_ids`` the absorbed
    ids; readers map those ids to ``story_id`` from then on.
    """

    kind: StoryEventKind
    story_id: str
    headline: str
    article_ids: list[str]
    sources: list[str]
    entities: list[EntityCount]
    languages: list[str]
    first_seen: datetime
    last_seen: datetime
    growth_rate: float
    article_id: str | None = None
    merged_ids: list[str] = field(default_factory=list)
    new_source: bool = False
