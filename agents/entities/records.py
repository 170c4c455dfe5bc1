"""Core types of the entity tagger: what a gazetteer entry is, what a tag is, and the tagger's options.

``Mention`` spans always index the display text the tagger was given (``text[start:end] == mention.text``),
never the normalised matching form, so downstream stages and users can highlight them as published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.errors import ConfigError

ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION", "EVENT", "OTHER")
MENTION_FORMS = ("name", "adjective", "short")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an entity is named: ``text == article_text[start:end]``.

    ``form`` tells a name (``"name"``) from a demonym/adjective that refers to the entity (``"adjective"``,
    e.g. الروسي → Russia) and from a surname or short form linked to a fuller mention in the same article
    (``"short"``, e.g. كيم after كيم جونغ أون). Attached Arabic clitics (و ف ب ل ك and ال) are outside
    the span.
    """

    text: str
    start: int
    end: int
    form: str = "name"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "form": self.form}


@dataclass(slots=True)
class TaggedEntity:
    """One entity found in an article with all its mentions (sorted by ``start``)."""

    id: str
    name: str
    type: str
    mentions: list[Mention]
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record form used on ``news.tagged`` (JSON-serialisable)."""
        record: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "mentions": [mention.to_dict() for mention in self.mentions],
        }
        if self.subtype:
            record["subtype"] = self.subtype
        return record


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A gazetteer entry after loading and merging (aliases as written, per language code)."""

    id: str
    name: str
    type: str
    subtype: str | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)
    adjectives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()
    rank: int = 0
    """Position of the file that first listed this id (0 = first loaded; core.yaml sorts early)."""
    country: str | None = None
    """The id of a place's country (``capitals.py``: a capital named alone is read in its country's news)."""


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ConfigError(f"TagOptions.{name} = {value!r} is out of range; allowed {low} to {high}")


@dataclass(frozen=True, slots=True)
class TagOptions:
    """How the tagger links and discovers entities.

    - ``discover_unknown_people``: title/trigger patterns (الرئيس، وزير الخارجية، spokesman...) followed by a
      name that is not in the gazetteer yield PERSON entities with ``ns:auto/...`` ids.
    - ``link_short_forms``: surnames/short forms (كيم, Kim) link to an entity named in full in the article.
    - ``include_adjectives``: tag demonyms (الروسي → Russia) as ``form="adjective"`` mentions.
    - ``min_name_tokens`` / ``max_name_tokens``: length of a discovered name, in tokens (1..6).
    - ``max_mentions_per_entity``: mentions kept per entity (the first ones), bounding record size.
    - ``max_text_chars``: longer texts are tagged on their first ``max_text_chars`` characters only.
    """

    discover_unknown_people: bool = True
    link_short_forms: bool = True
    include_adjectives: bool = True
    min_name_tokens: int = 2
    max_name_tokens: int = 3
    max_mentions_per_entity: int = 100
    max_text_chars: int = 1_000_000

    def __post_init__(self) -> None:
        _check_range("min_name_tokens", self.min_name_tokens, 1, 6)
        _check_range("max_name_tokens", self.max_name_tokens, 1, 6)
        if self.max_name_tokens < self.min_name_tokens:
            raise ConfigError(
                f"TagOptions.max_name_tokens = {self.max_name_tokens!r} must be >= "
                f"min_name_tokens = {self.min_name_tokens!r}"
            )
        _check_range("max_mentions_per_entity", self.max_mentions_per_entity, 1, 100_000)
        _check_range("max_text_chars", self.max_text_chars, 1_000, 100_000_000)
