"""How close an article (or a story) is to a story: weighted feature coverage times a time decay.

For each feature family (entities, terms, title terms, numbers) the similarity is the geometric mean of
two coverages: how much of the article's weighted features the story shares (an article feature counts
by the share of the story's articles that have it, and rarer keys count more through ``idf``), and how
much of the story's profile the article shares. Either alone is fooled: a one-line article is covered by
any big story, and a big story covers a little of every article. Families are blended by the option
weights; when the article's language is not the story's main language, terms and title terms are left
out (they cannot match across scripts) and the language-independent families (entity ids, numbers,
dates) decide. The result is multiplied by the time decay
``0.5 ** ((hours between the article and the story's [first_seen, last_seen] - grace) / half_life)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from agents.stories.features import ArticleFeatures
from agents.stories.options import StoryOptions


@dataclass(frozen=True, slots=True)
class Family:
    """One feature family's final weights and their sum, summed once rather than once per story scored."""

    weights: dict[str, float]
    total: float

    @classmethod
    def of(cls, weights: dict[str, float]) -> Family:
        total = 0.0
        for weight in weights.values():  # in key order, as the scores were always summed
            total += weight
        return cls(weights, total)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Features ready to be scored against many stories (an article against its candidates)."""

    entities: Family
    terms: Family
    title: Family
    numbers: Family


def prepare(features: ArticleFeatures) -> Prepared:
    """Sum each family of final weights (see ``with_idf``) once, for scoring against several stories."""
    return Prepared(
        entities=Family.of(features.entities),
        terms=Family.of(features.terms),
        title=Family.of(features.title_weights()),
        numbers=Family.of(features.numbers),
    )


def _coverage(
    family: Family,
    story_counts: dict[str, Any],
    story_norm: float,
    articles: int,
    count_of: int | None,
    weight_of: int | None = None,
) -> float | None:
    """Similarity of one family, or ``None`` when either side has none of it (the family is skipped)."""
    weights = family.weights
    if not weights or not story_counts or story_norm <= 0 or articles <= 0:
        return None
    shared = 0.0
    story_shared = 0.0
    for key, weight in weights.items():
        value = story_counts.get(key)
        if value is None:
            continue
        docs = value if count_of is None else value[count_of]
        shared += weight * (docs / articles if docs < articles else 1.0)
        story_shared += docs if weight_of is None else docs * value[weight_of]
    total = family.total
    if shared <= 0 or total <= 0:
        return 0.0
    return math.sqrt((shared / total) * min(1.0, story_shared / story_norm))


def with_idf(features: ArticleFeatures, idf: dict[str, float]) -> ArticleFeatures:
    """Features with each weight multiplied by its key's idf (``idf`` keyed like the index; missing = 1)."""
    return ArticleFeatures(
        terms={key: weight * idf.get("t:" + key, 1.0) for key, weight in features.terms.items()},
        entities={key: weight * idf.get("e:" + key, 1.0) for key, weight in features.entities.items()},
        numbers={key: weight * idf.get(key, 1.0) for key, weight in features.numbers.items()},
        title=features.title,
        title_idf={key: idf.get("t:" + key, 1.0) for key in features.title or ()},
    )


def score(
    features: ArticleFeatures | Prepared,
    language: str,
    time_first: float,
    time_last: float,
    story: dict[str, Any],
    options: StoryOptions,
) -> float:
    """Score in [0, 1] of an article (or a story profile passed as features) against a stored story.

    ``features`` carry final weights (see ``with_idf``), best passed through ``prepare`` when the same
    features are scored against several stories; ``time_first``/``time_last`` is the article's event
    time (twice) or a story's interval.
    """
    prepared = features if isinstance(features, Prepared) else prepare(features)
    articles = story["n"]
    parts: list[tuple[float, float]] = []
    entity = _coverage(prepared.entities, story["ent"], story["en"], articles, 3, 4)
    if entity is not None:
        parts.append((options.entity_weight, entity))
    if language == story["main"]:
        term = _coverage(prepared.terms, story["term"], story["tn"], articles, None)
        if term is not None:
            if term < options.min_term_similarity:
                return 0.0
            parts.append((options.term_weight, term))
        if options.title_weight > 0 and prepared.title.weights:
            title = _coverage(prepared.title, story.get("tt", {}), story.get("ttn", 0.0), articles, None)
            if title is not None:
                parts.append((options.title_weight, title))
    number = _coverage(prepared.numbers, story["num"], story["nn"], articles, None)
    if number is not None:
        parts.append((options.number_weight, number if number > 0 else 0.0))
    if not parts:
        return 0.0
    blended = sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)
    gap_hours = max(0.0, time_first - story["t1"], story["t0"] - time_last) / 3600.0
    gap_hours = max(0.0, gap_hours - options.decay_grace_hours)
    decay = 0.5 ** (gap_hours / options.half_life_hours)
    return blended * decay


def story_as_features(story: dict[str, Any]) -> ArticleFeatures:
    """A story's profile in the shape of article features (share of its articles per key)."""
    articles = max(1, story["n"])
    return ArticleFeatures(
        terms={key: docs / articles for key, docs in story["term"].items()},
        entities={key: value[4] * value[3] / articles for key, value in story["ent"].items()},
        numbers={key: docs / articles for key, docs in story["num"].items()},
        title=list(story.get("tt", {})),
    )
