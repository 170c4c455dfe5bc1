"""Language of articles and lines: script letters decide Arabic-script languages, lingua the rest."""

from __future__ import annotations

import pytest

from agents.clean import Cleaner, PageInput
from agents.clean.language import line_language, script_profile
from agents.text.normalize import normalize

ARABIC = "أعلنت الحكومة عن خطة جديدة لدعم المزارعين في المناطق الريفية خلال العام المقبل."
PERSIAN = "دولت برنامه تازه‌ای برای حمایت از کشاورزان در مناطق روستایی اعلام کرد."
URDU = "حکومت نے دیہی علاقوں میں کسانوں کی مدد کے لیے نیا منصوبہ پیش کیا ہے۔"


def profile(text: str):
    return script_profile(text, normalize(text).split())


@pytest.mark.parametrize(("text", "language"), [(ARABIC, "ar"), (PERSIAN, "fa"), (URDU, "ur")])
def test_arabic_script_languages_are_told_apart_by_letters(text: str, language: str) -> None:
    assert profile(text).arabic_script_language() == language


def test_persian_line_on_an_arabic_page_is_foreign() -> None:
    assert line_language(profile(PERSIAN), "ar") == "fa"
    assert line_language(profile(ARABIC), "ar") == "ar"
    assert line_language(profile("Follow us on Google News"), "ar") == "latin"
    assert line_language(profile("Follow us on Google News"), "en") == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARABIC * 3, "ar"),
        (PERSIAN * 3, "fa"),
        ("The government announced a new plan to support farmers in rural areas next year. " * 3, "en"),
        (
            "Le gouvernement a annoncé un nouveau plan pour soutenir les agriculteurs des zones rurales. "
            * 3,
            "fr",
        ),
        (
            "Правительство объявило о новом плане поддержки фермеров в сельских районах в следующем году. "
            * 3,
            "ru",
        ),
    ],
)
def test_article_language(text: str, language: str) -> None:
    result = Cleaner({}).clean(PageInput(source="s", text=text.replace(". ", ".\n")))
    assert result.language == language


def test_language_hint_is_trusted() -> None:
    result = Cleaner({}).clean(
        PageInput(source="s", text=ARABIC + "\n" + ARABIC.replace("خطة", "خطه"), language="ar")
    )
    assert result.language == "ar"


def test_persian_typed_with_arabic_ya_and_kaf_is_still_persian() -> None:
    typed = "دولت برنامه تازه اي براي حمايت از كشاورزان در مناطق روستايي اعلام كرد و اين طرح از سال آينده اجرا مي شود."  # noqa: E501
    assert profile(typed).arabic_script_language() == "fa"


def test_line_without_language_specific_letters_or_words_is_undecided() -> None:
    assert profile("دولت دولت دولت دولت.").arabic_script_language() is None
