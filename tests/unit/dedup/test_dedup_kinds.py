"""Each kind of copy the stage must catch, and each look-alike it must not, on text written for the test."""

from __future__ import annotations

import random

import pytest

from agents.dedup import Deduplicator, DedupOptions, DedupVerdict
from agents.dedup import variants as V
from agents.dedup.fingerprint import Fingerprinter
from tests.unit.dedup.dedup_texts import (
    AR_ADDITION,
    AR_INDEPENDENT,
    AR_ORIGINAL,
    BOILERPLATE_FOOTER,
    BOILERPLATE_HEADER,
    EN_ADDITION,
    EN_INDEPENDENT,
    EN_ORIGINAL,
    QUOTATION,
    UNRELATED_EN,
    item,
)

STORIES = {
    "en": (EN_ORIGINAL, EN_INDEPENDENT, EN_ADDITION),
    "ar": (AR_ORIGINAL, AR_INDEPENDENT, AR_ADDITION),
}


def verdict_after_original(original: str, copy: str) -> DedupVerdict:
    dedup = Deduplicator({})
    first = dedup.check(item("orig", original, source="first.example"))
    assert first.duplicate_of is None
    return dedup.check(item("copy", copy, source="second.example", hours=2))


def assert_copy_of_original(verdict: DedupVerdict, kind: str | None = None) -> None:
    assert verdict.duplicate_of == "orig"
    assert verdict.first_publisher == "first.example"
    assert verdict.similarity is not None and 0.0 < verdict.similarity <= 1.0
    if kind is not None:
        assert verdict.duplicate_kind == kind


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("language", ["en", "ar"])
class TestCopiesAreFound:
    def test_exact_repost_in_another_spelling_is_exact(self, language):
        original = STORIES[language][0]
        for seed in range(5):
            copy = V.repost(original, random.Random(seed))
            assert copy != original
            verdict = verdict_after_original(original, copy)
            assert_copy_of_original(verdict, "exact")
            assert verdict.similarity == 1.0

    def test_same_body_under_another_sites_header_and_footer(self, language):
        original = STORIES[language][0]
        for seed in range(5):
            assert_copy_of_original(
                verdict_after_original(original, V.reheaded(original, random.Random(seed)))
            )

    def test_long_boilerplate_lines_around_the_body_still_a_copy(self, language):
        original = STORIES[language][0]
        footer = BOILERPLATE_FOOTER.split(". ")[0] + "."
        copy = f"{BOILERPLATE_HEADER}\n\n{original}\n\n{footer}"
        assert (words(copy) - words(original)) / words(copy) < 0.2
        assert_copy_of_original(verdict_after_original(original, copy), "near")

    @pytest.mark.parametrize("fraction", [0.05, 0.08, 0.10])
    def test_words_dropped_or_changed(self, language, fraction):
        original = STORIES[language][0]
        for seed in range(10):
            copy = V.edited(original, random.Random(seed), fraction)
            assert_copy_of_original(verdict_after_original(original, copy), "near")

    @pytest.mark.parametrize("fraction", [0.35, 0.4, 0.5, 0.6, 0.65, 0.7])
    def test_truncated_to_its_beginning(self, language, fraction):
        original = STORIES[language][0]
        copy = V.truncated(original, fraction)
        assert abs(words(copy) / words(original) - fraction) < 0.02
        assert_copy_of_original(verdict_after_original(original, copy), "near")

    def test_paragraphs_reordered(self, language):
        original = STORIES[language][0]
        for seed in range(5):
            copy = V.reordered(original, random.Random(seed))
            assert copy.split("\n\n") != original.split("\n\n")
            assert_copy_of_original(verdict_after_original(original, copy), "near")


@pytest.mark.parametrize("language", ["en", "ar"])
class TestLookAlikesAreNotCopies:
    def test_independent_write_up_of_the_same_event(self, language):
        original, independent, _ = STORIES[language]
        assert verdict_after_original(original, independent).duplicate_of is None

    def test_update_that_adds_a_third_new_text(self, language):
        original, _, addition = STORIES[language]
        update = V.updated(original, addition)
        assert words(addition) / words(update) >= 0.3
        assert verdict_after_original(original, update).duplicate_of is None

    def test_half_of_the_original_from_its_middle_is_not_a_truncated_copy(self, language):
        original = STORIES[language][0]
        rest = "\n\n".join(V.paragraphs(original)[1:])
        middle = V.truncated(rest, 0.5 * words(original) / words(rest))
        opening = V.truncated(original, 0.5)
        assert abs(words(middle) / words(original) - 0.5) < 0.02
        assert verdict_after_original(original, middle).duplicate_of is None
        assert verdict_after_original(original, opening).duplicate_of == "orig"


