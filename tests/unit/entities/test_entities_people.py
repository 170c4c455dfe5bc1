"""Unknown people named after titles: PERSON entities with ids stable across articles and spellings."""

from __future__ import annotations

import re

import pytest

from agents.entities.core import Tagger, TagOptions
from agents.errors import ConfigError

from .conftest import assert_spans, by_id, texts_of

AUTO_ID = re.compile(r"^ns:auto/person-[0-9a-f]{12}$")


def _people(tagger: Tagger, text: str) -> dict[str, list[str]]:
    entities = tagger.tag(text)
    assert_spans(text, entities)
    return {e.id: texts_of(e) for e in entities if e.id.startswith("ns:auto/")}


def test_apposition_between_commas(tagger: Tagger) -> None:
    people = _people(tagger, "وأكد رئيس أركان الجيش الإسرائيلي، إيال زامير، أن العملية مستمرة")
    assert list(people.values()) == [["إيال زامير"]]
    assert all(AUTO_ID.match(entity_id) for entity_id in people)


def test_title_then_common_given_name(tagger: Tagger) -> None:
    people = _people(tagger, "قال وزير الخارجية الفرنسي جان نويل بارو إن باريس تدعم الحل")
    assert list(people.values()) == [["جان نويل بارو"]]


def test_spokesperson_of_an_organisation(tagger: Tagger) -> None:
    people = _people(tagger, "قالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن موسكو سترد")
    assert list(people.values()) == [["ماريا زاخاروفا"]]


def test_english_titles(tagger: Tagger) -> None:
    people = _people(tagger, "U.S. Defense Secretary Pete Hegseth said on Tuesday that Hegseth would travel.")
    assert list(people.values()) == [["Pete Hegseth", "Hegseth"]]


def test_same_person_same_id_across_articles_and_spellings(tagger: Tagger) -> None:
    first = _people(tagger, "وقال قائد الجيش، أليكسي غوريونوف، إن القوات تقدمت")
    second = _people(tagger, "أعلن قائد الجيش، أليكسي جوريونوف، أن القوات تقدمت")
    assert len(first) == 1 and first.keys() == second.keys()


def test_surname_later_in_the_article_links_to_the_discovered_person(tagger: Tagger) -> None:
    people = _people(
        tagger, "وقال وزير الدفاع، أندريه بيلوسوف، إن الجيش جاهز. وأضاف بيلوسوف أن التدريبات مستمرة"
    )
    assert list(people.values()) == [["أندريه بيلوسوف", "بيلوسوف"]]


@pytest.mark.parametrize(
    "text",
    [
        "رئيس الشاباك يقر بفشله في منع الهجوم",  # a verb phrase after the title
        "قال الرئيس إن الوضع مستقر",
        "وقال وزير الخارجية في مؤتمر صحفي",
        "رئيس الوزراء يلتقي وفدا أمريكيا",
        "وأكد المتحدث باسم الكرملين أن الاجتماع عقد",
        "the president said the minister would resign",  # lower-case titles and words
        "President of the Council Said Nothing New Today Again",  # run too long
    ],
)
def test_no_person_without_a_name(tagger: Tagger, text: str) -> None:
    assert _people(tagger, text) == {}


def test_known_people_are_not_rediscovered(tagger: Tagger) -> None:
    entities = by_id(tagger.tag("قال المتحدث باسم الكرملين، دميتري بيسكوف، إن"))
    assert "ns:person/dmitry-peskov" in entities
    assert not [entity_id for entity_id in entities if entity_id.startswith("ns:auto/")]


def test_discovery_can_be_switched_off(core_gazetteer) -> None:  # type: ignore[no-untyped-def]
    tagger = Tagger(core_gazetteer, TagOptions(discover_unknown_people=False))
    assert _people(tagger, "وأكد رئيس الأركان، إيال زامير، أن") == {}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_name_tokens": 0}, "min_name_tokens"),
        ({"max_name_tokens": 9}, "max_name_tokens"),
        ({"min_name_tokens": 3, "max_name_tokens": 2}, "max_name_tokens"),
        ({"max_mentions_per_entity": 0}, "max_mentions_per_entity"),
        ({"max_text_chars": 10}, "max_text_chars"),
    ],
)
def test_options_are_validated_with_the_option_name(options: dict[str, int], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TagOptions(**options)


def test_mentions_per_entity_are_bounded(core_gazetteer) -> None:  # type: ignore[no-untyped-def]
    tagger = Tagger(core_gazetteer, TagOptions(max_mentions_per_entity=3))
    entities = tagger.tag(" ".join(["بوتين"] * 50))
    assert len(entities[0].mentions) == 3
    assert [m.start for m in entities[0].mentions] == [0, 6, 12]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال مدير عام الخدمات، العميد خالد ناصر الرزوقي، إن", "خالد ناصر الرزوقي"),
        ("قال الرئيس عبد الرحيم العلي إن", "عبد الرحيم العلي"),
        ("لكن نائب الرئيس الأمريكي مايك بنس غاب عن الحفل", "مايك بنس"),
        ("قال رئيس الأركان السابق سامي عنان لوثائق سرية", "سامي عنان"),
        ("وقال وزير الخارجية جون كيري أخيرا في مؤتمر", "جون كيري"),
    ],
)
def test_name_shapes(tagger: Tagger, text: str, name: str) -> None:
    assert list(_people(tagger, text).values()) == [[name]]


def test_city_adjective_is_not_a_family_name(tagger: Tagger) -> None:
    # the king is named (a person), the feminine adjective of the city is not part of his name
    people = _people(tagger, "بالتعاون مع مدينة الملك عبد الله الاقتصادية في الرياض")
    assert list(people.values()) == [["عبد الله"]]


@pytest.mark.parametrize(
    "text",
    [
        "يديرها شخص على صلة برئيسة البلاد، مقابل خدمات سياسية، والحصول على",
        "ضد وزير الموظفين، واستقال بورتر.",
    ],
)
def test_name_shapes_rejected(tagger: Tagger, text: str) -> None:
    assert _people(tagger, text) == {}


def test_title_of_a_known_person_does_not_reach_the_next_name(tagger: Tagger) -> None:
    people = _people(tagger, "Prime Minister Keir Starmer and Chancellor Rachel Reeves met in London.")
    assert list(people.values()) == [["Rachel Reeves"]]


def test_institution_words_are_not_names(tagger: Tagger) -> None:
    assert _people(tagger, "They landed at King Abdulaziz International Airport on Monday.") == {}


def test_headline_surname_before_the_discovered_name_orders_mentions(tagger: Tagger) -> None:
    text = "بيلوسوف يزور الجبهة\nوقال وزير الدفاع، أندريه بيلوسوف، إن الجيش جاهز"
    (person,) = [e for e in tagger.tag(text) if e.id.startswith("ns:auto/")]
    assert [m.text for m in person.mentions] == ["بيلوسوف", "أندريه بيلوسوف"]
    assert [m.start for m in person.mentions] == sorted(m.start for m in person.mentions)
