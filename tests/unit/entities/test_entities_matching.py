"""Matching phenomena: Arabic clitics and boundaries, transliteration variants, adjectives, scripts."""

from __future__ import annotations

import pytest

from agents.entities.core import Tagger

from .conftest import assert_one_mention, assert_spans, by_id, texts_of

PUTIN, KIM, NORTH_KOREA, RUSSIA = "Q7747", "Q56226", "Q423", "Q159"
MOSCOW, PYONGYANG, KREMLIN, KCNA = "Q649", "Q18808", "ns:org/kremlin", "ns:org/kcna"


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("أرسلت قوات لكوريا الشمالية أمس", NORTH_KOREA, "كوريا الشمالية"),
        ("زار الوفد بكين وموسكو الأسبوع الماضي", MOSCOW, "موسكو"),
        ("اجتمع المسؤولون بالكرملين صباحا", KREMLIN, "الكرملين"),
        ("نقل رسالة للكرملين من بيونغ يانغ", KREMLIN, "الكرملين"),
        ("وصل وبموسكو عقد الاجتماع", MOSCOW, "موسكو"),
        ("فالكرملين نفى التقارير", KREMLIN, "الكرملين"),
    ],
)
def test_attached_clitics_are_stripped_and_left_out_of_the_span(
    tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    entities = by_id(tagger.tag(text))
    assert entity_id in entities
    mention = entities[entity_id].mentions[0]
    assert text[mention.start : mention.end] == mention.text
    # the span covers the name: the article is part of it only when the alias is written with it
    assert span_text.endswith(mention.text) and len(mention.text) >= len(span_text) - 2


def test_no_match_inside_a_longer_word(tagger: Tagger) -> None:
    # كورسك inside a longer token, موسكو followed by letters, and a non-clitic prefix before روسيا
    text = "ماكورسك شركة موسكوفية وبلدة تروسيا"
    assert tagger.tag(text) == []


def test_article_rule_keeps_common_words_out() -> None:
    from agents.entities.core import Gazetteer

    gazetteer = Gazetteer.from_entries(
        [
            {
                "id": "ns:org/qaeda-test",
                "name": "al-Qaeda",
                "type": "ORGANIZATION",
                "aliases": {"ar": ["القاعدة"]},
            }
        ]
    )
    tagger = Tagger(gazetteer)
    # listed with the article: "قاعدة عسكرية" (a military base) is not the organisation
    assert tagger.tag("أنشأ الجيش قاعدة عسكرية") == []
    for text in ("بيان تنظيم القاعدة", "مقاتلون بالقاعدة", "انضم للقاعدة"):
        # the span leaves the article out, like every attached clitic (للقاعدة has no "القاعدة" in it)
        assert [m.text for m in tagger.tag(text)[0].mentions] == ["قاعدة"], text


def test_hamza_alef_is_not_an_article() -> None:
    from agents.entities.core import Gazetteer

    gazetteer = Gazetteer.from_entries(
        [
            {
                "id": "ns:location/albania-test",
                "name": "Albania",
                "type": "LOCATION",
                "aliases": {"ar": ["ألبانيا"]},
                "adjectives": {"ar": ["ألباني", "ألبان"]},
            }
        ]
    )
    tagger = Tagger(gazetteer)
    # normalisation turns ألبان into البان; treating that as article + "بان" would tag بأن ("that")
    assert tagger.tag("وقال بأن باني المنزل غادر") == []
    entities = tagger.tag("زار وألبانيا والألبانيون")
    assert [m.text for m in entities[0].mentions] == ["ألبانيا", "ألبانيون"]


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("قال كيم جونج أون إن", KIM, "كيم جونج أون"),
        ("قال كيم جونغ أون إن", KIM, "كيم جونغ أون"),
        ("في بيونج يانج", PYONGYANG, "بيونج يانج"),
        ("في بيونغ يانغ", PYONGYANG, "بيونغ يانغ"),
        ("في بيونغيانغ", PYONGYANG, "بيونغيانغ"),
        ("قال ترمب", "Q22686", "ترمب"),
        ("قال ترامب", "Q22686", "ترامب"),
        ("وقال شويجو", "ns:person/sergei-shoigu", "شويجو"),
        ("وقال شويغو", "ns:person/sergei-shoigu", "شويغو"),
        ("قال دميتري بيسكوف", "ns:person/dmitry-peskov", "دميتري بيسكوف"),
        ("قال ديمتري بيسكوف", "ns:person/dmitry-peskov", "ديمتري بيسكوف"),
        ("أكد فاليري جيراسيموف", "ns:person/valery-gerasimov", "فاليري جيراسيموف"),
        ("أكد طوكيو وتوكيو", "Q1490", "طوكيو"),
    ],
)
def test_transliteration_variants_link_to_one_id(
    tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    entities = by_id(tagger.tag(text))
    assert entity_id in entities, [e.id for e in entities.values()]
    assert texts_of(entities[entity_id])[0] == span_text


def test_first_name_spelling_must_still_match_the_listed_one(tagger: Tagger) -> None:
    # the surname alone is an alias, but an unrelated first name must not be swallowed into the span
    entities = by_id(tagger.tag("قال أحمد بيسكوف"))
    assert texts_of(entities["ns:person/dmitry-peskov"]) == ["بيسكوف"]


@pytest.mark.parametrize(
    ("text", "span_text"),
    [
        ("الرئيس الروسي", "روسي"),
        ("القوات الروسية", "روسية"),
        ("جنود روس", "روس"),
        ("المسؤولون الروسيون", "روسيون"),
    ],
)
def test_country_adjectives_are_tagged_as_adjectives(tagger: Tagger, text: str, span_text: str) -> None:
    entity = by_id(tagger.tag(text))[RUSSIA]
    assert [(m.text, m.form) for m in entity.mentions] == [(span_text, "adjective")]


@pytest.mark.parametrize(
    ("text", "span_text"),
    [
        ("الرئيسان الروسي والكوري الشمالي", "كوري الشمالي"),
        ("الصواريخ الكورية الشمالية", "كورية الشمالية"),
        ("الجنود الكوريين الشماليين", "كوريين الشماليين"),
        ("قوات كورية شمالية", "كورية شمالية"),
        ("جندي كوري شمالي", "كوري شمالي"),
    ],
)
def test_two_word_adjectives_inflect_together(tagger: Tagger, text: str, span_text: str) -> None:
    mentions = by_id(tagger.tag(text))[NORTH_KOREA].mentions
    assert [(m.text, m.form) for m in mentions] == [(span_text, "adjective")]
    assert "Q884" not in by_id(tagger.tag(text))  # never South Korea


def test_longest_match_wins_over_nested_names(tagger: Tagger) -> None:
    text = "وقالت وكالة الأنباء المركزية الكورية الشمالية إن مجلس الأمن القومي الروسي اجتمع"
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[KCNA]) == ["وكالة الأنباء المركزية الكورية الشمالية"]
    assert texts_of(entities["ns:org/security-council-of-russia"]) == ["مجلس الأمن القومي الروسي"]
    assert NORTH_KOREA not in entities and RUSSIA not in entities


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("أكد حلف شمال الأطلسي (ناتو) أن", "Q7184", "حلف شمال الأطلسي"),
        ("وأفادت وكالة الأنباء الروسية الرسمية «تاس» بأن", "ns:org/tass", "تاس"),
        ("في انتهاك لقرارات مجلس الأمن الدولي", "Q37470", "مجلس الأمن الدولي"),
        ("the Korean Central News Agency (KCNA) said", KCNA, "Korean Central News Agency"),
    ],
)
def test_organisations_written_several_ways(
    tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[entity_id])[0] == span_text
    assert_spans(text, list(entities.values()))


