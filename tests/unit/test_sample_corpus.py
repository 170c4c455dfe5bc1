"""The shipped sample corpus keeps the shape that the demo, the tests and the benchmarks rely on.

The corpus is hand-written (see streams/data/sample/README.md); these tests guard its contract: valid
records, unique ids, labels for every article, duplicates that point back to an earlier original and really
copy it, independent reports that do not, and the language / outlet / story mix the README promises.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "streams" / "data" / "sample"
ARTICLE_FIELDS = {"id", "source", "url", "title", "text", "fetched_at", "published_at", "language"}
REQUIRED_ARTICLE_FIELDS = {"id", "source", "url", "text", "fetched_at"}
LABEL_FIELDS = {"id", "story", "duplicate_of", "duplicate_kind", "language", "title", "entities"}
LANGUAGES = {"ar", "fa", "en"}
BODY_LINE_MIN_CHARS = 150
OWN_LINE_MIN_CHARS = 60
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            assert line.strip(), f"{path.name}:{number} is blank"
            row = json.loads(line)
            assert isinstance(row, dict), f"{path.name}:{number} is not an object"
            rows.append(row)
    return rows


def _parse_utc(value: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return _read_jsonl(SAMPLE_DIR / "articles.jsonl")


@pytest.fixture(scope="module")
def labels(articles: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    rows = _read_jsonl(SAMPLE_DIR / "labels.jsonl")
    assert len(rows) == len(articles)
    return {row["id"]: row for row in rows}


@pytest.fixture(scope="module")
def own_lines(articles: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Lines of each page, in page order, minus the outlet's chrome.

    Chrome (masthead, navigation line, footer, share line) is on most of an outlet's pages, so a line seen
    on at least three pages and on half of the outlet's pages is chrome; what stays is the headline,
    caption and body paragraphs (a follow-up may repeat one paragraph of an earlier report of its outlet).
    """
    pages_with_line: Counter[tuple[str, str]] = Counter()
    pages_of_source: Counter[str] = Counter()
    for article in articles:
        pages_of_source[article["source"]] += 1
        for line in set(article["text"].split("\n")):
            pages_with_line[(article["source"], line)] += 1

    def is_chrome(source: str, line: str) -> bool:
        seen = pages_with_line[(source, line)]
        return seen >= 3 and seen * 2 >= pages_of_source[source]

    return {
        article["id"]: [
            line
            for line in article["text"].split("\n")
            if len(line) >= OWN_LINE_MIN_CHARS and not is_chrome(article["source"], line)
        ]
        for article in articles
    }


@pytest.fixture(scope="module")
def body_lines(own_lines: dict[str, list[str]]) -> dict[str, set[str]]:
    """Body paragraphs: own lines longer than any headline, caption or read-more entry."""
    return {
        page: {line for line in lines if len(line) >= BODY_LINE_MIN_CHARS}
        for page, lines in own_lines.items()
    }


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_every_article_is_a_valid_record(articles: list[dict[str, Any]]) -> None:
    for article in articles:
        assert REQUIRED_ARTICLE_FIELDS <= article.keys() <= ARTICLE_FIELDS, article.get("id")
        for field in article.keys() - {"language"}:
            assert isinstance(article[field], str) and article[field].strip(), (article["id"], field)
        assert re.fullmatch(r"[0-9a-f]{16}", article["id"])
        assert article["url"].startswith("https://")
        fetched = _parse_utc(article["fetched_at"])
        if "published_at" in article:
            assert _parse_utc(article["published_at"]) <= fetched, article["id"]
        if "language" in article:
            assert article["language"] in LANGUAGES


def test_ids_and_urls_are_unique(articles: list[dict[str, Any]]) -> None:
    assert len({a["id"] for a in articles}) == len(articles)
    assert len({a["url"] for a in articles}) == len(articles)


def test_articles_are_sorted_by_fetch_time_within_ten_days(articles: list[dict[str, Any]]) -> None:
    times = [_parse_utc(a["fetched_at"]) for a in articles]
    assert times == sorted(times)
    assert times[0].year >= 2025 and times[-1].year <= 2026
    assert (times[-1] - times[0]).days <= 12


