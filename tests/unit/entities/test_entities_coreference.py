"""Within-article linking: short forms and surnames, ambiguous aliases, several namesakes."""

from __future__ import annotations

from agents.entities.core import Tagger, TagOptions

from .conftest import by_id, texts_of

KIM_JONG_UN, KIM_IL_SUNG, KIM_YO_JONG = "Q56226", "Q41117", "ns:person/kim-yo-jong"


def test_short_form_alone_is_dropped(tagger: Tagger) -> None:
    # "كيم" names no one on its own: three Kims are in the gazetteer
    assert tagger.tag("قال كيم إن الاختبار نجح") == []


def test_short_form_links_to_the_full_name_in_the_article(tagger: Tagger) -> None:
    text = "التقى الزعيم كيم جونغ أون بالوفد. وقال كيم إن بلاده مستعدة."
    entity = by_id(tagger.tag(text))[KIM_JONG_UN]
    assert [(m.text, m.form) for m in entity.mentions] == [("كيم جونغ أون", "name"), ("كيم", "short")]


def test_headline_surname_before_the_full_name_is_linked(tagger: Tagger) -> None:
    text = "كيم يهنئ بوتين\nقال الزعيم الكوري الشمالي كيم جونغ أون إن العلاقات قوية"
    entity = by_id(tagger.tag(text))[KIM_JONG_UN]
    assert texts_of(entity) == ["كيم", "كيم جونغ أون"]


def test_namesakes_go_to_the_article_protagonist(tagger: Tagger) -> None:
    text = (
        "قال كيم جونغ أون إن الجيش قوي. وحضر كيم جونغ أون عرضا في ميدان كيم إيل سونغ. "
        "وأضاف كيم أن التعاون سيستمر."
    )
    entities = by_id(tagger.tag(text))
    assert texts_of(entities[KIM_IL_SUNG]) == ["كيم إيل سونغ"]
    assert texts_of(entities[KIM_JONG_UN])[-1] == "كيم"
    assert entities[KIM_JONG_UN].mentions[-1].form == "short"


def test_english_short_form(tagger: Tagger) -> None:
    text = "Kim Yo Jong issued a statement. Kim said Seoul would regret it."
    entity = by_id(tagger.tag(text))[KIM_YO_JONG]
    assert texts_of(entity) == ["Kim Yo Jong", "Kim"]


def test_short_forms_can_be_switched_off(core_gazetteer) -> None:  # type: ignore[no-untyped-def]
    tagger = Tagger(core_gazetteer, TagOptions(link_short_forms=False))
    entity = by_id(tagger.tag("قال كيم جونغ أون إن كيم مستعد"))[KIM_JONG_UN]
    assert texts_of(entity) == ["كيم جونغ أون"]


def test_ambiguous_alias_without_context_is_dropped(tagger: Tagger) -> None:
    # كيف is "how" in Arabic; Kyiv only when the article names Kyiv unambiguously elsewhere
    assert tagger.tag("كيف يمكن تحقيق ذلك؟") == []
    entity = by_id(tagger.tag("وصل الوفد إلى كييف. وفي كيف قال المسؤولون"))["Q1899"]
    assert texts_of(entity) == ["كييف", "كيف"]


def test_shared_alias_is_decided_by_context(tagger: Tagger) -> None:
    # عمان is Oman and Amman (عُمان / عمّان lose their marks in most news text)
    assert tagger.tag("وصل الوزير إلى عمان") == []
    oman = by_id(tagger.tag("زار سلطنة عمان ثم قال إن عمان شريك"))
    assert texts_of(oman["Q842"]) == ["سلطنة عمان", "عمان"]
    assert "Q3805" not in oman
    amman = by_id(tagger.tag("الأردن: وصل الوزير إلى عمان"))
    assert "Q842" not in amman and "Q3805" not in amman  # Jordan is not Amman's own anchor: still dropped


def test_adjective_anchors_an_ambiguous_country(tagger: Tagger) -> None:
    entities = by_id(tagger.tag("قال المسؤول العماني إن عمان ترحب"))
    assert [(m.text, m.form) for m in entities["Q842"].mentions] == [("عماني", "adjective"), ("عمان", "name")]


def test_repeated_processing_does_not_double_mentions(tagger: Tagger) -> None:
    text = "بوتين وبوتين"
    assert len(tagger.tag(text)[0].mentions) == 2
    assert len(tagger.tag(text)[0].mentions) == 2


def test_two_letter_short_form_links_only_after_the_full_name(tagger: Tagger) -> None:
    assert "Q15031" not in by_id(tagger.tag("قال شي إن الصين تدعم الحوار"))
    entity = by_id(tagger.tag("زار شي جين بينغ موسكو. وقال شي إن الصين تدعم الحوار."))["Q15031"]
    assert [(m.text, m.form) for m in entity.mentions] == [("شي جين بينغ", "name"), ("شي", "short")]
