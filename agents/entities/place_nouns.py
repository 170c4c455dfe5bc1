"""A place noun before an ambiguous name settles it as the place: "مدينة زاما", "بلدة قنوات", "city of Zama".

Thousands of GeoNames cities share their name with a common word or another entity, so their aliases are
marked ambiguous and, without another mention of the same place in the article, dropped (coreference rule
2): recall on minor places was the price of precision. But news names a minor place with its class noun in
front far more often than bare, and that noun is context the name needs: a word that follows مدينة or
"the town of" is a place. The nouns are generic (city, town, village, province, port, camp ...), never a
list of names, and they only ever *settle* a match the gazetteer already found; they do not create one.
When several places share the key (Cambridge, England and Massachusetts) the match stays undecided, unless
a town noun leaves one town among them (العاصمة عمان is Amman, not Oman).

A settled match does not anchor the name's other occurrences: "بلدة قنوات" says nothing of the
"قنوات محلية" (local channels) later in the sentence, nor "مدينة زاما" of "Camp Zama".
"""

from __future__ import annotations

from collections.abc import Sequence

from agents.entities.arabic import PREFIXES_WITH_ARTICLE, PREFIXES_WITHOUT_ARTICLE
from agents.entities.coreference import Resolved
from agents.entities.gazetteer import FORM_NAME, Group
from agents.entities.matching import KeyMatch
from agents.entities.records import EntityRecord
from agents.text import normalize

_ARABIC_TOWNS = "مدينة بلدة قرية عاصمة ضاحية"
_ARABIC_AREAS = "محافظة ولاية مقاطعة إقليم منطقة ميناء جزيرة مخيم بلدية"
_PERSIAN_TOWNS = "شهر روستای روستا پایتخت شهرک"
_PERSIAN_AREAS = "شهرستان استان بندر جزیره منطقه"
_ENGLISH_TOWNS = "city town village capital"
_ENGLISH_AREAS = "province port region district county"
#: Subtypes a town noun (مدينة, "the city of") can name: when a key is both a country and its capital
#: (عمان: Oman and Amman), "العاصمة عمان" is the capital.
_TOWN_SUBTYPES = frozenset({"city", "capital", "town"})


def _with_clitics(words: str) -> frozenset[str]:
    return frozenset(
        prefix + word
        for word in {normalize(word) for word in words.split()}
        for prefix in (*PREFIXES_WITHOUT_ARTICLE, *PREFIXES_WITH_ARTICLE)
    )


_TOWN_NOUNS = _with_clitics(_ARABIC_TOWNS + " " + _PERSIAN_TOWNS) | frozenset(_ENGLISH_TOWNS.split())
_NOUNS = _TOWN_NOUNS | _with_clitics(_ARABIC_AREAS + " " + _PERSIAN_AREAS) | frozenset(_ENGLISH_AREAS.split())
_PUNCTUATION = ",،:«»\"'()"


def _previous_tokens(norm: str, start: int, count: int) -> list[str]:
    """Up to ``count`` tokens before the one at ``start``, nearest first, punctuation stripped.

    A match starts after its clitics and article (مدينة الجمالية matches at جمالية): what is glued to it
    is part of its own token, not the word before.
    """
    window = norm[max(0, start - 60) : start]
    tokens = window.split()
    if tokens and not window[-1].isspace():
        tokens.pop()
    return [token.strip(_PUNCTUATION) for token in tokens[-count:][::-1]]


def _noun_before(previous: list[str]) -> str | None:
    """The place noun that governs the name after ``previous``, if any.

    Arabic and Persian: the noun right before the name (بمدينة زاما), or before one adjective (العاصمة
    الأفغانية كابل; an Arabic adjective with the article, ending in ي or يه after normalisation). English:
    "the city of Zama", or "capital" right before (the Afghan capital, Kabul).
    """
    if not previous:
        return None
    first = previous[0]
    if not first.isascii():
        if first in _NOUNS:
            return first
        if (
            len(previous) >= 2
            and first.startswith("ال")
            and first.endswith(("ي", "يه"))
            and previous[1] in _NOUNS
        ):
            return previous[1]
        return None
    if first == "capital":
        return first
    if first == "of" and len(previous) >= 2 and previous[1] in _NOUNS and previous[1].isascii():
        return previous[1]
    return None


def place_names(match: KeyMatch, records: Sequence[EntityRecord]) -> list[Group]:
    """The candidates of ``match`` that name a place (the context rules' only concern)."""
    return [group for group in match.groups if group[1] == FORM_NAME and records[group[0]].type == "LOCATION"]


def settle_place(
    match: KeyMatch, places: list[Group], norm: str, records: Sequence[EntityRecord]
) -> Resolved | None:
    """``match`` decided as its one place (``places``: :func:`place_names`) if a place noun comes before
    it, else None.

    Called by ``coreference.resolve`` for the matches it cannot decide alone (ambiguous ones, a small
    share), so the look-behind costs nothing on the rest. ``records`` are the gazetteer's, by index.
    """
    noun = _noun_before(_previous_tokens(norm, match.start, 3))
    if noun is None:
        return None
    if len(places) > 1 and noun in _TOWN_NOUNS:
        places = [group for group in places if records[group[0]].subtype in _TOWN_SUBTYPES]
    if len(places) != 1:
        return None
    return Resolved(match.start, match.end, places[0][0], places[0][1])