def test_two_articles_sharing_one_long_quotation_are_not_copies():
    rng = random.Random(1)
    first = V.quoting(EN_ORIGINAL, QUOTATION, rng)
    second = V.quoting(UNRELATED_EN, QUOTATION, rng)
    assert verdict_after_original(first, second).duplicate_of is None


def test_two_articles_sharing_only_boilerplate_are_not_copies():
    first = f"{BOILERPLATE_HEADER}\n\n{EN_ORIGINAL}\n\n{BOILERPLATE_FOOTER}"
    second = f"{BOILERPLATE_HEADER}\n\n{UNRELATED_EN}\n\n{BOILERPLATE_FOOTER}"
    assert verdict_after_original(first, second).duplicate_of is None


def test_the_later_fuller_version_of_a_truncated_article_is_not_its_copy():
    truncated = V.truncated(EN_ORIGINAL, 0.6)
    assert verdict_after_original(truncated, EN_ORIGINAL).duplicate_of is None


class TestShortArticles:
    SHORT = "The central bank raised its main interest rate by a quarter point on Tuesday to fight inflation."

    def test_identical_short_articles_are_exact(self):
        verdict = verdict_after_original(self.SHORT, self.SHORT.upper())
        assert_copy_of_original(verdict, "exact")

    def test_short_articles_with_a_few_words_changed_are_not_copies(self):
        other = "The central bank cut its main interest rate by half a point on Friday to support growth."
        assert verdict_after_original(self.SHORT, other).duplicate_of is None


class TestBoundedSample:
    def test_a_huge_article_keeps_a_bounded_record_and_its_copies_are_found(self):
        rng = random.Random(3)
        paragraphs = V.paragraphs(EN_ORIGINAL + "\n\n" + EN_INDEPENDENT + "\n\n" + EN_ADDITION)
        huge = "\n\n".join(" ".join(rng.sample(p.split(), len(p.split()))) for p in paragraphs * 30)
        store: dict = {}
        dedup = Deduplicator(store, DedupOptions(max_sample=256))
        dedup.check(item("orig", huge, source="first.example"))
        assert len(store["a:orig"]["q"]) <= 4 * 256 * 4 / 3 + 4
        for copy in (V.truncated(huge, 0.65), V.edited(huge, rng, 0.05), V.reordered(huge, rng)):
            assert dedup.check(item(f"c{len(store)}", copy, hours=1)).duplicate_of == "orig"

    def test_articles_sampled_at_different_rates_still_compare(self):
        options = DedupOptions(max_sample=75)
        fingerprinter = Fingerprinter(options)
        original_rate = fingerprinter.fingerprint(EN_ORIGINAL).sample_rate
        for fraction in (0.6, 0.65, 0.7):
            copy = V.truncated(EN_ORIGINAL, fraction)
            assert fingerprinter.fingerprint(copy).sample_rate < original_rate
            dedup = Deduplicator({}, options)
            dedup.check(item("orig", EN_ORIGINAL))
            assert dedup.check(item("copy", copy, hours=1)).duplicate_of == "orig"
        dedup = Deduplicator({}, options)
        dedup.check(item("orig", EN_ORIGINAL))
        assert dedup.check(item("update", V.updated(EN_ORIGINAL, EN_ADDITION), hours=1)).duplicate_of is None


def test_a_fingerprint_computed_apart_gives_the_same_verdicts():
    """``process --jobs`` fingerprints in worker processes and passes the result to ``check``."""
    from dataclasses import replace

    rng = random.Random(7)
    texts = [
        EN_ORIGINAL,
        V.truncated(EN_ORIGINAL, 0.6),
        V.edited(EN_ORIGINAL, rng, 0.1),
        EN_INDEPENDENT,
        AR_ORIGINAL,
        V.repost(AR_ORIGINAL, rng),
        "",
    ]
    inline, apart = Deduplicator({}), Deduplicator({})
    for n, text in enumerate(texts):
        article = item(f"a{n}", text, source=f"s{n % 3}.example", hours=n)
        fingerprint = apart.fingerprint(article.title, article.text)
        try:
            expected = inline.check(article)
        except Exception as error:  # an article with no words fails the same way either way
            with pytest.raises(type(error)):
                apart.check(replace(article, fingerprint=fingerprint))
            continue
        assert apart.check(replace(article, fingerprint=fingerprint)) == expected
