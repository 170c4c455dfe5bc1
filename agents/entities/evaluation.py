"""Scoring the tagger against a hand-annotated set (used by the unit test and the benchmark).

Annotated file format (``tests/fixtures/entities/annotated.txt``): ``@LABEL <entity id>`` lines declare
labels; each sentence line is ``<lang>\\t<text>`` where mentions are marked ``[[LABEL|mention]]``. Lines
starting with ``#`` are comments.

Scores are micro-averaged over mentions (exact span and id), over mentions whose spans overlap (same id;
for a set written by other annotators, whose span conventions differ: "وكالة تاس" or "تاس", "القدس" or
"قدس"), and over entities per sentence (ids only).
Discovered people (``ns:auto/...``) are not gazetteer entities and are left out of both sides. With a
gazetteer bigger than the annotation's universe, pass ``universe`` (the declared ids) so that correct tags
of entities the annotators did not consider are not counted as errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.entities.tagger import Tagger
from agents.errors import ConfigError

_MARK = re.compile(r"\[\[([A-Z0-9_]+)\|([^\]]+)\]\]")


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated sentence: plain text and gold ``(entity_id, start, end)`` triples."""

    language: str
    text: str
    gold: frozenset[tuple[str, int, int]]


@dataclass(slots=True)
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def parse_annotated(lines: Iterable[str]) -> tuple[list[Example], dict[str, str]]:
    """Examples and the label → id table from the lines of an annotated file."""
    labels: dict[str, str] = {}
    examples: list[Example] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            label, entity_id = line[1:].split()
            labels[label] = entity_id
            continue
        language, _, marked = line.partition("\t")
        pieces: list[str] = []
        gold: set[tuple[str, int, int]] = set()
        position = 0
        length = 0
        for mark in _MARK.finditer(marked):
            before = marked[position : mark.start()]
            pieces.append(before)
            length += len(before)
            label, surface = mark.group(1), mark.group(2)
            if label not in labels:
                raise ConfigError(f"annotated line {number}: label {label} is not declared with @{label}")
            gold.add((labels[label], length, length + len(surface)))
            pieces.append(surface)
            length += len(surface)
            position = mark.end()
        pieces.append(marked[position:])
        examples.append(Example(language, "".join(pieces), frozenset(gold)))
    return examples, labels


def load_annotated(path: Path) -> tuple[list[Example], dict[str, str]]:
    return parse_annotated(path.read_text(encoding="utf-8").splitlines())


def evaluate(
    tagger: Tagger, examples: Iterable[Example], universe: set[str] | None = None, max_errors: int = 50
) -> dict[str, Scores]:
    """``{"mentions", "mentions_overlap", "entities", "mentions_<lang>", "entities_<lang>": Scores}``."""
    results: dict[str, Scores] = {"mentions": Scores(), "mentions_overlap": Scores(), "entities": Scores()}
    for example in examples:
        predicted = {
            (entity.id, mention.start, mention.end)
            for entity in tagger.tag(example.text, example.language)
            if not entity.id.startswith("ns:auto/") and (universe is None or entity.id in universe)
            for mention in entity.mentions
        }
        by_language = results.setdefault(f"mentions_{example.language}", Scores())
        for scores in (results["mentions"], by_language):
            _count(scores, predicted, set(example.gold), example.text, max_errors)
        _count(
            results["mentions_overlap"],
            _overlapping(predicted, example.gold),
            set(example.gold),
            example.text,
            max_errors,
        )
        found = {entity_id for entity_id, _, _ in predicted}
        expected = {entity_id for entity_id, _, _ in example.gold}
        for scores in (results["entities"], results.setdefault(f"entities_{example.language}", Scores())):
            _count(scores, found, expected, example.text, max_errors)
    return results


def _overlapping(predicted: set[Any], gold: frozenset[Any]) -> set[Any]:
    """``predicted`` with each mention that overlaps an unmatched gold mention of its id replaced by it."""
    unmatched = sorted(gold)
    matched: set[Any] = set()
    for mention in sorted(predicted):
        entity_id, start, end = mention
        partner = next(
            (g for g in unmatched if g[0] == entity_id and g[1] < end and start < g[2]),
            None,
        )
        if partner is None:
            matched.add(mention)
        else:
            unmatched.remove(partner)
            matched.add(partner)
    return matched


def _count(scores: Scores, predicted: set[Any], gold: set[Any], text: str, max_errors: int) -> None:
    scores.true_positives += len(predicted & gold)
    scores.false_positives += len(predicted - gold)
    scores.false_negatives += len(gold - predicted)
    if (predicted ^ gold) and len(scores.errors) < max_errors:
        extra = sorted(predicted - gold, key=str)
        missed = sorted(gold - predicted, key=str)
        scores.errors.append(f"{text[:80]} | extra={_show(extra, text)} missed={_show(missed, text)}")


def _show(items: list[Any], text: str) -> list[str]:
    return [
        f"{item[0]}:{text[item[1] : item[2]]}" if isinstance(item, tuple) else str(item) for item in items
    ]
