from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from agents.text import normalize, normalize_with_offsets, to_original_span, tokens
from agents.text.normalize import CHARACTER_RULES, _translate


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


_RULE_CHARS = "".join(chr(code) for code in CHARACTER_RULES)


def test_fast_translation_can_equal_str_translate():
    """``_translate`` replaces one character kind at a time; that equals ``str.translate`` only while no
    replacement contains a rule character, no rule character is ASCII and every mapping is one character
    (the offsets rely on it)."""
    for code, replacement in CHARACTER_RULES.items():
        assert code >= 128
        assert replacement is None or (len(replacement) == 1 and ord(replacement) not in CHARACTER_RULES)


@given(
    st.text(alphabet=st.sampled_from(_RULE_CHARS + "abc ابتکی\u00a0،ﻻ"), max_size=80) | st.text(max_size=80)
)
def test_fast_translation_equals_str_translate(text):
    assert _translate(text) == text.translate(dict(CHARACTER_RULES))
    normalised, offsets = normalize_with_offsets(text)
    if unicodedata.is_normalized("NFKC", text) and len(text.lower()) == len(text):
        display = text.translate(dict(CHARACTER_RULES)).lower()
        assert normalised == display
        kept = [i for i, char in enumerate(text) if CHARACTER_RULES.get(ord(char), char) is not None]
        assert offsets == (None if len(kept) == len(text) else kept)
