"""Regression corpus: pages the project wrote in Arabic, Persian and English, with their expected output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agents.clean import Cleaner
from agents.clean.evaluation import score_fields, score_text
from tests.unit.clean.support import corpus_input, load_corpus

CORPUS = load_corpus()


def test_corpus_is_large_enough_and_covers_three_languages() -> None:
    assert len(CORPUS) >= 12
    languages = {expected["language"] for _, _, expected in CORPUS}
    assert {"ar", "fa", "en"} <= languages
    assert any(page.suffix == ".html" for _, page, _ in CORPUS)


@pytest.mark.parametrize(("name", "page", "expected"), CORPUS, ids=[name for name, _, _ in CORPUS])
def test_regression_page(name: str, page: Path, expected: dict[str, Any]) -> None:
    result = Cleaner({}).clean(corpus_input(page, expected))
    published = result.published_at.date().isoformat() if result.published_at else None
    score = score_text(result.title + "\n" + result.text, expected, name)
    score.merge(score_fields(result.title, published, result.language, expected, name))
    assert score.failures == []
    for field in ("byline", "attribution", "tags"):
        if field in expected:
            assert getattr(result, field) == expected[field], field
    if "precision" in expected:
        assert result.published_precision == expected["precision"]
    if result.published_at is not None:
        assert result.published_at.tzinfo is not None
        assert result.published_at.utcoffset().total_seconds() == 0
