"""What the web face shows: the latest summary of every live story and the recent alerts.

The board is fed by ``news.stories`` and the alert topics like any other subscriber, so every worker can
answer every request without asking the worker that owns a story's partition. It is bounded: expired
stories leave it, at most ``max_stories`` stay (least recently seen evicted first), at most ``max_alerts``
alerts and ``timeline_length`` events per story are kept.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from streams.schemas import Alert, StoryEvent


@dataclass(slots=True)
class _Story:
    summary: StoryEvent
    timeline: deque[dict[str, Any]] = field(default_factory=deque)


class StoryBoard:
    """In-memory, bounded view of stories and alerts for the HTTP API and dashboard."""

    def __init__(self, max_stories: int = 5000, max_alerts: int = 1000, timeline_length: int = 200) -> None:
        if max_stories < 1 or max_alerts < 1 or timeline_length < 1:
            raise ValueError("StoryBoard bounds must be >= 1")
        self.max_stories = max_stories
        self.timeline_length = timeline_length
        self._stories: OrderedDict[str, _Story] = OrderedDict()
        self._merged: OrderedDict[str, str] = OrderedDict()
        self._alerts: OrderedDict[str, Alert] = OrderedDict()
        self._max_alerts = max_alerts

    def resolve(self, story_id: str) -> str:
        seen = set()
        while story_id in self._merged and story_id not in seen:
            seen.add(story_id)
            story_id = self._merged[story_id]
        return story_id

    def on_story_event(self, event: StoryEvent) -> None:
        for absorbed in event.merged_ids:
            self._merged[absorbed] = event.story_id
            self._stories.pop(absorbed, None)
        while len(self._merged) > self.max_stories:
            self._merged.popitem(last=False)
        if event.kind == "expired":
            self._stories.pop(event.story_id, None)
            return
        story = self._stories.pop(event.story_id, None) or _Story(event, deque(maxlen=self.timeline_length))
        story.summary = event.model_copy(update={"article": None})
        story.timeline.append(
            {
                "kind": event.kind,
                "at": event.last_seen,
                "articles": len(event.article_ids),
                "sources": len(event.sources),
                "article_id": event.article_id,
                "title": event.article.title if event.article else None,
                "source": event.article.source if event.article else None,
            }
        )
        self._stories[event.story_id] = story
        while len(self._stories) > self.max_stories:
            self._stories.popitem(last=False)

    def on_alert(self, alert: Alert) -> None:
        self._alerts.pop(alert.id, None)
        self._alerts[alert.id] = alert
        while len(self._alerts) > self._max_alerts:
            self._alerts.popitem(last=False)

    def stories(self, *, offset: int = 0, limit: int = 50, include_dormant: bool = True) -> dict[str, Any]:
        live = [s.summary for s in self._stories.values() if include_dormant or s.summary.kind != "dormant"]
        live.sort(key=lambda s: (s.kind != "dormant", s.growth_rate, s.last_seen), reverse=True)
        return {
            "total": len(live),
            "offset": offset,
            "limit": limit,
            "stories": [self._story_json(s) for s in live[offset : offset + limit]],
        }

    def story(self, story_id: str) -> dict[str, Any] | None:
        story = self._stories.get(self.resolve(story_id))
        if story is None:
            return None
        result = self._story_json(story.summary)
        result["timeline"] = [{**point, "at": point["at"].isoformat()} for point in story.timeline]
        result["alerts"] = [
            a.model_dump(mode="json")
            for a in self._alerts.values()
            if self.resolve(a.story_id) == story.summary.story_id
        ]
        return result

    def alerts(self, *, rule: str | None = None, severity: str | None = None, limit: int = 100) -> list[Any]:
        chosen = [
            a
            for a in reversed(self._alerts.values())
            if (rule is None or a.rule == rule) and (severity is None or a.severity == severity)
        ]
        return [a.model_dump(mode="json") for a in chosen[:limit]]

    def entity(self, entity_id: str) -> dict[str, Any]:
        stories = [
            s.summary for s in self._stories.values() if any(e.id == entity_id for e in s.summary.entities)
        ]
        stories.sort(key=lambda s: s.last_seen, reverse=True)
        name = next((e.name for s in stories for e in s.entities if e.id == entity_id), None)
        return {"id": entity_id, "name": name, "stories": [self._story_json(s) for s in stories[:50]]}

    def sizes(self) -> dict[str, int]:
        return {"stories": len(self._stories), "alerts": len(self._alerts), "merged_ids": len(self._merged)}

    def _story_json(self, summary: StoryEvent) -> dict[str, Any]:
        data = summary.model_dump(mode="json", exclude={"article", "ingested_at", "schema_version"})
        data["state"] = "dormant" if summary.kind == "dormant" else "active"
        data["size"] = len(summary.article_ids)
        story = self._stories.get(summary.story_id)
        data["sparkline"] = [p["articles"] for p in story.timeline] if story else []
        return data
