"""Arabic-script orthography the matcher needs: attached clitics, token boundaries, spelling skeletons.

All functions work on the *normalised* form (``agents.text.normalize``: hamza forms → ا, ى → ي, ة → ه,
Persian ی/ک → ي/ك), so the tables below list normalised letters only.

Clitics: Arabic writes the conjunctions و/ف, the prepositions ب/ل/ك and the article ال attached to the next
word (وموسكو، لكوريا، بالكرملين). After ل the article loses its alef (ل + الرئيس → للرئيس), so "لل" is
ل + article. A mention's span starts after the clitics.
"""

from __future__ import annotations

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")

PREFIXES_WITHOUT_ARTICLE: frozenset[str] = frozenset(c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS)
"""Clitic strings allowed before a word that does not take the article here ("", و, ب, وب, فل ...)."""

PREFIXES_WITH_ARTICLE: frozenset[str] = frozenset(
    c + ("لل" if p == "ل" else p + "ال") for c in _CONJUNCTIONS for p in _PREPOSITIONS
)
"""Clitic strings that end in the article (ال, وال, بال, وبال, لل, ولل, كال ...)."""

ARTICLE_FORBIDDEN = 0
ARTICLE_REQUIRED = 1
ARTICLE_OPTIONAL = 2

_LONG_VOWELS = frozenset("اوي")
_SKELETON_TABLE = str.maketrans(
    {"غ": "ج", "ق": "ج", "گ": "ج", "ط": "ت", "ص": "س", "ذ": "ز", "ظ": "ز", "پ": "ب", "ڤ": "ف", "ث": "س"}
)


def is_arabic_script(text: str) -> bool:
    """True when ``text`` contains a letter of the Arabic block (Arabic, Persian, Urdu letters)."""
    return any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in text)


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def prefix_allowed(prefix: str, article_rule: int) -> bool:
    """Whether the attached ``prefix`` (text between token start and match start) fits the alias rule."""
    if article_rule == ARTICLE_FORBIDDEN:
        return prefix in PREFIXES_WITHOUT_ARTICLE
    if article_rule == ARTICLE_REQUIRED:
        return prefix in PREFIXES_WITH_ARTICLE
    return prefix in PREFIXES_WITHOUT_ARTICLE or prefix in PREFIXES_WITH_ARTICLE


def strip_article(token: str) -> tuple[str, bool]:
    """Split a leading article off a normalised token: ``("كرملين", True)`` for الكرملين.

    Tokens of three letters or fewer keep their ال (e.g. a name like "الي" is not article + "ي"). On
    normalised text this cannot tell ألبانيا (hamza, no article) from an article; use
    ``written_with_article`` on the text as written when it is available.
    """
    if token.startswith("ال") and len(token) > 3:
        return token[2:], True
    return token, False


def written_with_article(token: str) -> bool:
    """Whether a token *as written* starts with the article: plain alef + lam (الكرملين, not ألبانيا).

    Normalisation maps أ/إ/آ to ا, after which ألباني looks like ال + باني; the hamza seat in the written
    form shows the alef belongs to the word.
    """
    letters = [char for char in token if not ("\u064b" <= char <= "\u065f" or char in "\u0640\u0670")]
    return len(letters) > 3 and letters[0] == "\u0627" and letters[1] == "\u0644"


def skeleton(token: str) -> str:
    """Spelling-insensitive key of one normalised token for comparing transliterated foreign names.

    Folds the letters transliteration confuses (ج/غ/ق/گ for g, ط/ت, ص/س, ذ/ز/ظ, پ/ب, ڤ/ف) and drops long
    vowels after the first letter, so دميتري, ديمتري and ديميتري share one key. Only used to confirm a name
    next to an exact anchor, never to find names on its own (too many ordinary words share skeletons).
    """
    folded = token.translate(_SKELETON_TABLE)
    if not folded:
        return folded
    return folded[0] + "".join(char for char in folded[1:] if char not in _LONG_VOWELS)