def test_size_and_count_stay_small(articles: list[dict[str, Any]]) -> None:
    assert 90 <= len(articles) <= 120
    assert (SAMPLE_DIR / "articles.jsonl").stat().st_size < 600_000


def test_labels_cover_every_article_in_order(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    assert list(labels) == [a["id"] for a in articles]
    for label in labels.values():
        assert label.keys() == LABEL_FIELDS
        assert label["language"] in LANGUAGES
        assert isinstance(label["story"], str) and label["story"]
        assert label["entities"] and all(isinstance(e, str) and e for e in label["entities"])
        assert (label["duplicate_of"] is None) == (label["duplicate_kind"] is None)
        assert label["duplicate_kind"] in {None, "exact", "near"}


def test_hints_and_titles_agree_with_labels(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    for article in articles:
        label = labels[article["id"]]
        if "language" in article:
            assert article["language"] == label["language"]
        if "title" in article:
            assert article["title"] == label["title"]
        assert label["title"] in article["text"], "the headline must be findable on the page"


def test_optional_fields_are_present_on_the_promised_share(articles: list[dict[str, Any]]) -> None:
    count = len(articles)
    assert 0.2 <= sum("title" not in a for a in articles) / count <= 0.4
    assert 0.35 <= sum("published_at" in a for a in articles) / count <= 0.65
    assert 0.35 <= sum("language" in a for a in articles) / count <= 0.65


def _stated_dates(text: str) -> set[str]:
    """Years of the full dates (day, month, year) a page states, in any digits and calendar."""
    text = text.translate(ASCII_DIGITS)
    patterns = (
        r"\b\d{4}/\d\d/\d\d\b",  # 2026/03/02, 1404/12/11
        r"\b\d\d-\d\d-\d{4}\b",  # 02-03-2026
        r"\b\d{1,2} [^\W\d_]+(?: [^\W\d_]+)? \d{4}\b",  # 2 مارس 2026, 3 آذار 2026, 11 اسفند 1404, 2 Mar 2026
        r"\b[A-Z][a-z]+ \d{1,2}, \d{4}\b",  # March 2, 2026
    )
    return {re.search(r"\d{4}", match)[0] for pattern in patterns for match in re.findall(pattern, text)}


def test_pages_without_published_at_state_a_date(articles: list[dict[str, Any]]) -> None:
    for article in articles:
        if "published_at" not in article:
            assert _stated_dates(article["text"]) & {"2026", "1404"}, article["id"]


def test_persian_pages_carry_persian_calendar_dates(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    persian = [a for a in articles if labels[a["id"]]["language"] == "fa"]
    assert persian and all("1404" in _stated_dates(a["text"]) for a in persian)


def test_language_mix_matches_the_targets(labels: dict[str, dict[str, Any]]) -> None:
    counts = Counter(label["language"] for label in labels.values())
    total = sum(counts.values())
    assert 0.55 <= counts["ar"] / total <= 0.75
    assert 0.10 <= counts["fa"] / total <= 0.20
    assert 0.15 <= counts["en"] / total <= 0.25


def test_each_outlet_has_a_main_language_and_consistent_chrome(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for article in articles:
        by_source[article["source"]].append(article)
    assert len(by_source) >= 8
    foreign_bodies = 0
    for source, pages in by_source.items():
        assert len(pages) >= 5, source
        languages = Counter(labels[p["id"]]["language"] for p in pages)
        main_count = languages.most_common(1)[0][1]
        assert main_count / len(pages) >= 0.8, source
        foreign_bodies += len(pages) - main_count
        assert len({p["text"].split("\n")[0] for p in pages}) == 1, f"{source}: masthead varies"
        assert len({p["url"].split("/")[2] for p in pages}) == 1, f"{source}: host varies"
    assert foreign_bodies >= 1, "keep a page whose chrome language differs from its body (as in the seeds)"


def test_story_mix_matches_the_targets(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    outlets: dict[str, set[str]] = defaultdict(set)
    languages: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        story = labels[article["id"]]["story"]
        outlets[story].add(article["source"])
        languages[story].add(labels[article["id"]]["language"])
    assert 15 <= len(outlets) <= 20
    assert all(2 <= len(sources) <= 8 for sources in outlets.values())
    assert sum(len(langs) >= 2 for langs in languages.values()) >= 3
    assert any(langs == LANGUAGES for langs in languages.values())


def test_some_different_stories_share_their_actors(labels: dict[str, dict[str, Any]]) -> None:
    entities: dict[str, set[str]] = defaultdict(set)
    for label in labels.values():
        entities[label["story"]].update(label["entities"])
    assert any(len(entities[a] & entities[b]) >= 3 for a, b in combinations(entities, 2))


def test_duplicates_point_to_an_earlier_original_of_the_same_story(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    position = {a["id"]: i for i, a in enumerate(articles)}
    published = {a["id"]: a["published_at"] for a in articles if "published_at" in a}
    duplicates = [label for label in labels.values() if label["duplicate_of"]]
    assert 0.2 <= len(duplicates) / len(labels) <= 0.3
    assert {label["duplicate_kind"] for label in duplicates} == {"exact", "near"}
    for label in duplicates:
        original = labels[label["duplicate_of"]]
        assert position[original["id"]] < position[label["id"]]
        assert original["duplicate_of"] is None, "point at the original, not at another copy"
        assert original["story"] == label["story"]
        assert original["language"] == label["language"]
        if original["id"] in published and label["id"] in published:
            assert _parse_utc(published[original["id"]]) < _parse_utc(published[label["id"]])


def test_exact_duplicates_repeat_every_body_paragraph(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]], body_lines: dict[str, set[str]]
) -> None:
    by_id = {a["id"]: a for a in articles}
    for label in labels.values():
        if label["duplicate_kind"] == "exact":
            original = label["duplicate_of"]
            assert body_lines[original], original
            assert body_lines[original] <= set(by_id[label["id"]]["text"].split("\n")), label["id"]
            assert by_id[original]["source"] != by_id[label["id"]]["source"]


def test_near_duplicates_mostly_copy_but_differ(
    articles: list[dict[str, Any]],
    labels: dict[str, dict[str, Any]],
    body_lines: dict[str, set[str]],
    own_lines: dict[str, list[str]],
) -> None:
    by_id = {a["id"]: a for a in articles}
    for label in labels.values():
        if label["duplicate_kind"] != "near":
            continue
        original = by_id[label["duplicate_of"]]
        copy_shingles = set().union(*(_shingles(line) for line in body_lines[label["id"]]))
        assert copy_shingles, label["id"]
        contained = len(copy_shingles & _shingles(original["text"])) / len(copy_shingles)
        assert contained >= 0.7, (label["id"], contained)
        original_lines = [
            line for line in own_lines[original["id"]] if line != labels[original["id"]]["title"]
        ]
        copied = [line for line in by_id[label["id"]]["text"].split("\n") if line in original_lines]
        assert copied != original_lines, f"{label['id']} is labelled near but copies every line in order"


def test_independent_reports_share_at_most_background(
    labels: dict[str, dict[str, Any]], body_lines: dict[str, set[str]]
) -> None:
    """Reports that are not copies share no paragraph, except a follow-up repeating one background one."""
    root = {page: label["duplicate_of"] or page for page, label in labels.items()}
    reused_background = 0
    for first, second in combinations(labels, 2):
        if root[first] == root[second]:
            continue
        shared = body_lines[first] & body_lines[second]
        if labels[first]["story"] != labels[second]["story"]:
            assert not shared, (first, second)
        elif shared:
            reused_background += 1
            smaller = min(len(body_lines[first]), len(body_lines[second]))
            assert len(shared) == 1 and smaller >= 3, (first, second)
    assert reused_background >= 1, "keep a follow-up that repeats a background paragraph"
