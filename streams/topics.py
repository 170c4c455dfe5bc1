"""Topic names and how records are keyed on them.

Keys decide which worker sees what, so they are part of the contract:

| topic | value | key |
|---|---|---|
| ``news.raw`` | RawArticle | source (per-source chrome memory is local to its partition) |
| ``news.clean`` | CleanArticle | shard key = language (every possible copy meets on one partition) |
| ``news.deduped`` | DedupedArticle | article id (tagging is stateless: spread the load) |
| ``news.tagged`` | TaggedArticle | story shard (one key: stories link across languages, so all live stories
  are on one partition) |
| ``news.stories`` | StoryEvent | story shard (alert state sits beside its stories) |
| ``news.alerts`` / ``news.alerts.<name>`` | Alert | alert id |
| ``news.dlq`` | DeadLetter | article id when known |
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("raw", "clean", "deduped", "tagged", "stories", "alerts", "dlq")


@dataclass(frozen=True, slots=True)
class TopicNames:
    """Concrete topic names for one prefix (``news`` by default)."""

    raw: str
    clean: str
    deduped: str
    tagged: str
    stories: str
    alerts: str
    dlq: str

    @classmethod
    def for_prefix(cls, prefix: str = "news") -> TopicNames:
        return cls(**{stage: f"{prefix}.{stage}" for stage in STAGES})

    def all(self) -> list[str]:
        return [getattr(self, stage) for stage in STAGES]

    def alert_topic(self, name: str) -> str:
        """Dedicated alert topic of a rule (``news.alerts.<name>``)."""
        return f"{self.alerts}.{name}"


def shard_key(language: str | None) -> bytes:
    """Key that routes an article to the partition owning its language's dedup state.

    Copies are same-language, so dedup shards by language."""
    return (language or "und").encode()


#: Key of the story shard. An English or Persian report must be able to join a story first reported in
#: Arabic, so every live story sits on one partition; the clustering core's measured headroom (README,
#: "Scaling") is what makes one partition enough.
STORY_SHARD = b"stories"
