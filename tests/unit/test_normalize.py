from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from agents.text import normalize, normalize_with_offsets, to_original_span, tokens


def test_arabic_and_persian_spellings_meet():
    assert normalize("أحمد") == normalize("احمد") == normalize("إحمد")
    assert normalize("مستشفى") == normalize("مستشفي")
    assert normalize("مدرسة") == normalize("مدرسه")
    assert normalize("کیم") == normalize("كيم")  # Persian keheh/yeh vs Arabic kaf/ya
    assert normalize("نقدّر") == normalize("نقدر")  # shadda dropped
    assert normalize("العــربية") == normalize("العربية")  # tatweel dropped
    assert normalize("٢٠٢٥ ۱۴۰۴") == "2025 1404"
    assert normalize("ﻻ") == "لا"  # presentation form (NFKC)
    assert normalize("Kim\u00a0Jong") == "kim jong"


def test_offsets_map_back_to_the_display_text():
    text = "وأشاد بوتينُ، في بيانٍ صدر عن الكرملين"
    normalised, offsets = normalize_with_offsets(text)
    start = normalised.index("بوتين")
    s, e = to_original_span(offsets, start, start + len("بوتين"), text)
    assert text[s:e] == "بوتينُ"
    assert tokens(normalize("Hello, world! مرحبا")) == ["hello", "world", "مرحبا"]


def test_identity_offsets_when_nothing_is_dropped():
    normalised, offsets = normalize_with_offsets("plain text\u00a0here")
    assert offsets is None and normalised == "plain text here"


@given(st.text(max_size=200))
def test_offsets_agree_with_normalize_for_any_text(text):
    normalised, offsets = normalize_with_offsets(text)
    assert normalised == normalize(text)
    if offsets is not None:
        assert len(offsets) == len(normalised)
        assert offsets == sorted(offsets)
        assert all(0 <= o < len(text) for o in offsets)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=100))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once or not unicodedata.is_normalized("NFKC", once)
