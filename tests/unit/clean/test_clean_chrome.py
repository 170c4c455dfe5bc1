"""Per-source chrome memory: learned lines are stripped, counts are idempotent, every bound holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agents.clean import Cleaner, CleanOptions, PageInput
from agents.clean.chrome import ChromeBounds, ChromeMemory, evict_stale_sources, fingerprint

START = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
# Site chrome that no generic rule knows: a slogan (prose-free, 6 words) and a promo line in the body.
SLOGAN = "منبر الحقيقة من قلب العاصمة"
PROMO = "حمّل تطبيق منبر الحقيقة الآن على هاتفك واستمتع بتغطية حصرية"


def article(number: int) -> str:
    return "\n".join(
        [
            SLOGAN,
            f"عنوان الخبر رقم {number} عن تطورات الأحداث في المدينة",
            f"قال مسؤولون محليون إن الحادثة رقم {number} وقعت مساء أمس في أحد الأحياء الشمالية، وإن فرق الإنقاذ وصلت سريعاً.",  # noqa: E501
            PROMO,
            f"وأضاف المسؤولون أن التحقيقات في الحادثة رقم {number} ما زالت جارية، وأن النتائج ستعلن خلال أيام قليلة.",  # noqa: E501
        ]
    )


def page(number: int, source: str = "site-x") -> PageInput:
    return PageInput(
        source=source,
        text=article(number),
        fetched_at=START + timedelta(hours=number),
        article_id=f"a{number}",
    )


def test_promo_line_is_kept_by_heuristics_but_stripped_once_learned() -> None:
    fresh = Cleaner({}, CleanOptions(learn_chrome=False)).clean(page(1))
    assert PROMO in fresh.text  # no generic rule knows it
    store: dict[str, Any] = {}
    cleaner = Cleaner(store, CleanOptions(chrome_min_articles=3))
    for number in range(1, 4):
        assert PROMO in cleaner.clean(page(number)).text  # seen in fewer than 3 other articles
    learned = cleaner.clean(page(4))
    assert PROMO not in learned.text
    assert "التحقيقات في الحادثة رقم 4" in learned.text
    assert learned.title.startswith("عنوان الخبر رقم 4")


def test_learning_is_per_source() -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    for number in range(1, 6):
        cleaner.clean(page(number, source="site-x"))
    assert PROMO in cleaner.clean(page(6, source="site-y")).text


def test_recleaning_the_same_article_neither_doubles_counts_nor_changes_the_result() -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    first = cleaner.clean(page(1))
    snapshot = repr(store)
    for _ in range(5):
        again = cleaner.clean(page(1))
        assert again == first
    assert repr(store) == snapshot
    assert store["site-x"]["n"] == 1
    assert store["site-x"]["fp"][fingerprint("منبر الحقيقه من قلب العاصمه")][0] == 1


def test_article_without_id_is_counted_once_by_content_hash() -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    body = article(1)
    for _ in range(3):
        cleaner.clean(PageInput(source="site-x", text=body, fetched_at=START))
    assert store["site-x"]["n"] == 1


def test_store_values_are_json_serialisable() -> None:
    import json

    store: dict[str, Any] = {}
    cleaner = Cleaner(store)
    for number in range(3):
        cleaner.clean(page(number))
    assert json.loads(json.dumps(store)) == store


def test_fingerprint_table_per_source_is_bounded() -> None:
    store: dict[str, Any] = {}
    options = CleanOptions(chrome_max_fingerprints=100, chrome_seen_articles=10)
    cleaner = Cleaner(store, options)
    for number in range(200):
        cleaner.clean(page(number))
        assert len(store["site-x"]["fp"]) <= 100
        assert len(store["site-x"]["seen"]) <= 10
    # the recurring lines survive eviction because eviction drops the least frequent first
    assert store["site-x"]["fp"][fingerprint("منبر الحقيقه من قلب العاصمه")][0] == 200
    assert PROMO not in cleaner.clean(page(500)).text


def test_number_of_sources_is_bounded_by_the_periodic_sweep() -> None:
    store: dict[str, Any] = {}
    cleaner = Cleaner(store, CleanOptions(chrome_max_sources=5, chrome_sweep_every=1))
    for number in range(30):
        cleaner.clean(page(number, source=f"site-{number}"))
        assert len(store) <= 5
    assert set(store) == {f"site-{n}" for n in range(25, 30)}  # the most recently seen survive


def test_evict_stale_sources_keeps_the_newest() -> None:
    store: dict[str, Any] = {f"s{i}": {"t": float(i)} for i in range(10)}
    assert evict_stale_sources(store, 4) == 6
    assert sorted(store) == ["s6", "s7", "s8", "s9"]


def test_corrupt_store_value_is_replaced_not_trusted() -> None:
    store: dict[str, Any] = {"site-x": "garbage"}
    Cleaner(store).clean(page(1))
    assert store["site-x"]["n"] == 1


def test_prose_needs_more_recurrences_than_short_lines() -> None:
    memory = ChromeMemory({}, ChromeBounds(2, 4, 1000, 50, 10))
    for number in range(3):
        chrome = memory.observe("s", f"k{number}", {"short": False, "prose": True}, float(number))
    assert chrome == {"short"}
    chrome = memory.observe("s", "k9", {"short": False, "prose": True}, 9.0)
    assert chrome == {"short"}
    chrome = memory.observe("s", "k10", {"short": False, "prose": True}, 10.0)
    assert chrome == {"short", "prose"}


@pytest.mark.parametrize(
    "options",
    [
        {"chrome_min_articles": 1},
        {"chrome_max_fingerprints": 10},
        {"chrome_min_articles": 5, "chrome_min_articles_prose": 3},
        {"min_year": 1800},
        {"chrome_seen_articles": 0},
    ],
)
def test_invalid_options_raise_config_error_naming_the_option(options: dict[str, int]) -> None:
    from agents.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        CleanOptions(**options)
    assert list(options)[-1] in str(caught.value)


def test_headline_recurring_on_some_pages_only_is_not_chrome() -> None:
    """A popular article's title shows up in the "most read" box of some later pages, not all."""
    store: dict[str, Any] = {}
    cleaner = Cleaner(store, CleanOptions(chrome_min_articles=3))
    popular = "عنوان خبر شائع يتكرر في صندوق الأكثر قراءة"
    for number in range(1, 13):
        text = article(number)
        if number % 3 == 0:  # on a third of the pages
            text += "\nالأكثر قراءة\n" + popular
        cleaner.clean(PageInput(source="site-x", text=text, fetched_at=START, article_id=f"a{number}"))
    own_page = popular + "\n" + article(99).split("\n", 2)[2]
    result = cleaner.clean(PageInput(source="site-x", text=own_page, fetched_at=START, article_id="own"))
    assert result.title == popular
    assert PROMO not in result.text  # the every-page promo is still learned