def test_nato_acronym_in_parentheses_is_a_second_mention(tagger: Tagger) -> None:
    entities = by_id(tagger.tag("أكد حلف شمال الأطلسي (ناتو) أن"))
    assert texts_of(entities["Q7184"]) == ["حلف شمال الأطلسي", "ناتو"]


def test_english_case_boundaries_possessive_and_acronyms(tagger: Tagger) -> None:
    text = (
        "Putin's envoy met Kim Jong Un in Pyongyang; the US and us. "
        "Russia-Ukraine talks, turkey dinner in Turkey."
    )
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[PUTIN]) == ["Putin"]
    assert texts_of(entities[KIM]) == ["Kim Jong Un"]
    assert texts_of(entities["Q30"]) == ["US"]  # "us" is a pronoun
    assert texts_of(entities[RUSSIA]) == ["Russia"] and texts_of(entities["Q212"]) == ["Ukraine"]
    assert texts_of(entities["Q43"]) == ["Turkey"]  # the bird is lower case
    assert_spans(text, list(entities.values()))


def test_english_names_do_not_match_inside_words(tagger: Tagger) -> None:
    assert tagger.tag("Iranian-born Putinism scholars in Parisian cafes") == [] or all(
        entity.mentions[0].form == "adjective" for entity in tagger.tag("Iranian-born Putinism scholars")
    )
    assert "Q7747" not in by_id(tagger.tag("Putinism is a doctrine"))
    assert "Q90" not in by_id(tagger.tag("Parisian cafes"))


