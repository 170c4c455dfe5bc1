"""Language of an article and of its lines: script checks first, lingua only where scripts cannot decide.

Arabic, Persian and Urdu share one script, but each has letters the others avoid: Persian writes ی ک and
has پ چ ژ گ, Arabic writes ي ك ة ى, Urdu has ٹ ڈ ڑ ں ے. Counting those letters (plus a few function words
that only one language uses) separates them per line in a few microseconds, which is what lets the cleaner
drop Persian chrome on an Arabic page. Latin, Cyrillic and Hebrew text goes to lingua, built once per
detector and asked once per article.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

_PERSIAN_LETTERS = "پچژگیک"
_ARABIC_LETTERS = "ةيكى"
_URDU_LETTERS = "ٹڈڑںے"
# Function words in matching form that are frequent in one language and absent from the other.
# fmt: off
_PERSIAN_WORDS = frozenset([
    "است", "را", "براي", "خواهد", "شده", "كرد", "كند", "ميشود", "مي", "نمي", "نيز", "هستند", "بود",
    "شود", "اند", "ايم", "ميكند", "كرده", "يك", "همه", "بايد", "شما", "از", "در", "با", "كه",
])
# fmt: on
# fmt: off
_ARABIC_WORDS = frozenset([
    "في", "التي", "الذي", "الي", "عن", "هذه", "هذا", "كان", "كانت", "قد", "لم", "لن", "مع", "بين",
    "حيث", "ذلك", "وقال", "قال", "الى", "منذ", "خلال", "او", "ثم", "لا", "الذين",
])
# fmt: on
_ARABIC_CHAR_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_CHAR_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_OTHER_CHAR_RE = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0900-\u0dff\u0e00-\u0eff\u3040-\u9fff\uac00-\ud7af]"
)
_NON_LATIN_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0900-\u0dff\u3040-\u9fff]"
)
# What makes an Arabic-script line more than plain Arabic: Latin, other scripts, Persian/Urdu letters.
_FOREIGN_TO_ARABIC_RE = re.compile(
    "[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0900-\u0dff\u0e00-\u0eff"
    "\u3040-\u9fff\uac00-\ud7af" + _PERSIAN_LETTERS + _URDU_LETTERS + "]"
)
# Letters are capped so that function words decide for long lines: some Persian sites still type Arabic
# ي/ك throughout, and their lines are recognised by است/را/برای rather than by letters.
_LETTER_CAP = 8
_WORD_WEIGHT = 5
_LATIN_WORD_RE = re.compile(r"[a-zà-ÿçğışöü]+")
# Words frequent in one language and rare in the others (no shared forms such as "a", "de", "la", "in").
# fmt: off
_LATIN_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset([
        "the", "and", "of", "to", "is", "that", "for", "with", "was", "said", "were", "has", "have",
        "from", "this", "which", "by",
    ]),
    "fr": frozenset([
        "le", "les", "des", "est", "une", "dans", "qui", "pour", "sur", "pas", "avec", "sont", "ont",
        "été", "aux", "du",
    ]),
    "es": frozenset([
        "el", "los", "las", "del", "que", "por", "con", "una", "para", "es", "fue", "según", "sus",
        "como", "más",
    ]),
    "de": frozenset([
        "der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "sich", "auf", "für", "ein",
        "eine", "wurde",
    ]),
    "tr": frozenset([
        "ve", "bir", "bu", "için", "ile", "olarak", "daha", "çok", "gibi", "olan", "da", "de", "ama",
    ]),
}
# fmt: on
_LINGUA_CODES = ("ar", "fa", "en", "fr", "ur", "tr", "he", "es", "de", "ru")
SUPPORTED_LANGUAGES = frozenset(_LINGUA_CODES)
_LATIN_SCRIPT_LANGUAGES = frozenset(["en", "fr", "tr", "es", "de"])
_ARABIC_SCRIPT = frozenset(["ar", "fa", "ur"])


@dataclass(slots=True)
class ScriptProfile:
    """Word counts of one line by script, and the Arabic-script language its letters point to."""

    arabic_words: int = 0
    latin_words: int = 0
    other_words: int = 0
    persian_score: int = 0
    arabic_score: int = 0
    urdu_score: int = 0

    @property
    def script(self) -> str:
        """``arabic``, ``latin``, ``other`` or ``none`` (no letters), by majority of words."""
        top = max(self.arabic_words, self.latin_words, self.other_words)
        if top == 0:
            return "none"
        if top == self.arabic_words:
            return "arabic"
        return "latin" if top == self.latin_words else "other"

    def arabic_script_language(self) -> str | None:
        """``ar``, ``fa`` or ``ur`` when the letters decide, else ``None``."""
        if self.urdu_score >= 2:
            return "ur"
        if self.persian_score > 1.5 * self.arabic_score and self.persian_score >= 2:
            return "fa"
        if self.arabic_score > 1.5 * self.persian_score and self.arabic_score >= 2:
            return "ar"
        return None

    def add(self, other: ScriptProfile) -> None:
        self.arabic_words += other.arabic_words
        self.latin_words += other.latin_words
        self.other_words += other.other_words
        self.persian_score += other.persian_score
        self.arabic_score += other.arabic_score
        self.urdu_score += other.urdu_score


def script_profile(display: str, words: list[str]) -> ScriptProfile:
    """Profile a line from its display text (for letters) and its matching-form words.

    Fast path first: a plain Arabic line (no Latin, other scripts, Persian/Urdu letters or Persian
    function words, the usual case) costs two regex probes and three counts; only other lines are
    counted word by word and letter by letter.
    """
    profile = ScriptProfile()
    has_arabic = _ARABIC_CHAR_RE.search(display) is not None
    if has_arabic and _FOREIGN_TO_ARABIC_RE.search(display) is None:
        profile.arabic_words = len(words)
        if _PERSIAN_WORDS.isdisjoint(words):
            letters = display.count("ي") + display.count("ة") + display.count("ى")
            profile.arabic_score = min(letters, _LETTER_CAP) + _WORD_WEIGHT * len(
                _ARABIC_WORDS.intersection(words)
            )
            return profile
    else:
        has_latin = _LATIN_CHAR_RE.search(display) is not None
        has_other = _OTHER_CHAR_RE.search(display) is not None
        if has_latin and not has_arabic and not has_other:
            profile.latin_words = len(words)
        elif has_arabic or has_latin or has_other:
            for word in words:
                first = word[0]
                if "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f":
                    profile.arabic_words += 1
                elif first.isalpha():
                    if first <= "\u024f":
                        profile.latin_words += 1
                    else:
                        profile.other_words += 1
    if profile.arabic_words:
        arabic = display.count("ي") + display.count("ة") + display.count("ى") + display.count("ك")
        persian = sum(display.count(c) for c in _PERSIAN_LETTERS)
        profile.persian_score = min(persian, _LETTER_CAP) + _WORD_WEIGHT * len(
            _PERSIAN_WORDS.intersection(words)
        )
        profile.arabic_score = min(arabic, _LETTER_CAP) + _WORD_WEIGHT * len(
            _ARABIC_WORDS.intersection(words)
        )
        profile.urdu_score = sum(display.count(c) for c in _URDU_LETTERS)
    return profile


@dataclass(slots=True)
class LanguageDetector:
    """Article language: Arabic-script languages by letters, everything else by lingua (built lazily, once).

    Lingua is restricted to the languages newsstream meets (ar, fa, en, fr, ur, tr, he, es, de, ru) in its
    low-accuracy mode, which is ample for whole articles and several times faster.
    """

    _lingua: Any = field(default=None, init=False, repr=False)

    def _detector(self) -> Any:
        if self._lingua is None:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            codes = [getattr(IsoCode639_1, code.upper()) for code in _LINGUA_CODES]
            self._lingua = (
                LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
            )
        return self._lingua

    def detect(self, profile: ScriptProfile, sample: str) -> str:
        """ISO 639-1 code of an article from its summed script profile and a text sample; ``und`` if none."""
        script = profile.script
        if script == "none":
            return "und"
        if script == "arabic":
            decided = profile.arabic_script_language()
            if decided is not None:
                return decided
        if not sample.strip():
            return "und"
        if script == "latin":
            decided = latin_by_function_words(sample)
            if decided is not None:
                return decided
        language = self._detector().detect_language_of(sample[:600])
        if language is None:
            return "und"
        return str(language.iso_code_639_1.name).lower()


def latin_by_function_words(sample: str) -> str | None:
    """en/fr/es/de/tr when one language's function words clearly dominate a sample, else ``None``.

    Counting a handful of very frequent words settles most Latin-script articles in microseconds; only
    close calls go to lingua.
    """
    words = _LATIN_WORD_RE.findall(sample.lower())
    if len(words) < 12:
        return None
    hits = sorted(
        (
            (sum(1 for w in words if w in vocabulary), code)
            for code, vocabulary in _LATIN_FUNCTION_WORDS.items()
        ),
        reverse=True,
    )
    (best, code), (second, _) = hits[0], hits[1]
    if best >= 4 and best >= 3 * second and best >= len(words) // 10:
        return code
    return None


def plainly_in(article_language: str, display: str, words: list[str]) -> bool:
    """Cheap test that a line is written in the article's own script with nothing foreign in it.

    True means no further check is needed; False means "look closer" (:func:`line_language`).
    """
    if article_language == "ar":
        return _FOREIGN_TO_ARABIC_RE.search(display) is None and _PERSIAN_WORDS.isdisjoint(words)
    if article_language in _LATIN_SCRIPT_LANGUAGES:
        return _NON_LATIN_RE.search(display) is None
    return False


def line_language(profile: ScriptProfile, article_language: str) -> str | None:
    """Language of a single line when its script makes it clear, else ``None`` (assume the article's)."""
    script = profile.script
    if script == "arabic":
        return profile.arabic_script_language()
    if script == "latin":
        if profile.latin_words < 3 and profile.arabic_words:
            return None
        return article_language if article_language in _LATIN_SCRIPT_LANGUAGES else "latin"
    if script == "other":
        in_script = article_language not in _LATIN_SCRIPT_LANGUAGES and article_language not in _ARABIC_SCRIPT
        return article_language if in_script else "other"
    return None