def test_invalid_share_raises_config_error() -> None:
    from agents.errors import ConfigError

    with pytest.raises(ConfigError, match="chrome_min_share"):
        CleanOptions(chrome_min_share=0.0)


def test_a_page_fetched_again_under_new_ids_keeps_its_title_and_text() -> None:
    """Re-crawls and reposts of one page must not teach the memory that the article itself is chrome."""
    store: dict[str, Any] = {}
    cleaner = Cleaner(store, CleanOptions(chrome_min_articles=3, chrome_min_articles_prose=3))
    for number in range(1, 5):  # the slogan and promo become chrome over distinct articles
        cleaner.clean(page(number))
    repeated = article(7)
    results = [
        cleaner.clean(PageInput(source="site-x", text=repeated, fetched_at=START, article_id=f"copy-{n}"))
        for n in range(12)
    ]
    last = results[-1]
    assert last.title.startswith("عنوان الخبر رقم 7")
    assert "الحادثة رقم 7 وقعت" in last.text and "التحقيقات في الحادثة رقم 7" in last.text
    assert PROMO not in last.text and SLOGAN not in last.text
    # An article that differs is still counted: the memory keeps learning from distinct pages.
    assert store["site-x"]["n"] == 5


def test_a_time_stamp_line_is_never_the_title() -> None:
    text = "۱۴۰۴/۱۲/۱۲ - ۱۴:۵۰\n" + article(3).split("\n", 2)[2]
    cleaned = Cleaner({}, CleanOptions(learn_chrome=False)).clean(
        PageInput(source="site-z", text=text, fetched_at=START, article_id="t1")
    )
    assert not cleaned.title.startswith("۱۴۰۴")
