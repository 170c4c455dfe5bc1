"""What of an article the story clusterer compares: key terms, weighted entities, numbers and dates.

Terms come from the title (weighted up) and the lead of the body, in matching form (``normalize``), with
generic Arabic/Persian/English function words dropped and Arabic clitics stripped by a light stemmer, so
``والروسية`` and ``الروسي`` meet. Entities keep their tagger ids, which are the same in every language;
numbers and day-month dates are written in ASCII digits for the same reason: they are the features that
let an English or Persian report join a story first tracked in Arabic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from agents.text import normalize

_WORD_RE = re.compile(r"[^\W\d_]+|\d+")

_ARABIC_STOPWORDS = """
في من على الى إلى عن مع هذا هذه ذلك تلك هذان هاتان هؤلاء التي الذي الذين اللذين اللتين اللواتي كان كانت
يكون تكون كانوا قد لقد ان أن إن انه أنه إنه انها أنها لا لم لن ما ماذا كل بعض غير بين حتى اذا إذا او أو ثم
بعد قبل عند حيث منذ خلال وفق وفقا اكثر أكثر اقل أقل ايضا أيضا كما لكن بل هو هي هم هن نحن انا أنا انت أنت
عليه عليها عليهم فيه فيها فيهم منه منها منهم له لها لهم به بها بهم اليوم امس أمس غدا قال وقال قالت وقالت
اضاف أضاف وأضاف واضاف اكد أكد وأكد واكد اشار أشار وأشار واشار اوضح أوضح وأوضح ذكر وذكر ذكرت وذكرت يوم عام
العام الماضي الحالي السبت الاحد الأحد الاثنين الإثنين الثلاثاء الاربعاء الأربعاء الخميس الجمعة وهو وهي
وفي ومن وعلى والى وإلى وعن ومع وقد ولا ولم وما وكان وكانت وأن وان وإن كذلك عبر لدى الى حول ضد دون نحو
سوف سيتم تم يتم وتم هناك هنا اي أي التى الذى الا إلا فقط جدا اول أول ثاني خلال عدة عدد مثل امام أمام
وراء اطار إطار بشان بشأن شأن ضمن لدى لذلك وذلك ولكن كي لكي حين بينما بان بأن لان لأن وقت مساء صباح
حسب نقلا وكالة الأنباء الانباء للأنباء مصادر مصدر بيان تصريحات تصريح صحفي الصحفي وسائل الإعلام الاعلام
"""

_PERSIAN_STOPWORDS = """
و در به از که این آن با برای را است بود شد می هم تا یا اما اگر نیز خود ما شما آنها او ایشان هر چه کرد
کرده کند کنند شده شود باید بر پس پیش روز سال امروز دیروز گفت گفته داد دارد داشت بین های ها ای یک
"""

_ENGLISH_STOPWORDS = """
the a an and or but of to in on at by for with from as is are was were be been being has have had do does
did this that these those it its he she they them his her their we our you your i not no yes than then
there here which who whom whose what when where why how all any both each few more most other some such
only own same so too very can will just should now said says say also after before over under again
about against between into through during above below up down out off further once new one two three
year years day days week month today yesterday monday tuesday wednesday thursday friday saturday sunday
reuters afp ap news agency reported report reports according told statement
"""

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "يناير كانون_الثاني january jan ژانویه",
        "فبراير شباط february feb فوریه",
        "مارس اذار آذار march mar",
        "ابريل أبريل نيسان april apr آوریل",
        "مايو ايار أيار may مه",
        "يونيو حزيران june jun ژوئن",
        "يوليو تموز july jul ژوئیه",
        "اغسطس أغسطس آب august aug اوت",
        "سبتمبر ايلول أيلول september sep sept سپتامبر",
        "اكتوبر أكتوبر تشرين_الأول october oct اکتبر",
        "نوفمبر تشرين_الثاني november nov نوامبر",
        "ديسمبر كانون_الأول december dec دسامبر",
    ),
    start=1,
):
    for _name in _names.split():
        if "_" not in _name:
            _MONTHS[normalize(_name)] = _number

_STOPWORDS = frozenset(
    normalize(word) for word in (_ARABIC_STOPWORDS + _PERSIAN_STOPWORDS + _ENGLISH_STOPWORDS).split()
) | frozenset(_MONTHS)

_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يا", "ه", "ي")
_TITLE_BOOST = 3.0


def light_stem(word: str) -> str:
    """Strip Arabic clitics and common suffixes from a normalised word (light10-style, conservative).

    Only words of Arabic letters are touched, and only while at least three letters remain, so names
    such as ``كورسك`` survive and ``الكورية``/``كوريا``/``الكوري`` all meet at ``كور``.
    """
    if not ("\u0621" <= word[0] <= "\u064a"):
        if word.isascii() and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
        return word
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    return word


def entity_type_weight(entity_type: str) -> float:
    """Weight of an entity by type: names of people and events carry more than countries.

    Country (and nationality-adjective) entities are named by nearly every report in a region, so they
    separate stories poorly; a person or an organisation is more specific.
    """
    kind = entity_type.lower()
    if "country" in kind or "gpe" in kind or "norp" in kind or "nation" in kind:
        return 0.4
    if kind.startswith("per") or "person" in kind or "event" in kind:
        return 1.0
    if "org" in kind:
        return 0.9
    return 0.75


@dataclass(slots=True)
class ArticleFeatures:
    """Comparable features of one article; weights are relative (the scorer normalises them)."""

    terms: dict[str, float]
    entities: dict[str, float]
    numbers: dict[str, float]
    title: list[str] | None = None
    entity_types: dict[str, float] | None = None
    title_idf: dict[str, float] | None = None

    def title_weights(self) -> dict[str, float]:
        """Title terms with their idf (1 each when none was attached)."""
        idf = self.title_idf or {}
        return {term: idf.get(term, 1.0) for term in self.title or ()}


def _count_terms(
    words: list[str], weight: float, into: dict[str, float], stems: dict[str, str] | None = None
) -> None:
    """Add ``weight`` per occurrence of each key term; ``stems`` caches word -> stem ("" = not a term)."""
    if stems is None:
        stems = {}
    for word in words:
        stem = stems.get(word)
        if stem is None:
            stem = ""
            if not (word.isdigit() or len(word) < 3 or word in _STOPWORDS):
                stem = light_stem(word)
                if stem in _STOPWORDS:
                    stem = ""
            stems[word] = stem
        if stem:
            into[stem] = into.get(stem, 0.0) + weight


def _numbers(words: list[str]) -> dict[str, float]:
    found: dict[str, float] = {}
    for index, word in enumerate(words):
        if not word.isdigit():
            month = _MONTHS.get(word)
            if month is None:
                continue
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(words) and words[neighbour].isdigit():
                    day = int(words[neighbour])
                    if 1 <= day <= 31:
                        found[f"d:{month}-{day}"] = 2.0
                        break
            continue
        value = word.lstrip("0")
        if len(value) >= 2:
            found.setdefault(f"n:{value}", 1.0)
    return found


def extract_features(
    title: str,
    text: str,
    entities: list[tuple[str, str, int]],
    lead_chars: int,
    max_terms: int,
    stems: dict[str, str] | None = None,
    type_weights: dict[str, float] | None = None,
) -> ArticleFeatures:
    """Return the features of an article from its title, the lead of its text and its entities.

    ``entities`` are ``(id, type, mentions)``; an entity's weight is its type weight times
    ``1 + ln(mentions)``. Terms are capped at ``max_terms`` (highest weight first, ties by first use).
    ``stems`` (word -> stem) and ``type_weights`` (entity type -> weight) are optional caches the caller
    keeps between articles (an optimisation only).
    """
    title_words = _WORD_RE.findall(normalize(title))
    body_words = _WORD_RE.findall(normalize(text[:lead_chars]))
    counts: dict[str, float] = {}
    _count_terms(title_words, _TITLE_BOOST, counts, stems)
    in_title = list(counts)
    _count_terms(body_words, 1.0, counts, stems)
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:max_terms]
    terms = {term: 1.0 + math.log(weight) for term, weight in ranked}
    if type_weights is None:
        type_weights = {}
    weighted: dict[str, float] = {}
    kinds: dict[str, float] = {}
    for entity_id, entity_type, mentions in entities:
        kind = type_weights.get(entity_type)
        if kind is None:
            kind = type_weights[entity_type] = entity_type_weight(entity_type)
        kinds[entity_id] = kind
        weight = kind * (1.0 + math.log(max(1, mentions)))
        weighted[entity_id] = max(weighted.get(entity_id, 0.0), weight)
    numbers = _numbers(title_words + body_words)
    return ArticleFeatures(terms, weighted, numbers, in_title, kinds)


def title_terms(title: str) -> list[str]:
    """Distinct key terms of a title, in order (for choosing the most representative headline)."""
    counts: dict[str, float] = {}
    _count_terms(_WORD_RE.findall(normalize(title)), 1.0, counts)
    return list(counts)
