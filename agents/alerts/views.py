"""The alert stage's own view of its inputs (stories, articles) and its output record (``Alert``).

The alerts core may not import other stages' cores, so it defines the minimal shapes it needs; the agent
maps story events and tagged articles onto them. ``AlertOptions`` holds the engine's tunables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from agents.errors import ConfigError

STORY_KINDS = ("created", "grew", "merged", "dormant", "expired")


@dataclass(frozen=True, slots=True)
class ArticleView:
    """The article that caused a story event (``text`` is the cleaned display text)."""

    article_id: str
    source: str
    language: str
    title: str
    text: str
    entity_ids: tuple[str, ...]
    event_time: datetime
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story's current summary after the event ``kind`` (created, grew, merged, dormant, expired).

    ``entities`` are ``(entity id, display name, mention count)``; ``source_times`` gives the first event
    time per distinct source, which windowed source counts need; ``merged_ids`` are the stories a merge
    folded into this one.
    """

    kind: str
    story_id: str
    headline: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    entities: tuple[tuple[str, str, int], ...]
    languages: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    merged_ids: tuple[str, ...] = ()
    source_times: tuple[tuple[str, datetime], ...] = ()


@dataclass(slots=True)
class Alert:
    """One alert. ``id`` is an idempotency key: the same rule, story and level always give the same id.

    ``created_at`` is the event time of what triggered it (not the wall clock), so a replay produces
    the same record. ``topic`` is the rule's dedicated topic (the agent always also publishes on
    ``news.alerts``); ``level`` starts at 1 and grows with each escalation.
    """

    id: str
    rule: str
    severity: str
    story_id: str
    article_ids: list[str]
    headline: str
    entities: list[str]
    reason: str
    created_at: datetime
    topic: str | None = None
    level: int = 1
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record published on the alert topics and written by the sinks."""
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "story_id": self.story_id,
            "article_ids": list(self.article_ids),
            "headline": self.headline,
            "entities": list(self.entities),
            "sources": list(self.sources),
            "reason": self.reason,
            "created_at": self.created_at.isoformat(),
            "topic": self.topic,
            "level": self.level,
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Alert:
        return cls(
            id=record["id"],
            rule=record["rule"],
            severity=record["severity"],
            story_id=record["story_id"],
            article_ids=list(record.get("article_ids", [])),
            headline=record.get("headline", ""),
            entities=list(record.get("entities", [])),
            reason=record.get("reason", ""),
            created_at=datetime.fromisoformat(record["created_at"]),
            topic=record.get("topic"),
            level=int(record.get("level", 1)),
            sources=list(record.get("sources", [])),
        )


@dataclass(frozen=True, slots=True)
class AlertOptions:
    """Engine tunables, validated at construction (errors name the option and its allowed range).

    ``story_ttl``: per-story state is dropped after this long without an event (event time) even if the
    story never expired. ``index_bucket``: width of the TTL index buckets. ``max_level``: escalation
    cap. ``escalation_base``: for rules without a count threshold, level k needs
    ``escalation_base * 2^(k-1)`` distinct sources. ``max_tracked_articles``: most recent article times
    kept per story, for windowed article counts and for recognising a redelivered article (a redelivery
    replays seconds of stream, far fewer articles); a windowed ``min_articles`` counts at most this
    many. ``max_alert_articles`` / ``max_alert_entities``: list lengths in an alert. ``max_future``: an
    event time further than this ahead of the wall clock sweeps as of the wall clock (a mis-dated
    article cannot wipe state).
    """

    story_ttl: timedelta = timedelta(days=7)
    index_bucket: timedelta = timedelta(hours=1)
    max_level: int = 4
    escalation_base: int = 2
    max_tracked_articles: int = 500
    max_alert_articles: int = 100
    max_alert_entities: int = 20
    max_future: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        _check_range("story_ttl", self.story_ttl, timedelta(minutes=1), timedelta(days=366))
        _check_range("index_bucket", self.index_bucket, timedelta(minutes=1), self.story_ttl)
        _check_range("max_level", self.max_level, 1, 10)
        _check_range("escalation_base", self.escalation_base, 1, 1000)
        _check_range("max_tracked_articles", self.max_tracked_articles, 10, 100_000)
        _check_range("max_alert_articles", self.max_alert_articles, 1, 10_000)
        _check_range("max_alert_entities", self.max_alert_entities, 1, 1000)
        _check_range("max_future", self.max_future, timedelta(0), timedelta(days=366))


def _check_range(name: str, value: Any, low: Any, high: Any) -> None:
    if isinstance(value, bool) or type(value) is not type(low) or not low <= value <= high:
        raise ConfigError(f"alert option {name}: {value!r} is not between {low} and {high}")


def epoch(moment: datetime) -> float:
    """Event time as epoch seconds; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