def test_persian_letters_use_the_same_gazetteer(tagger: Tagger) -> None:
    text = "ولادیمیر پوتین و کیم جونگ اون در پیونگ‌یانگ دیدار کردند و کره شمالی و روسیه توافق کردند"
    entities = by_id(tagger.tag(text))
    assert {PUTIN, KIM, PYONGYANG, NORTH_KOREA, RUSSIA} <= set(entities)
    assert_spans(text, list(entities.values()))


def test_spans_index_display_text_with_diacritics(tagger: Tagger) -> None:
    text = "قالَ الرَّئِيسُ فلاديميرُ بوتينُ إنَّ رُوسِيَا مستعدةٌ"
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[PUTIN]) == ["فلاديميرُ بوتينُ"]
    assert texts_of(entities[RUSSIA]) == ["رُوسِيَا"]
    assert_spans(text, list(entities.values()))


def test_tagging_is_deterministic(tagger: Tagger) -> None:
    text = "قال بوتين إن روسيا وكوريا الشمالية ستعززان التعاون، وقال كيم جونغ أون إن كيم مستعد"
    first = [entity.to_dict() for entity in tagger.tag(text)]
    second = [entity.to_dict() for entity in tagger.tag(text)]
    assert first == second
    assert [entity["id"] for entity in first] == [PUTIN, RUSSIA, NORTH_KOREA, KIM]


def test_language_argument_does_not_change_the_result(tagger: Tagger) -> None:
    text = "Putin met Kim Jong Un"
    assert [e.to_dict() for e in tagger.tag(text, "en")] == [e.to_dict() for e in tagger.tag(text, "ar")]


def test_no_break_spaces_keep_spans_on_the_original_text(tagger: Tagger) -> None:
    text = "قال\u00a0الرئيس الروسي\u00a0فلاديمير\u00a0بوتين إن موسكو\u202fمستعدة"
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[PUTIN]) == ["فلاديمير\u00a0بوتين"]  # the display text, as published
    assert MOSCOW in entities
    assert_spans(text, list(entities.values()))


def test_only_the_first_max_text_chars_are_tagged(core_gazetteer) -> None:  # type: ignore[no-untyped-def]
    from agents.entities.core import TagOptions

    tagger = Tagger(core_gazetteer, TagOptions(max_text_chars=1000))
    text = "بوتين " + "كلام " * 300 + "موسكو"
    assert [entity.id for entity in tagger.tag(text)] == [PUTIN]


def test_persian_ezafe_after_final_he(tagger: Tagger) -> None:
    text = "نیروهای کره‌ی شمالی در روسیه‌ی امروز"
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[NORTH_KOREA]) == ["کره‌ی شمالی"]
    assert texts_of(entities[RUSSIA]) == ["روسیه‌ی"]
    assert_spans(text, list(entities.values()))


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("North Korean leader Kim Jong-un met the envoy.", KIM, "Kim Jong-un"),
        ("استقبل كيم جونغ-أون الوفد الروسي", KIM, "كيم جونغ-أون"),
        ("The Kremlin\u2011backed plan", KREMLIN, "Kremlin"),
    ],
)
def test_a_hyphen_in_the_text_matches_a_space_or_hyphen_in_the_alias(
    tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    # The keys read an alias's hyphen as a space; the text must too (it used to miss every hyphenated name).
    assert_one_mention(tagger, text, entity_id, span_text)


@pytest.mark.parametrize(
    ("text", "entity_id", "span_text"),
    [
        ("The emir, Sheikh Tamim bin Hamad Al Thani, met the envoy", "ns:person/tamim-bin-hamad-al-thani",
         "Sheikh Tamim bin Hamad Al Thani"),
        ("وقال صاحب السمو الشيخ محمد بن راشد آل مكتوم، نائب رئيس الدولة",
         "ns:person/mohammed-bin-rashid-al-maktoum", "الشيخ محمد بن راشد آل مكتوم"),
    ],
)  # fmt: skip
def test_overlapping_names_of_one_entity_are_one_mention(
    full_tagger: Tagger, text: str, entity_id: str, span_text: str
) -> None:
    # Left to right alone, "Sheikh Tamim" won and "Hamad" and "Thani" became mentions of their own.
    assert_one_mention(full_tagger, text, entity_id, span_text)


@pytest.mark.parametrize(
    ("text", "entity_id"),
    [("اوپک‌پلاس تصمیم گرفت تولید را افزایش دهد", "ns:org/opec-plus"), ("خبرگزاری‌مرکزی‌کره گزارش داد", KCNA)],
)
def test_persian_compound_names_written_with_a_non_joiner_match(
    full_tagger: Tagger, text: str, entity_id: str
) -> None:
    entities = by_id(full_tagger.tag(text, "fa"))
    assert entity_id in entities
    assert "\u200c" in entities[entity_id].mentions[0].text
    assert_spans(text, full_tagger.tag(text, "fa"))
