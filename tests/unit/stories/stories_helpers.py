"""Helpers for the story clustering tests: article factories, fixture loaders, a strict store."""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.stories import EntityRef, StoryInput

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "stories"
SHARED = REPO / ".." / "shared"
BASE = datetime(2025, 4, 28, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    """Event time ``hours`` after a fixed base time."""
    return BASE + timedelta(hours=hours)


def entity(entity_id: str, entity_type: str = "person", count: int = 1) -> EntityRef:
    return EntityRef(entity_id, entity_id.upper(), entity_type, count)


def article(
    article_id: str,
    title: str,
    text: str = "",
    hours: float = 0.0,
    entities: tuple[EntityRef, ...] = (),
    source: str = "outlet-a",
    language: str = "en",
    duplicate_of: str | None = None,
) -> StoryInput:
    return StoryInput(article_id, source, title, text or title, language, at(hours), entities, duplicate_of)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_crosslingual() -> list[tuple[str, StoryInput]]:
    """(label, input) of the English/Persian articles the project wrote about the seed events."""
    rows = []
    for line in (FIXTURES / "crosslingual_articles.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        refs = tuple(EntityRef(*ref) for ref in data["entities"])
        rows.append(
            (
                data["label"],
                StoryInput(
                    data["id"],
                    data["source"],
                    data["title"],
                    data["text"],
                    data["language"],
                    parse_time(data["event_time"]),
                    refs,
                ),
            )
        )
    return rows


def load_seeds() -> list[tuple[str, StoryInput]]:
    """(label, input) of the five seed pages with hand-made entity lists; skips without ../shared."""
    seeds = SHARED / "seeds" / "articles.jsonl"
    if not seeds.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    raw = {}
    for line in seeds.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        raw[data["id"]] = data
    spec = json.loads((FIXTURES / "seed_stories.json").read_text(encoding="utf-8"))
    rows = []
    for entry in spec["articles"]:
        page = raw[entry["id"]]
        text = page["text"]
        start = text.find(entry["title"][:20])
        body = text[start:] if start >= 0 else text
        refs = tuple(EntityRef(*ref) for ref in entry["entities"])
        rows.append(
            (
                entry["label"],
                StoryInput(
                    entry["id"],
                    page["source"],
                    entry["title"],
                    body,
                    entry["language"],
                    parse_time(page["fetched_at"]),
                    refs,
                ),
            )
        )
    return rows


class StrictStore(MutableMapping[str, Any]):
    """A store that behaves like a changelogged table: values must survive JSON, iteration is refused.

    Every written value is round-tripped through orjson (as a changelog would), so a core that mutates
    a value after writing it, or writes something not JSON-serialisable, fails here.
    """

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.writes = 0
        self.iterations_allowed = False

    def __getitem__(self, key: str) -> Any:
        return orjson.loads(self.data[key])

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = orjson.dumps(value)
        self.writes += 1

    def __delitem__(self, key: str) -> None:
        del self.data[key]
        self.writes += 1

    def __iter__(self) -> Iterator[str]:
        if not self.iterations_allowed:
            raise AssertionError("the story core iterated the whole store")
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        raw = self.data.get(key)
        return default if raw is None else orjson.loads(raw)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self.data:
            return orjson.loads(self.data.pop(key))
        if default:
            return default[0]
        raise KeyError(key)


def word(number: int, salt: str = "") -> str:
    """A distinct letters-only word per number (digits would split tokens): 0 -> 'qa', 27 -> 'qbb'..."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
    return "q" + salt + letters
