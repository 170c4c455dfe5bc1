"""Fixtures of the entity tagger tests: taggers over the hand-written core gazetteer and the full data."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.entities.core import Gazetteer, TaggedEntity, Tagger
from agents.entities.gazetteer import DATA_DIR

CORE_FILE = DATA_DIR / "core.yaml"
REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def core_gazetteer() -> Gazetteer:
    return Gazetteer.from_files([CORE_FILE])


@pytest.fixture(scope="session")
def tagger(core_gazetteer: Gazetteer) -> Tagger:
    """Tagger over core.yaml only: phenomenon tests do not depend on the generated data files."""
    return Tagger(core_gazetteer)


@pytest.fixture(scope="session")
def full_tagger() -> Tagger:
    """Tagger over every shipped data file, as the worker loads it."""
    return Tagger(Gazetteer.load())


def by_id(entities: list[TaggedEntity]) -> dict[str, TaggedEntity]:
    return {entity.id: entity for entity in entities}


def texts_of(entity: TaggedEntity) -> list[str]:
    return [mention.text for mention in entity.mentions]


def assert_spans(text: str, entities: list[TaggedEntity]) -> None:
    for entity in entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text, (entity.id, mention)


def assert_one_mention(tagger: Tagger, text: str, entity_id: str, span_text: str) -> None:
    """``text`` names ``entity_id`` exactly once, as ``span_text``, and every span is the text it covers."""
    entities = tagger.tag(text)
    found = by_id(entities)
    assert entity_id in found, [(entity.id, [m.text for m in entity.mentions]) for entity in entities]
    assert [mention.text for mention in found[entity_id].mentions] == [span_text]
    assert_spans(text, entities)
