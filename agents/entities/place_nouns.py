"""A place noun before an ambiguous name settles it as the place: "مدينة زاما", "بلدة قنوات", "city of Zama".

Thousands of GeoNames cities share their name with a common word or another entity, so their aliases are
marked ambiguous and, without another mention of the same place in the article, dropped (coreference rule
2): recall on minor places was the price of precision. But news names a minor place with its class noun in
front far more often than bare, and that noun is context the name needs: a word that follows مدينة or
"the town of" is a place. The nouns are generic (city, town, village, province, port, camp ...), never a
list of names, and they only ever *settle* a match the gazetteer already found; they do not create one.
When several places share the key (Cambridge, England and Massachusetts) the match stays undecided.

A settled match does not anchor the name's other occurrences: "بلدة قنوات" says nothing of the
"قنوات محلية" (local channels) later in the sentence, nor "مدينة زاما" of "Camp Zama".
"""

from __future__ import annotations

from agents.entities.arabic import PREFIXES_WITH_ARTICLE, PREFIXES_WITHOUT_ARTICLE
from agents.entities.coreference import Resolved
from agents.entities.gazetteer import FORM_NAME
from agents.entities.matching import KeyMatch
from agents.text import normalize

_ARABIC = "مدينة بلدة قرية محافظة ولاية مقاطعة إقليم منطقة عاصمة ميناء جزيرة مخيم ضاحية بلدية"
_PERSIAN = "شهر شهرستان استان روستای روستا بندر جزیره منطقه پایتخت شهرک"
_ENGLISH_BEFORE_OF = "city town village province port region district county capital"

_NOUNS = frozenset(
    prefix + word
    for word in {normalize(word) for word in (_ARABIC + " " + _PERSIAN).split()}
    for prefix in (*PREFIXES_WITHOUT_ARTICLE, *PREFIXES_WITH_ARTICLE)
) | frozenset(_ENGLISH_BEFORE_OF.split())


def _previous_tokens(norm: str, start: int, count: int) -> list[str]:
    """Up to ``count`` whitespace tokens before ``start`` (nearest first, clitics still attached)."""
    return norm[max(0, start - 60) : start].split()[-count:][::-1]


def settle_place(match: KeyMatch, norm: str, types: list[str]) -> Resolved | None:
    """``match`` decided as its one LOCATION candidate if a place noun comes before it, else None.

    Called by ``coreference.resolve`` for the matches it cannot decide alone (ambiguous ones, a small
    share), so the look-behind costs nothing on the rest. ``types`` is the entity type per gazetteer index.
    """
    places = [group for group in match.groups if group[1] == FORM_NAME and types[group[0]] == "LOCATION"]
    if len(places) != 1:
        return None
    previous = _previous_tokens(norm, match.start, 2)
    if not previous:
        return None
    noun = previous[0] in _NOUNS and not previous[0].isascii()
    noun = noun or (len(previous) == 2 and previous[0] == "of" and previous[1] in _NOUNS)
    return Resolved(match.start, match.end, places[0][0], places[0][1]) if noun else None
