"""A capital named alone in an article that names its country is the capital: "أعلنت سيول" in Korea news.

News names governments by their capitals ("Seoul said", "Kabul accused"). Where a capital's only spelling
is also a word (سيول "floods", كابل "cable") the alias is marked ambiguous and, unless the capital is named
plainly elsewhere, dropped: in 10,500 ANT articles سيول stood for Seoul in all 23 that named South Korea,
and was tagged in one. A gazetteer entry may give a place its ``country``; an undecided match whose one
LOCATION candidate is such a place, in an article that names the country unambiguously, is that place.

Not when the matched word is one of the frequent Arabic and Persian words (``common_words``): كيف, Kyiv's
rare spelling, is "how" in every Ukraine article, and عمان is also Oman. Like a place noun's, this decision
does not anchor other occurrences.
"""

from __future__ import annotations

from collections.abc import Mapping

from agents.entities.common_words import COMMON_WORDS
from agents.entities.coreference import Resolved
from agents.entities.gazetteer import Group
from agents.entities.matching import KeyMatch


def settle_capital(
    match: KeyMatch,
    places: list[Group],
    norm: str,
    country_of: Mapping[int, int],
    anchors: Mapping[int, list[int]],
) -> Resolved | None:
    """``match`` decided as its one place (``places``: ``place_nouns.place_names``) if the article names
    the place's country, else None.

    ``country_of`` maps a place's gazetteer index to its country's; ``anchors`` are the entities the
    article names unambiguously (``coreference.resolve``).
    """
    if len(places) != 1:
        return None
    country = country_of.get(places[0][0])
    if country is None or country not in anchors or norm[match.start : match.end] in COMMON_WORDS:
        return None
    return Resolved(match.start, match.end, places[0][0], places[0][1])
