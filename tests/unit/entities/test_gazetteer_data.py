"""Checks on the shipped gazetteer data (``agents/entities/data/*.yaml``), read as plain YAML.

These tests do not use the matcher: they hold the data to its contract (ids, types, aliases, ambiguity) so a
bad regeneration or a hand edit fails here, whatever the loader does with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from agents.text.normalize import normalize

DATA_DIR = Path(__file__).resolve().parents[3] / "agents" / "entities" / "data"
ID_PATTERN = re.compile(r"^(Q[1-9][0-9]*|ns:[a-z_]+/[a-z0-9_\-]+)$")
TYPES = {"PERSON", "LOCATION", "ORGANIZATION", "EVENT", "OTHER"}
LANGS = {"ar", "fa", "en"}
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
GENERATED_FILES = ("countries.yaml", "places.yaml", "people.yaml", "organizations.yaml")


@cache
def _load(name: str) -> tuple[dict[str, Any], ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return tuple((yaml.load(handle, Loader=loader) or {}).get("entities") or [])


def _files() -> list[str]:
    return sorted(p.name for p in DATA_DIR.glob("*.yaml"))


def _ours() -> list[dict[str, Any]]:
    """Entities in the generated files (core.yaml belongs to the matcher and is checked against them)."""
    return [e for name in GENERATED_FILES for e in _load(name)]


def _everything() -> list[dict[str, Any]]:
    return [e for name in _files() for e in _load(name)]


def _names(entity: dict[str, Any], kinds: tuple[str, ...] = ("aliases", "adjectives")) -> list[str]:
    return [n for kind in kinds for names in (entity.get(kind) or {}).values() for n in names]


def _by_id() -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in _ours()}


def test_generated_files_exist() -> None:
    for name in GENERATED_FILES:
        assert (DATA_DIR / name).is_file(), f"run python -m tools.build_gazetteer to create {name}"


def test_ids_well_formed_and_unique_across_generated_files() -> None:
    seen: dict[str, str] = {}
    for name in GENERATED_FILES:
        for entity in _load(name):
            assert ID_PATTERN.match(entity["id"]), entity["id"]
            assert entity["id"] not in seen, f"{entity['id']} in {seen.get(entity['id'])} and {name}"
            seen[entity["id"]] = name


def test_ids_shared_with_core_yaml_keep_type_and_name() -> None:
    """core.yaml may repeat an entity (the loader merges aliases by id) but never retype or rename it."""
    if not (DATA_DIR / "core.yaml").is_file():
        pytest.skip("core.yaml not written yet")
    ours = _by_id()
    by_name = {(e["type"], e["name"].casefold()): e["id"] for e in ours.values()}
    for entity in _load("core.yaml"):
        assert ID_PATTERN.match(entity["id"]), entity["id"]
        if entity["id"] in ours:
            assert ours[entity["id"]]["type"] == entity["type"], entity["id"]
        twin = by_name.get((entity["type"], entity["name"].casefold()))
        assert twin in (None, entity["id"]), f"{entity['name']}: core.yaml id {entity['id']}, ours {twin}"


def test_every_entity_has_name_type_and_alias_in_known_languages() -> None:
    for entity in _everything():
        assert isinstance(entity.get("name"), str) and entity["name"].strip(), entity
        assert entity.get("type") in TYPES, entity
        aliases = entity.get("aliases") or {}
        assert any(aliases.values()), f"{entity['id']} has no alias"
        for kind in ("aliases", "short", "adjectives"):
            for lang, names in (entity.get(kind) or {}).items():
                assert lang in LANGS, (entity["id"], kind, lang)
                assert all(isinstance(n, str) and n == n.strip() and n for n in names), (entity["id"], names)


def test_aliases_are_written_in_their_language_script() -> None:
    for entity in _ours():
        for kind in ("aliases", "short", "adjectives"):
            for lang, names in (entity.get(kind) or {}).items():
                for name in names:
                    if lang == "en":
                        assert not ARABIC_LETTER.search(name), (entity["id"], name)
                    else:
                        assert ARABIC_LETTER.search(name) and not LATIN_LETTER.search(name), (
                            entity["id"],
                            name,
                        )


def test_ambiguous_entries_are_aliases_of_the_entity() -> None:
    for entity in _ours():
        listed = {normalize(n) for n in _names(entity)}
        for name in entity.get("ambiguous") or []:
            assert normalize(name) in listed, (entity["id"], name)


def test_shared_alias_is_ambiguous_for_every_entity_of_the_type() -> None:
    """One alias naming two entities of the same type must be marked ambiguous in both (or all)."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    ambiguous: dict[str, set[str]] = {}
    for entity in _ours():
        ambiguous[entity["id"]] = {normalize(n) for n in entity.get("ambiguous") or []}
        for name in _names(entity):
            owners[(entity["type"], normalize(name))].add(entity["id"])
    clashes = [
        (form, sorted(ids))
        for (_, form), ids in owners.items()
        if len(ids) > 1 and not all(form in ambiguous[i] for i in ids)
    ]
    assert not clashes, clashes[:20]


