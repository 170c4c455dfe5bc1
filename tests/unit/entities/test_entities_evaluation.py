"""Quality on the annotated set (tests/fixtures/entities/annotated.txt), and the set's own integrity."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from agents.entities.core import Gazetteer, Tagger
from agents.entities.evaluation import evaluate, load_annotated, parse_annotated
from agents.entities.records import Mention, TaggedEntity
from agents.errors import ConfigError

ANNOTATED = Path(__file__).resolve().parents[2] / "fixtures" / "entities" / "annotated.txt"
HELDOUT = ANNOTATED.with_name("heldout.txt")
HELDOUT_TEST = ANNOTATED.with_name("heldout_test.txt")


@pytest.fixture(scope="module")
def annotated() -> tuple[list, dict[str, str]]:
    return load_annotated(ANNOTATED)


def test_annotated_set_is_large_and_mixes_three_languages(annotated) -> None:  # type: ignore[no-untyped-def]
    examples, _ = annotated
    languages = Counter(example.language for example in examples)
    assert len(examples) >= 100
    assert set(languages) == {"ar", "fa", "en"} and min(languages.values()) >= 25
    assert sum(len(example.gold) for example in examples) >= 250
    assert sum(1 for example in examples if not example.gold) >= 4  # negatives: no entity at all


def test_annotated_ids_exist_in_the_core_gazetteer(annotated, core_gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    _, labels = annotated
    assert [entity_id for entity_id in labels.values() if core_gazetteer.entity(entity_id) is None] == []


def test_parser_computes_spans_on_the_plain_text() -> None:
    examples, _ = parse_annotated(["@RU Q159", "ar\tقال ال[[RU|روسي]] و[[RU|روسيا]]"])
    (example,) = examples
    assert example.text == "قال الروسي وروسيا"
    assert sorted((example.text[s:e]) for _, s, e in example.gold) == ["روسي", "روسيا"]
    with pytest.raises(ConfigError, match="XX"):
        parse_annotated(["ar\t[[XX|y]]"])


def test_precision_and_recall_on_the_annotated_set(annotated, tagger: Tagger) -> None:  # type: ignore[no-untyped-def]
    examples, _ = annotated
    scores = evaluate(tagger, examples)["mentions"]
    assert scores.precision >= 0.95, scores.errors
    assert scores.recall >= 0.90, scores.errors


def test_full_gazetteer_keeps_quality_on_the_annotated_entities(annotated, full_tagger: Tagger) -> None:  # type: ignore[no-untyped-def]
    examples, labels = annotated
    scores = evaluate(full_tagger, examples, universe=set(labels.values()))["mentions"]
    assert scores.precision >= 0.95, scores.errors
    assert scores.recall >= 0.90, scores.errors


def test_held_out_set_scores_on_ids_and_overlapping_spans(full_tagger: Tagger) -> None:
    """The set another author wrote without sight of the tagger (its spans follow its own conventions)."""
    examples, labels = load_annotated(HELDOUT)
    assert len(examples) >= 150 and len(set(labels.values())) >= 130
    assert {example.language for example in examples} == {"ar", "fa", "en"}
    results = evaluate(full_tagger, examples, universe=set(labels.values()))
    for kind in ("entities", "mentions_overlap"):
        assert results[kind].precision >= 0.95, results[kind].errors
        assert results[kind].recall >= 0.90, results[kind].errors


def test_overlap_scoring_pairs_each_gold_mention_once() -> None:
    class Fixed:
        def __init__(self, entities: list) -> None:  # type: ignore[type-arg]
            self.entities = entities

        def tag(self, text: str, language: str | None = None) -> list:  # type: ignore[type-arg]
            return self.entities

    examples, _ = parse_annotated(["@AFP ns:org/afp", "ar\tقالت وكالة [[AFP|فرانس برس]] إن"])
    text = examples[0].text
    start = text.index("وكالة")
    wide = TaggedEntity(
        "ns:org/afp", "AFP", "ORGANIZATION", [Mention(text[start : start + 15], start, start + 15, "name")]
    )
    results = evaluate(Fixed([wide]), examples)  # type: ignore[arg-type]
    assert (results["mentions"].true_positives, results["mentions_overlap"].true_positives) == (0, 1)
    twice = TaggedEntity(
        "ns:org/afp", "AFP", "ORGANIZATION", [wide.mentions[0], Mention("إن", start + 16, start + 18, "name")]
    )
    results = evaluate(Fixed([twice]), examples)  # type: ignore[arg-type]
    assert (
        results["mentions_overlap"].true_positives == 1 and results["mentions_overlap"].false_positives == 1
    )


def test_held_out_test_set_is_well_formed_and_names_gazetteer_entities(full_tagger: Tagger) -> None:
    """Scored by the entities bench only (a threshold here would invite tuning against it)."""
    examples, labels = load_annotated(HELDOUT_TEST)
    assert len(examples) >= 150 and {example.language for example in examples} == {"ar", "fa", "en"}
    assert [i for i in labels.values() if full_tagger.gazetteer.entity(i) is None] == []
    assert all(
        example.text[s:e].strip() == example.text[s:e] != ""
        for example in examples
        for _, s, e in example.gold
    )
