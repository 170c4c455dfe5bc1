"""The tagger's offset map must equal ``agents.text.normalize_with_offsets`` on every kind of text."""

from __future__ import annotations

import pytest

from agents.entities.display_offsets import DroppedOffsets, display_span, normalize_for_matching
from agents.text import normalize_with_offsets, to_original_span

TEXTS = [
    "قال الرئيس الروسي فلاديمير بوتين إن موسكو",  # nothing dropped: offsets None
    "قالَ الرئيسُ الروسيُّ فلاديميرُ بوتينَ، إنّ موسكو",  # harakat and shadda dropped
    "ــبوتين\u200fــ و\u200bالكرملين\u00ad",  # tatweel, bidi mark, zero-width space, soft hyphen
    "\u064eبدأ النص بحركة وانتهى بها\u064f",  # dropped first and last characters
    "ﻻ بد من ﷲ",  # presentation forms: NFKC changes length, the per-character path
    "Ａｂｃ قالَ",  # full-width Latin (NFKC, same length) plus a dropped mark
    "İstanbul قالَ",  # lower-casing changes length
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_text_and_offsets_as_the_shared_normalisation(text: str) -> None:
    norm, offsets = normalize_for_matching(text)
    expected_norm, expected_offsets = normalize_with_offsets(text)
    assert norm == expected_norm
    if expected_offsets is None:
        assert offsets is None
        return
    assert offsets is not None
    assert len(offsets) == len(expected_offsets)
    assert [offsets[j] for j in range(len(offsets))] == expected_offsets
    assert offsets[-1] == expected_offsets[-1]
    for start in range(len(norm) + 1):
        for end in range(start, len(norm) + 1):
            assert display_span(offsets, start, end, text) == to_original_span(
                expected_offsets, start, end, text
            )


def test_dropped_characters_use_the_lazy_map() -> None:
    _, offsets = normalize_for_matching("قالَ الرئيسُ")
    assert isinstance(offsets, DroppedOffsets)
    with pytest.raises(IndexError):
        offsets[len(offsets)]