def test_totals_reach_the_issue_targets() -> None:
    entities = _everything()
    aliases = sum(len(_names(e, ("aliases", "short", "adjectives"))) for e in entities)
    assert len(entities) >= 5000, len(entities)
    assert aliases >= 30000, aliases


def test_every_country_has_arabic_persian_and_english_names() -> None:
    countries = [e for e in _load("countries.yaml") if e.get("subtype") == "country"]
    assert len(countries) >= 190
    for entity in countries:
        assert set(entity["aliases"]) == LANGS, (entity["name"], sorted(entity["aliases"]))


def test_every_place_can_be_found_in_arabic_or_persian_text() -> None:
    for entity in _load("places.yaml"):
        assert entity["aliases"].get("ar") or entity["aliases"].get("fa"), entity["id"]


@pytest.mark.parametrize(
    ("qid", "name"),
    [
        ("Q159", "Russia"),
        ("Q423", "North Korea"),
        ("Q212", "Ukraine"),
        ("Q30", "United States"),
        ("Q794", "Iran"),
        ("Q79", "Egypt"),
        ("Q1028", "Morocco"),
        ("Q7747", "Vladimir Putin"),
        ("Q56226", "Kim Jong Un"),
        ("Q649", "Moscow"),
        ("Q18808", "Pyongyang"),
        ("Q1065", "United Nations"),
        ("Q7184", "NATO"),
    ],
)
def test_well_known_qids(qid: str, name: str) -> None:
    entity = _by_id().get(qid)
    assert entity is not None, f"{qid} ({name}) missing"
    assert entity["name"] == name


def test_pycountry_seeds_every_iso_country() -> None:
    pycountry = pytest.importorskip("pycountry")
    english = {normalize(n) for e in _load("countries.yaml") for n in (e["aliases"].get("en") or [])}
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    missing = [code for code, name in names.items() if normalize(name) not in english]
    assert not missing, missing


@pytest.mark.parametrize(
    ("entity_id", "lang", "alias"),
    [
        ("Q423", "ar", "كوريا الشمالية"),
        ("Q159", "fa", "روسیه"),
        ("Q7747", "ar", "بوتين"),
        ("Q56226", "ar", "كيم جونغ أون"),
        ("Q18808", "ar", "بيونغ يانغ"),
    ],
)
def test_seed_spellings_are_present(entity_id: str, lang: str, alias: str) -> None:
    entity = _by_id()[entity_id]
    forms = {normalize(n) for n in (entity["aliases"].get(lang) or [])}
    assert normalize(alias) in forms, (entity_id, alias)


def test_country_adjectives_cover_gender_number_and_article() -> None:
    north_korea = _by_id()["Q423"]
    forms = {normalize(n) for n in north_korea["adjectives"]["ar"]}
    for expected in ("الكوري الشمالي", "الكورية الشمالية", "الكوريين الشماليين", "كورية شمالية"):
        assert normalize(expected) in forms, expected


def test_surname_of_an_ambiguous_family_is_short_form_only() -> None:
    """كيم alone names many people: it must only be a short form (linked after the full name)."""
    kim = _by_id()["Q56226"]
    assert normalize("كيم") not in {normalize(n) for n in _names(kim)}
    assert normalize("كيم") in {normalize(n) for n in (kim.get("short") or {}).get("ar", [])}


def test_masthead_nav_words_are_not_aliases_of_unrelated_entities() -> None:
    """Common Arabic words must not be unambiguous aliases (a navigation line would tag them)."""
    common = {normalize(w) for w in ("في", "من", "على", "الامل", "السلام", "مالي", "عمان", "اليوم")}
    for entity in _ours():
        unambiguous = {normalize(n) for n in _names(entity)} - {
            normalize(n) for n in entity.get("ambiguous") or []
        }
        assert not unambiguous & common, (entity["id"], unambiguous & common)


def test_total_size_reasonable() -> None:
    size = sum(p.stat().st_size for p in DATA_DIR.glob("*.yaml"))
    assert size < 8 * 1024 * 1024, size


# --- the generator's rules (tools/build_gazetteer.py), on entities written for the test


@cache
def _generator() -> Any:
    import importlib

    return importlib.import_module("tools.build_gazetteer")


def _entity(entity_id: str, priority: int, population: int = 0, **aliases: list[str]) -> Any:
    gen = _generator()
    entity = gen.Entity(entity_id, entity_id, "LOCATION", "city", priority, population)
    for lang, names in aliases.items():
        entity.add("aliases", lang, names)
    return entity


def test_arabic_nisba_inflects_every_word_of_a_compound() -> None:
    forms = set(_generator().arabic_adjectives("كوري شمالي"))
    assert {
        "كوري شمالي",
        "كورية شمالية",
        "الكوري الشمالي",
        "الكوريين الشماليين",
        "الكوريون الشماليون",
    } <= forms
    assert "الكوري شمالي" not in forms  # the article goes on every word or none


