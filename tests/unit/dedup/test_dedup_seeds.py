"""The five crawled seed pages: none copies another; copies built from each are all found."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from agents.dedup import DedupInput, Deduplicator
from agents.dedup import variants as V
from tests.unit.dedup.dedup_texts import T0, load_seeds, simple_clean

SEEDS = load_seeds()
pytestmark = pytest.mark.skipif(SEEDS is None, reason="../shared/seeds is not present on this machine")
SAME_EVENT = {"678e11cc5c7d2d00", "0b0892e8255b9e3f", "39423b2dfda8c3a7"}


def seeds_in_one_window(clean: bool) -> list[DedupInput]:
    """All five seeds within one hour, so none is evicted before the others are compared with it."""
    assert SEEDS is not None
    return [
        DedupInput(
            seed["id"],
            seed["source"],
            "",
            simple_clean(seed["text"]) if clean else seed["text"],
            T0 + timedelta(minutes=index),
        )
        for index, seed in enumerate(SEEDS)
    ]


@pytest.mark.parametrize("clean", [False, True], ids=["raw-page-text", "cleaned"])
def test_no_seed_is_a_duplicate_of_another(clean):
    assert SEEDS is not None and {seed["id"] for seed in SEEDS} >= SAME_EVENT
    dedup = Deduplicator({})
    verdicts = {article.article_id: dedup.check(article) for article in seeds_in_one_window(clean)}
    assert {article_id: v.duplicate_of for article_id, v in verdicts.items()} == dict.fromkeys(verdicts)


def variants_of(text: str, rng: random.Random) -> dict[str, str]:
    return {
        "repost": V.repost(text, rng),
        "reheaded": V.reheaded(text, rng),
        "dropped_5pct": V.edited(text, rng, 0.05),
        "changed_10pct": V.edited(text, rng, 0.10),
        "truncated_65pct": V.truncated(text, 0.65),
        "reordered": V.reordered(text, rng),
    }


@pytest.mark.parametrize("seed_index", range(5))
def test_every_variant_of_a_seed_is_a_copy_of_it(seed_index):
    originals = seeds_in_one_window(clean=True)
    target = originals[seed_index]
    for attempt in range(3):
        dedup = Deduplicator({})
        for article in originals:
            dedup.check(article)
        rng = random.Random(attempt)
        for kind, text in variants_of(target.text, rng).items():
            copy = DedupInput(f"{target.article_id}-{kind}", "copier", "", text, T0 + timedelta(hours=3))
            verdict = dedup.check(copy)
            assert verdict.duplicate_of == target.article_id, (kind, attempt, verdict)
            assert verdict.first_publisher == target.source
            if kind == "repost":
                assert verdict.duplicate_kind == "exact"
            elif kind != "reheaded":  # short chrome lines are outside the content hash: exact or near
                assert verdict.duplicate_kind == "near", kind


def test_seed_copy_survives_raw_page_chrome_of_another_site():
    originals = seeds_in_one_window(clean=True)
    dedup = Deduplicator({})
    for article in originals:
        dedup.check(article)
    assert SEEDS is not None
    chrome_donor = SEEDS[4]["text"].split("\n")[:6]
    for target in originals[:4]:
        text = "\n".join([*chrome_donor, target.text, "مقالات ذات صلة", "زر الذهاب إلى الأعلى"])
        copy = DedupInput(f"{target.article_id}-chrome", "copier", "", text, T0 + timedelta(hours=2))
        assert dedup.check(copy).duplicate_of == target.article_id
