"""Builders of the alert stage's input views, shaped like the clustering's story events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agents.alerts import ArticleView, StoryView

T0 = datetime(2025, 4, 28, 9, 30, tzinfo=UTC)
GAZETTEER = {
    "North Korea": "Q423",
    "كوريا الشمالية": "Q423",
    "Russia": "Q159",
    "روسيا": "Q159",
    "Ukraine": "Q212",
}
NAMES = {"Q423": "كوريا الشمالية", "Q159": "روسيا", "Q212": "أوكرانيا", "Q7747": "فلاديمير بوتين"}


def article(
    article_id: str,
    source: str,
    minutes: float = 0,
    entity_ids: tuple[str, ...] = (),
    text: str = "",
    title: str = "",
    language: str = "ar",
    duplicate_of: str | None = None,
) -> ArticleView:
    return ArticleView(
        article_id=article_id,
        source=source,
        language=language,
        title=title,
        text=text,
        entity_ids=entity_ids,
        event_time=T0 + timedelta(minutes=minutes),
        duplicate_of=duplicate_of,
    )


@dataclass
class StoryBuilder:
    """Accumulates articles into a story the way the clusterer reports it after each article."""

    story_id: str
    headline: str = "headline"
    articles: list[ArticleView] = field(default_factory=list)

    def add(self, item: ArticleView) -> StoryView:
        self.articles.append(item)
        return self.view("created" if len(self.articles) == 1 else "grew")

    def view(self, kind: str, merged_ids: tuple[str, ...] = ()) -> StoryView:
        counts: dict[str, int] = {}
        first_by_source: dict[str, datetime] = {}
        for item in self.articles:
            for entity_id in item.entity_ids:
                counts[entity_id] = counts.get(entity_id, 0) + 1
            known = first_by_source.get(item.source)
            if known is None or item.event_time < known:
                first_by_source[item.source] = item.event_time
        times = [item.event_time for item in self.articles]
        return StoryView(
            kind=kind,
            story_id=self.story_id,
            headline=self.headline,
            article_ids=tuple(item.article_id for item in self.articles),
            sources=tuple(first_by_source),
            entities=tuple((eid, NAMES.get(eid, eid), n) for eid, n in counts.items()),
            languages=tuple(dict.fromkeys(item.language for item in self.articles)),
            first_seen=min(times),
            last_seen=max(times),
            merged_ids=merged_ids,
            source_times=tuple(first_by_source.items()),
        )
