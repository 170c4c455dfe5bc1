"""Properties of cleaning on generated input (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agents.clean import Cleaner, PageInput
from agents.errors import BadArticle

FETCHED = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
ARABIC_WORDS = [
    "الحكومة",
    "الوزير",
    "المدينة",
    "الشركة",
    "الاقتصاد",
    "المواطنين",
    "الأسواق",
    "البرلمان",
    "المشروع",
    "الخطة",
    "قال",
    "أعلن",
    "أكد",
    "أوضح",
    "في",
    "من",
    "على",
    "إلى",
    "عن",
    "مع",
    "بعد",
    "خلال",
    "الجديد",
    "الكبير",
    "اليوم",
    "العام",
    "المقبل",
    "الماضي",
    "الدعم",
    "الأسعار",
    "التعليم",
    "الصحة",
]
PERSIAN_WORDS = [
    "دولت",
    "وزیر",
    "شهر",
    "شرکت",
    "اقتصاد",
    "مردم",
    "بازار",
    "مجلس",
    "طرح",
    "گفت",
    "اعلام",
    "کرد",
    "در",
    "از",
    "به",
    "با",
    "برای",
    "این",
    "سال",
    "آینده",
]
ENGLISH_WORDS = [
    "government",
    "minister",
    "city",
    "company",
    "economy",
    "citizens",
    "markets",
    "parliament",
    "plan",
    "said",
    "announced",
    "the",
    "of",
    "in",
    "to",
    "on",
    "with",
    "new",
    "year",
]

LINES = st.lists(st.text(max_size=120), max_size=25)


def _non_space(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _prose(words: list[str]) -> st.SearchStrategy[str]:
    sentence = st.lists(st.sampled_from(words), min_size=9, max_size=30).map(lambda ws: " ".join(ws) + ".")
    return st.lists(sentence, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(lines=LINES, title=st.none() | st.text(max_size=60))
def test_cleaning_never_raises_anything_but_bad_article_and_never_grows_text(
    lines: list[str], title: str | None
) -> None:
    raw = "\n".join(lines)
    try:
        result = Cleaner({}).clean(PageInput(source="s", text=raw, title=title, fetched_at=FETCHED))
    except BadArticle as error:
        assert error.reason in ("no_body", "empty_after_cleaning")
        return
    assert result.text
    assert _non_space(result.text) <= _non_space(raw)
    assert result.removed_lines >= 0
    if result.published_at is not None:
        assert result.published_at <= FETCHED.replace(day=3)


@settings(max_examples=100, deadline=None)
@given(
    html=st.text(max_size=400).map(
        lambda t: "<html><body><p>" + t.replace("\n", "</p><p>") + "</p></body></html>"
    )
)
def test_html_input_never_raises_anything_but_bad_article(html: str) -> None:
    with contextlib.suppress(BadArticle):
        Cleaner({}).clean(PageInput(source="s", html=html, fetched_at=FETCHED))


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.sampled_from([ARABIC_WORDS, PERSIAN_WORDS, ENGLISH_WORDS]).flatmap(
        lambda words: st.lists(_prose(words), min_size=1, max_size=8)
    )
)
def test_plain_prose_is_never_emptied_and_every_paragraph_is_kept(paragraphs: list[str]) -> None:
    result = Cleaner({}).clean(PageInput(source="s", text="\n".join(paragraphs), fetched_at=FETCHED))
    for paragraph in paragraphs:
        assert paragraph in result.text


@settings(max_examples=50, deadline=None)
@given(lines=LINES)
def test_cleaning_twice_with_the_same_store_gives_the_same_result(lines: list[str]) -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    page = PageInput(source="s", text="\n".join(lines), fetched_at=FETCHED)
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(cleaner.clean(page))
        except BadArticle as error:
            outcomes.append(error.reason)
    assert outcomes[0] == outcomes[1]
