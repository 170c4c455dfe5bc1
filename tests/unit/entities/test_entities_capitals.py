"""A capital named alone is its government in its country's news: "أعلنت سيول" with South Korea named."""

from __future__ import annotations

import pytest

from agents.entities.core import Gazetteer, Tagger
from agents.errors import ConfigError

from .conftest import assert_one_mention, by_id

SEOUL, KABUL, KYIV, AMMAN = "Q8684", "Q5838", "Q1899", "Q3805"


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("قال وزير التوحيد الكوري الجنوبي إن سيول مستعدة لاستئناف الحوار مع بيونغ يانغ", SEOUL, "سيول"),
        ("اتهمت كابل حركة طالبان بالهجوم، فيما قالت وزارة الداخلية في أفغانستان", KABUL, "كابل"),
    ],
)
def test_a_capital_alone_is_tagged_when_its_country_is_named(
    full_tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    assert_one_mention(full_tagger, text, entity_id, span_text)


@pytest.mark.parametrize(
    ("text", "entity_id"),
    [
        ("أعلنت سيول حالة التأهب القصوى", SEOUL),  # no country named: floods or Seoul, undecided
        ("لا أحد يعرف كيف سترد أوكرانيا على العرض", KYIV),  # كيف is "how", a frequent word
        ("فاز عمان على الأردن في المباراة", AMMAN),  # عمان is also Oman: two places, no choice
    ],
)
def test_no_capital_without_its_country_or_when_the_word_is_frequent(
    full_tagger: Tagger, text: str, entity_id: str
) -> None:
    assert entity_id not in by_id(full_tagger.tag(text))


def test_country_field_is_read_and_checked() -> None:
    gazetteer = Gazetteer.from_entries(
        [
            {"id": "Q884", "name": "South Korea", "type": "LOCATION", "aliases": {"en": ["South Korea"]}},
            {
                "id": "Q8684",
                "name": "Seoul",
                "type": "LOCATION",
                "aliases": {"en": ["Seoul"]},
                "country": "Q884",
            },
        ]
    )
    assert gazetteer.entity("Q8684").country == "Q884"
    assert gazetteer.country_of == {1: 0}
    with pytest.raises(ConfigError, match="country"):
        Gazetteer.from_entries([{"id": "Q1", "name": "X", "type": "LOCATION", "country": "Korea"}])
