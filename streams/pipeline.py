"""The whole pipeline in one process, over plain dicts: ``newsstream process``, tests and benchmarks.

It calls the same stage classes as the Faust agents, in the same order, so batch and stream agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agents.errors import BadArticle
from streams.intake import dead_letter, validate_raw
from streams.loaders import Item
from streams.schemas import (
    Alert,
    CleanArticle,
    DeadLetter,
    ProcessedArticle,
    RawArticle,
    StoryEvent,
    TaggedArticle,
)
from streams.settings import Settings
from streams.stages import AlertStage, CleanStage, DedupStage, StoryStage, TagStage

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Apart:
    """The parts of an article's processing that depend on the article alone, computed ahead (by a
    ``process --jobs`` worker): the tagger's entities, dedup's fingerprint, the story features."""

    entities: list[dict[str, Any]] | None
    fingerprint: Any
    features: Any


@dataclass(slots=True)
class Outcome:
    """What one input produced: an article record (with its events and alerts) or a dead letter."""

    article: ProcessedArticle | None = None
    tagged: TaggedArticle | None = None
    events: list[StoryEvent] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    dead_letter: DeadLetter | None = None


class Pipeline:
    """clean -> dedup -> tag -> stories -> alerts, with dict stores."""

    def __init__(self, settings: Settings) -> None:
        self.stores: dict[str, dict[str, Any]] = {
            "source_chrome": {},
            "article_signatures": {},
            "story_clusters": {},
            "alert_state": {},
        }
        self.clean = CleanStage(settings, self.stores["source_chrome"])
        self.dedup = DedupStage(settings, self.stores["article_signatures"])
        self.tag = TagStage(settings)
        self.stories = StoryStage(settings, self.stores["story_clusters"])
        self.alerts = AlertStage(settings, self.stores["alert_state"])

    def run(self, raw: RawArticle) -> Outcome:
        return self.finish(self.clean(raw))

    def finish(self, clean: CleanArticle, apart: Apart | None = None) -> Outcome:
        """Everything after cleaning; what ``apart`` holds was computed elsewhere (``streams.parallel``)."""
        if apart is None:
            apart = Apart(None, None, None)
        tagged = self.tag(self.dedup(clean, apart.fingerprint), apart.entities)
        story_id, events = self.stories(tagged, apart.features)
        alerts = [alert for event in events for alert in self.alerts(event)]
        # The offline record is the tagged article cut down to the fixed contract, plus its story.
        fields = set(ProcessedArticle.model_fields) - {"story_id"}
        article = ProcessedArticle(**{name: getattr(tagged, name) for name in fields}, story_id=story_id)
        return Outcome(article=article, tagged=tagged, events=events, alerts=alerts)

    def process_items(self, items: Iterable[Item]) -> Iterator[Outcome]:
        """Run every item; a bad one becomes a dead letter and the run goes on."""
        for item in items:
            yield settle(item, lambda item=item: self.run(validate_raw(item.value)))


def settle(item: Item, work: Callable[[], Outcome]) -> Outcome:
    """``work()``, or ``item``'s dead letter when the item is bad or the work raises: one article never
    ends a backfill (``Pipeline.process_items`` and ``streams.parallel`` both settle each item here)."""
    try:
        if item.error is not None:
            raise item.error
        return work()
    except BadArticle as error:
        return Outcome(dead_letter=dead_letter(error, item.original, stage="process", line=item.line))
    except Exception as exc:  # one pathological article must not end a backfill
        log.exception("stage failed", extra={"origin": item.origin, "line": item.line})
        error = BadArticle("stage_error", f"{type(exc).__name__}: {exc}")
        return Outcome(dead_letter=dead_letter(error, item.original, stage="process", line=item.line))