def test_arabic_nisba_after_a_noun_inflects_only_the_nisba() -> None:
    forms = set(_generator().arabic_adjectives("جنوب أفريقي"))
    assert {"جنوب أفريقي", "جنوب أفريقية", "الجنوب أفريقي"} <= forms
    assert not any(form.startswith("جنوبي") for form in forms)


def test_english_demonym_plural_only_where_english_forms_one() -> None:
    gen = _generator()
    assert gen.english_plural("Iraqi") == ["Iraqi", "Iraqis"]
    assert gen.english_plural("Chinese") == ["Chinese"]
    assert gen.english_plural("British") == ["British"]


def test_geonames_names_sorted_into_arabic_persian_or_dropped() -> None:
    gen = _generator()
    assert gen.classify_script_name("موسكو") == "ar"
    assert gen.classify_script_name("مسکو") == "fa"
    assert gen.classify_script_name("ماسکوں") is None  # Urdu letter
    assert gen.classify_script_name("Moscow") is None


def test_capital_keeps_a_name_a_smaller_city_shares() -> None:
    gen = _generator()
    capital = _entity("capital", 1, 1_000_000, ar=["طرابلس"])
    town = _entity("town", 2, 2_000_000, ar=["طرابلس", "طرابلس الشام"])
    gen.assign_collisions([capital, town])
    assert capital.aliases["ar"] == ["طرابلس"] and not capital.ambiguous
    assert town.aliases["ar"] == ["طرابلس الشام"]


def test_namesake_cities_of_similar_size_share_the_name_as_ambiguous() -> None:
    gen = _generator()
    first, second = _entity("a", 2, 300_000, en=["Hyderabad"]), _entity("b", 2, 200_000, en=["Hyderabad"])
    gen.assign_collisions([first, second])
    assert normalize("Hyderabad") in first.ambiguous and normalize("Hyderabad") in second.ambiguous


def test_a_city_ten_times_bigger_keeps_the_name() -> None:
    gen = _generator()
    big, small = (
        _entity("big", 2, 5_000_000, en=["Alexandria"]),
        _entity("small", 2, 150_000, en=["Alexandria"]),
    )
    gen.assign_collisions([big, small])
    assert big.aliases["en"] == ["Alexandria"] and not big.ambiguous
    assert small.aliases.get("en") == []


def test_same_id_never_competes_with_itself() -> None:
    gen = _generator()
    core, ours = _entity("Q1", -1, ar=["موسكو"]), _entity("Q1", 1, ar=["موسكو"])
    gen.assign_collisions([core, ours])
    assert ours.aliases["ar"] == ["موسكو"] and not ours.ambiguous


def test_head_word_and_country_suffix_forms_are_pruned() -> None:
    gen = _generator()
    lebanon = _entity("lb", 0, ar=["لبنان"])
    lebanon.add("adjectives", "ar", ["اللبناني"])
    agency = _entity("agency", 0, ar=["رويترز", "وكالة رويترز"])
    party = _entity("party", 0, ar=["حزب الله", "حزب الله اللبناني"])
    gen.prune_redundant_aliases([agency, party], [lebanon])
    assert agency.aliases["ar"] == ["رويترز"]
    assert party.aliases["ar"] == ["حزب الله"]


def _city(countrycode: str, population: int) -> dict[str, Any]:
    return {"countrycode": countrycode, "population": population}


@pytest.mark.parametrize(
    ("alias", "lang", "city", "capital", "word"),
    [
        ("كيل", "ar", _city("DE", 246_000), False, True),  # Kiel: three letters abroad = an Arabic root
        ("ستیف", "fa", _city("DZ", 288_000), False, True),  # Sétif in Persian reads ستيف "Steve"
        ("قنوات", "ar", _city("SY", 9_000), False, True),  # a village named "channels"
        ("الشروق", "ar", _city("EG", 80_000), False, True),  # a town named "the sunrise"
        ("بيت حانون", "ar", _city("PS", 9_000), False, False),  # a village's two-word name is specific
        ("تعز", "ar", _city("YE", 600_000), False, False),  # a big city of the region keeps its name
        ("شانگهای", "fa", _city("CN", 22_000_000), False, False),  # گ: never an Arabic word
        ("الخليل", "ar", _city("PS", 250_000), False, False),  # Hebron: a city, article or not
    ],
)
def test_city_aliases_that_read_as_words_need_context(
    alias: str, lang: str, city: dict[str, Any], capital: bool, word: bool
) -> None:
    gen = _generator()
    arabic_forms = {normalize(alias)} if lang == "ar" else set()
    common = defaultdict(set)
    verdict = gen.reads_as_word(alias, lang, city, capital, arabic_forms, common, set(), frozenset())
    assert verdict is word


def test_shipped_places_mark_word_like_names_ambiguous() -> None:
    """The rules above, on the regenerated data: no small place is tagged on an ordinary word alone."""
    by_name = {e["name"]: e for e in _load("places.yaml")}
    for name, alias in (("Kiel", "كيل"), ("Hefei", "خفي"), ("Sevilla", "سویا"), ("El Shorouk", "الشروق")):
        assert alias in by_name[name].get("ambiguous", []), name
