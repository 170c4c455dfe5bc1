"""The wire contract: every record on a newsstream topic is one of these models, as JSON (orjson).

Each record carries ``schema_version`` so consumers can tell what they read. Later stages extend the record
of the stage before them, so a reader of ``news.tagged`` sees the whole article.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

EntityType = Literal["PERSON", "LOCATION", "ORGANIZATION", "EVENT", "OTHER"]
DuplicateKind = Literal["exact", "near"]
StoryEventKind = Literal["created", "grew", "merged", "dormant", "expired"]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Record(BaseModel):
    """Base of every wire record."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    schema_version: int = SCHEMA_VERSION


class RawArticle(Record):
    """What crawlers push to ``news.raw``. ``id`` is derived from the URL or content when absent."""

    id: str = Field(default="", max_length=512)
    source: str = Field(min_length=1, max_length=256)
    url: str | None = Field(default=None, max_length=8192)
    title: str | None = None
    text: str | None = None
    html: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = Field(default=None, max_length=16)
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("published_at", "fetched_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return _aware(value)

    @model_validator(mode="after")
    def _body_and_id(self) -> RawArticle:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError("an article needs a non-empty 'text' or 'html'")
        if not self.id:
            basis = self.url or (self.source + "\x00" + (self.text or self.html or ""))
            self.id = hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        return self


class CleanArticle(Record):
    """Output of the cleaning stage on ``news.clean``: the article's own title and body, language, date."""

    id: str
    source: str
    url: str | None = None
    title: str
    text: str
    language: str
    published_at: datetime | None = None
    published_precision: Literal["datetime", "date"] | None = None
    fetched_at: datetime | None = None
    byline: str | None = None
    attribution: str | None = None
    tags: list[str] = Field(default_factory=list)
    removed_lines: int = 0
    ingested_at: float | None = Field(default=None, description="Wall-clock seconds at intake (latency).")

    @property
    def event_time(self) -> datetime:
        """Event time used by windows: published_at, else fetched_at, else the epoch.

        A date-only publication date on the day the page was fetched takes the fetch time, so reports of
        one day are not all placed at midnight (which would put hours between them that did not happen).
        """
        published, fetched = self.published_at, self.fetched_at
        if published is None:
            return fetched or datetime(1970, 1, 1, tzinfo=UTC)
        if self.published_precision == "date" and fetched is not None and fetched.date() == published.date():
            return fetched
        return published


class DedupedArticle(CleanArticle):
    """Output of the dedup stage on ``news.deduped``: the clean article plus its duplicate verdict."""

    duplicate_of: str | None = None
    duplicate_kind: DuplicateKind | None = None
    similarity: float | None = None
    first_publisher: str | None = None


class Mention(BaseModel):
    """One occurrence of an entity; ``text == article.text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    form: str = "name"


class Entity(BaseModel):
    """An entity linked to a stable id (Wikidata QID where known, else a project id ``ns:...``)."""

    id: str
    name: str
    type: str
    mentions: list[Mention] = Field(default_factory=list)


class TaggedArticle(DedupedArticle):
    """Output of the tagging stage on ``news.tagged``."""

    entities: list[Entity] = Field(default_factory=list)


class EntityCount(BaseModel):
    id: str
    name: str
    type: str
    count: int


class ArticleBrief(BaseModel):
    """The article that caused a story event, as the alert stage needs it (keywords, sources, entities)."""

    id: str
    source: str
    language: str
    title: str
    text: str
    entity_ids: list[str] = Field(default_factory=list)
    duplicate_of: str | None = None
    event_time: datetime


class StoryEvent(Record):
    """A story lifecycle event on ``news.stories`` with the story's current summary."""

    kind: StoryEventKind
    story_id: str
    headline: str
    article_ids: list[str]
    sources: list[str]
    entities: list[EntityCount] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    first_seen: datetime
    last_seen: datetime
    growth_rate: float = 0.0
    article_id: str | None = None
    merged_ids: list[str] = Field(default_factory=list)
    new_source: bool = False
    ingested_at: float | None = None
    article: ArticleBrief | None = Field(default=None, description="The article behind created/grew.")


class Alert(Record):
    """An alert on ``news.alerts`` (and ``news.alerts.<topic>``); ``id`` is the idempotency key."""

    id: str
    rule: str
    severity: str
    story_id: str
    article_ids: list[str]
    headline: str
    entities: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reason: str
    created_at: datetime
    level: int = 0
    topic: str | None = None
    ingested_at: float | None = None


class DeadLetter(Record):
    """An input that could not be processed, with why and the original bytes (base64 when not UTF-8)."""

    reason: str
    message: str
    stage: str
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    line: int | None = None
    article_id: str | None = None
    original: str = Field(description="The original bytes, decoded as UTF-8 or base64 (see encoding).")
    encoding: Literal["utf-8", "base64"] = "utf-8"
    original_size: int = Field(default=0, description="Length of the original record in bytes.")
    original_sha256: str = Field(default="", description="SHA-256 of the whole original record.")
    truncated: bool = Field(
        default=False, description="original holds only the first bytes (too large to carry)."
    )
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


#: Fields of an alert line written by ``newsstream process --alerts`` (the fixed offline contract).
PROCESS_ALERT_FIELDS = frozenset(
    {"id", "rule", "severity", "story_id", "article_ids", "headline", "entities", "reason", "created_at"}
)


class ProcessedArticle(BaseModel):
    """One line of ``newsstream process`` output: the fixed contract of the offline mode."""

    id: str
    source: str
    url: str | None
    title: str
    text: str
    language: str
    published_at: datetime | None
    duplicate_of: str | None
    duplicate_kind: DuplicateKind | None
    similarity: float | None
    entities: list[Entity]
    story_id: str | None
