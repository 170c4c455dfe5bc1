"""Keyword matching on the normalised form, with Arabic proclitics and whole-token phrases."""

from __future__ import annotations

import pytest

from agents.alerts.keywords import KeywordMatcher, clitic_forms


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("روسيا", "أعلنت وروسيا ذلك"),
        ("روسيا", "زيارة لروسيا"),
        ("روسيا", "فبروسيا"),
        ("الحرب", "خرج بالحرب"),
        ("الحرب", "استعدادا للحرب"),
        ("الحرب", "وللحرب"),
        ("حرب", "الحرب"),
        ("أوكرانيا", "اوكرانيا"),
        ("إيران", "ايران"),
        ("كوريا الشمالية", "زيارة لكوريا الشمالية أمس"),
        ("Kursk", "the KURSK region"),
        ("كورسك", "كورسك"),
        ("2025", "عام ٢٠٢٥"),
        ("تهران", "در تهران امروز"),
        ("مدرسة", "المدرسه"),
    ],
)
def test_keyword_matches(keyword: str, text: str) -> None:
    assert KeywordMatcher((keyword,)).matches([text]) == [keyword]


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("روس", "روسيا"),
        ("روسيا", "الروسية"),
        ("الحرب", "حرب"),
        ("كوريا الشمالية", "كوريا الجنوبية"),
        ("Kursk", "Kurskaya"),
        ("war", "award"),
    ],
)
def test_keyword_does_not_match(keyword: str, text: str) -> None:
    assert KeywordMatcher((keyword,)).matches([text]) == []


def test_phrases_do_not_span_two_texts_and_results_keep_keyword_order() -> None:
    matcher = KeywordMatcher(("b", "كوريا الشمالية", "a"))
    assert matcher.matches(["كوريا", "الشمالية"]) == []
    assert matcher.matches(["a x b"]) == ["b", "a"]


def test_clitic_forms_of_a_word_with_the_article_contract_lam_alef() -> None:
    forms = clitic_forms("الحرب")
    assert {"الحرب", "والحرب", "بالحرب", "للحرب", "وللحرب", "فالحرب"} <= forms
    assert "لالحرب" not in forms and "الالحرب" not in forms
    assert clitic_forms("kursk") == {"kursk"}
