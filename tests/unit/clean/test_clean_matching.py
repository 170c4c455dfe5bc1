"""The cleaner's fast whole-page normalisation must agree exactly with the shared ``normalize``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agents.clean import CleanResult, matching_text
from agents.clean.matching import fast_normalize
from agents.text.normalize import normalize

# Arabic and Persian letters, diacritics, tatweel, zero-width and bidi marks, digits, presentation forms.
_MARKS = "\u064b\u064e\u0651\u0652\u0670\u0640\u200c\u200f\u202b\ufefb\xa0"
ALPHABET = st.sampled_from(
    [*"ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآٱؤئىةیکپچژگ۰۱۲۳٤٥٦٧٨٩0123456789،؛؟٪ AbCİß\n", *_MARKS]
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=200) | st.text(max_size=200))
def test_fast_normalize_equals_normalize(text: str) -> None:
    assert fast_normalize(text) == normalize(text)


def test_matching_text_is_the_normalised_title_and_body() -> None:
    result = CleanResult(
        title="إعلان النتائج",
        text="قالت الوزارة إنّ ٣ مدارس فازت.",
        language="ar",
        published_at=None,
        published_precision=None,
        byline=None,
        attribution=None,
    )
    assert matching_text(result) == "اعلان النتايج\n\nقالت الوزاره ان 3 مدارس فازت."
