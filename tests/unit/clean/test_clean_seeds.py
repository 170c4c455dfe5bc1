"""The five crawled seed pages: boilerplate gone, body kept, real headlines, stated dates.

The checks live in tests/fixtures/clean/seed_checks.json (written by reading the pages). They must hold on a
fresh cleaner (first page of a new site, heuristics only) and with per-source learning switched on and
warmed up by the other seed pages.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from agents.clean import Cleaner, CleanOptions, CleanResult, PageInput
from agents.clean.evaluation import score_fields, score_text
from tests.unit.clean.support import FIXTURES, load_seeds, seed_input

CHECKS: dict[str, Any] = json.loads((FIXTURES / "seed_checks.json").read_text(encoding="utf-8"))["pages"]


def _assert_checks(record_id: str, result: CleanResult) -> None:
    checks = CHECKS[record_id]
    published = result.published_at.date().isoformat() if result.published_at else None
    score = score_text(result.title + "\n" + result.text, checks, record_id)
    score.merge(score_fields(result.title, published, result.language, checks, record_id))
    assert score.failures == []
    assert score.passed == score.total
    for field in ("byline", "attribution"):
        if field in checks:
            assert getattr(result, field) == checks[field]


@pytest.mark.parametrize("record_id", sorted(CHECKS))
def test_seed_page_on_a_fresh_cleaner(record_id: str) -> None:
    record = next(r for r in load_seeds() if r["id"] == record_id)
    result = Cleaner({}, CleanOptions(learn_chrome=False)).clean(seed_input(record))
    _assert_checks(record_id, result)


@pytest.mark.parametrize("record_id", sorted(CHECKS))
def test_seed_page_as_html_one_paragraph_per_line(record_id: str) -> None:
    record = next(r for r in load_seeds() if r["id"] == record_id)
    page = seed_input(record)
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in record["text"].split("\n") if line.strip())
    result = Cleaner({}).clean(
        PageInput(
            source=page.source, html=f"<html><body>{paragraphs}</body></html>", fetched_at=page.fetched_at
        )
    )
    _assert_checks(record_id, result)


def test_seed_pages_with_learning_after_the_whole_set_was_seen_twice() -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    records = load_seeds()
    for record in records:
        cleaner.clean(seed_input(record))
    for record in records:
        _assert_checks(record["id"], cleaner.clean(seed_input(record)))


def test_title_appears_once_not_repeated_in_the_text() -> None:
    record = next(r for r in load_seeds() if r["id"] == "f822dac4814519d8")
    result = Cleaner({}).clean(seed_input(record))
    assert result.title not in result.text
    assert result.published_precision == "date"


def test_persian_calendar_date_is_not_read_as_the_year_1404() -> None:
    record = next(r for r in load_seeds() if r["id"] == "f822dac4814519d8")
    result = Cleaner({}).clean(seed_input(record))
    assert result.published_at is not None
    assert result.published_at.year == 2025


def test_body_starts_with_the_lead_paragraph_and_ends_with_the_last_sentence() -> None:
    record = next(r for r in load_seeds() if r["id"] == "0b0892e8255b9e3f")
    result = Cleaner({}).clean(seed_input(record))
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0].startswith("أكدت كوريا الشمالية، للمرة الأولى")
    assert paragraphs[-1].startswith("وتُعدّ هذه الخطوة")
    assert result.tags and "كوريا الشمالية" in result.tags[0]
