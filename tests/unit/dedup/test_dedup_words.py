"""The vectorised word pass equals the shared matching form word for word."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.dedup.words import matching_words, word_stream
from agents.text import normalize, tokens
from tests.unit.dedup.dedup_texts import AR_ORIGINAL, EN_ORIGINAL, load_seeds

ALPHABET = st.sampled_from(
    list("abcXYZ _-.,;:!?\n\t0123456789")
    + list("اأإآٱبتثةهويىئؤءكگچپژکیۀ")  # Arabic and Persian letters, hamza forms
    + list("\u064b\u064e\u0650\u0651\u0652\u0670\u0640")  # harakat, shadda, sukun, dagger alef, tatweel
    + list("\u200c\u200d\u200f\u202b\u2066\ufeff\u00ad")  # zero-width, bidi, BOM, soft hyphen
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟٪")  # Arabic-Indic and Persian digits, Arabic punctuation
    + list("ﻻﷲﺍﺏ")  # presentation forms (NFKC)
    + list("İßÉé😀𝐀")  # case changes of length, astral letters and symbols
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_matching_words_equal_tokens_of_normalize(text):
    assert matching_words(text) == tokens(normalize(text))


def test_real_pages_give_the_same_words():
    texts = [EN_ORIGINAL, AR_ORIGINAL]
    texts += [seed["text"] for seed in load_seeds() or []]
    for text in texts:
        assert matching_words(text) == tokens(normalize(text))


def test_equal_words_hash_equal_wherever_they_stand():
    stream = word_stream("Beirut. beirut\n\nبيروت  بيروتُ\nBEIRUT")
    latin = {stream.hashes[i] for i in (0, 1, 4)}
    arabic = {stream.hashes[i] for i in (2, 3)}
    assert len(latin) == 1 and len(arabic) == 1 and latin != arabic
    assert stream.lines.tolist() == [0, 0, 1, 1, 2]


def test_words_longer_texts_than_the_precomputed_powers_hash_the_same():
    word = "كورسك"
    short = word_stream(word).hashes[0]
    long_text = ("x " * 40_000) + word
    assert word_stream(long_text).hashes[-1] == short
    assert np.unique(word_stream(long_text).hashes).size == 2
