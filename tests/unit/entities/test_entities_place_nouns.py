"""A place noun (مدينة, بلدة, شهر, "the city of") settles an ambiguous place name; nothing else does."""

from __future__ import annotations

import pytest

from agents.entities.core import Tagger

from .conftest import assert_one_mention, by_id

ZAMA, QANAWAT = "ns:geonames/1848004", "ns:geonames/166141"
KABUL, AMMAN, OMAN = "Q5838", "Q3805", "Q842"
JAMMALIYAH = "ns:geonames/361029"


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("تظاهر مئات من سكان مدينة زاما أمام القاعدة", ZAMA, "زاما"),
        ("Residents of the city of Zama protested on Sunday", ZAMA, "Zama"),
        ("قطع محتجون الطريق المؤدي إلى بلدة قنوات صباح اليوم", QANAWAT, "قنوات"),
        ("وصل الوفد إلى وبلدة قنوات مساء", QANAWAT, "قنوات"),
        ("وقع انفجار في العاصمة الأفغانية، كابل، صباح اليوم", KABUL, "كابل"),  # one adjective between
        ("An attack in the Afghan capital, Kabul, killed three", KABUL, "Kabul"),
        ("خرجت احتجاجات في العاصمة عمان ومحافظات أخرى", AMMAN, "عمان"),  # the capital, not Oman
        ("عقد المؤتمر في العاصمة الأردنية عمان", AMMAN, "عمان"),
        (
            "افتتح المحافظ مدرسة جديدة في مدينة الجمالية أمس",
            JAMMALIYAH,
            "جمالية",
        ),  # article glued to the name
    ],
)
def test_an_ambiguous_place_after_a_place_noun_is_tagged(
    full_tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    assert_one_mention(full_tagger, text, entity_id, span_text)


@pytest.mark.parametrize(
    "text",
    [
        "بثت قنوات محلية مشاهد لإطلاق النار",  # "local channels"
        "Guards at the Zama gate checked the papers",
        "Residents of the Zama area protested",  # "of" after a word that is not a place noun
        "قطع كابل الكهرباء في المنطقة",  # "cable"
        "وفاز عمان على الأردن في المباراة",  # a country or a capital: no noun, no choice
        "يجمع التصميم بين الوظيفة والقيمة الجمالية",  # "aesthetic"
    ],
)
def test_without_a_place_noun_an_ambiguous_place_stays_untagged(full_tagger: Tagger, text: str) -> None:
    assert {ZAMA, QANAWAT, KABUL, AMMAN, OMAN, JAMMALIYAH}.isdisjoint(by_id(full_tagger.tag(text)))


def test_a_settled_place_does_not_anchor_the_word_elsewhere(full_tagger: Tagger) -> None:
    text = "قطع محتجون الطريق إلى بلدة قنوات، فيما بثت قنوات محلية مشاهد لإطلاق النار"
    mentions = by_id(full_tagger.tag(text))[QANAWAT].mentions
    assert [(mention.text, mention.start) for mention in mentions] == [("قنوات", text.index("قنوات"))]
