"""Gazetteer loading: validation, merging, user files, lookups, variant bounds and live reloading."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
import yaml

from agents.entities import gazetteer_cache
from agents.entities.core import Gazetteer, ReloadingTagger, Tagger
from agents.entities.gazetteer import DATA_DIR
from agents.entities.variants import MAX_VARIANTS, adjective_keys, name_keys, spelling_variants
from agents.errors import ConfigError

from .conftest import CORE_FILE, by_id

ID_PATTERN = re.compile(r"^(Q[1-9][0-9]*|ns:[a-z_]+/[a-z0-9_\-]+)$")


def _write(path: Path, entities: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"entities": entities}, allow_unicode=True), encoding="utf-8")
    return path


def test_core_ids_are_unique_and_well_formed() -> None:
    entries = yaml.safe_load(CORE_FILE.read_text(encoding="utf-8"))["entities"]
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(entity_id) for entity_id in ids), [i for i in ids if not ID_PATTERN.match(i)]


def test_loaded_ids_are_unique_and_well_formed(full_tagger: Tagger) -> None:
    gazetteer = full_tagger.gazetteer
    ids = [record.id for record in gazetteer.records]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(entity_id) for entity_id in ids)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "Q0", "name": "X", "type": "PERSON", "aliases": {"en": ["X"]}}, "'id'"),
        ({"id": "russia", "name": "X", "type": "PERSON"}, "'id'"),
        ({"id": "ns:person/x", "type": "PERSON"}, "'name'"),
        ({"id": "ns:person/x", "name": "X", "type": "HUMAN"}, "'type'"),
        ({"id": "ns:person/x", "name": "X", "type": "PERSON", "aliases": ["X"]}, "'aliases'"),
        ({"id": "ns:person/x", "name": "X", "type": "PERSON", "aliases": {"english": ["X"]}}, "language"),
        ({"id": "ns:person/x", "name": "X", "type": "PERSON", "aliases": {"en": "X"}}, "aliases.en"),
    ],
)
def test_invalid_entries_name_the_file_and_field(tmp_path: Path, entry: dict, message: str) -> None:
    path = _write(tmp_path / "bad.yaml", [entry])
    with pytest.raises(ConfigError, match=message) as error:
        Gazetteer.from_files([path])
    assert "bad.yaml" in str(error.value)


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("entities: [ {id: Q1", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.yaml"):
        Gazetteer.from_files([path])


def test_user_file_extends_an_entity_and_adds_new_ones(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.yaml",
        [
            {"id": "Q7747", "name": "ignored", "type": "PERSON", "aliases": {"ar": ["القيصر"]}},
            {"id": "ns:org/acme", "name": "Acme Corp", "type": "ORGANIZATION", "aliases": {"ar": ["أكمي"]}},
        ],
    )
    gazetteer = Gazetteer.from_files([CORE_FILE, user])
    assert gazetteer.entity("Q7747").name == "Vladimir Putin"  # the first file's name wins
    entities = by_id(Tagger(gazetteer).tag("قال القيصر إن شركة أكمي رابحة"))
    assert set(entities) == {"Q7747", "ns:org/acme"}


def test_a_later_file_may_not_change_the_type(tmp_path: Path) -> None:
    user = _write(tmp_path / "mine.yaml", [{"id": "Q7747", "name": "Putin", "type": "LOCATION"}])
    with pytest.raises(ConfigError, match="not change the type"):
        Gazetteer.from_files([CORE_FILE, user])


def test_same_entity_listed_twice_under_two_ids_is_merged(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "cities.yaml",
        [
            {
                "id": "ns:geonames/524901",
                "name": "Moscow",
                "type": "LOCATION",
                "aliases": {"ar": ["موسكو", "موسكفا"]},
            }
        ],
    )
    gazetteer = Gazetteer.from_files([CORE_FILE, user])
    # without the merge, موسكو would be shared by two ids and dropped as ambiguous
    assert set(by_id(Tagger(gazetteer).tag("في موسكو وموسكفا"))) == {"Q649"}
    assert gazetteer.resolve("ns:geonames/524901") == "Q649"
    assert gazetteer.entity("ns:geonames/524901") is None


def test_resolve_by_id_name_alias_any_script(core_gazetteer: Gazetteer) -> None:
    assert core_gazetteer.resolve("Q423") == "Q423"
    assert core_gazetteer.resolve("North Korea") == "Q423"
    assert core_gazetteer.resolve("كوريا الشمالية") == "Q423"
    assert core_gazetteer.resolve("کره شمالی") == "Q423"
    assert core_gazetteer.resolve("الكرملين") == "ns:org/kremlin"
    assert core_gazetteer.resolve("Atlantis") is None
    assert core_gazetteer.resolve("كيف") == "Q1899"  # one entity lists it; alert rules may use it


def test_entity_record_fields(core_gazetteer: Gazetteer) -> None:
    record = core_gazetteer.entity("ns:org/kcna")
    assert record is not None and record.type == "ORGANIZATION" and record.subtype == "news_agency"
    assert core_gazetteer.entity("Q999999999") is None


def test_variants_are_bounded_and_start_with_the_alias() -> None:
    tokens = ("غيغوريغ", "جيجيغاجي", "غانغ")
    variants = spelling_variants(tokens)
    assert variants[0] == tokens
    assert len(variants) <= MAX_VARIANTS
    assert spelling_variants(("غزه",)) == [("غزه",)]  # three letters: no variants (جزه is a word)


def test_name_keys_cover_g_and_vowel_spellings() -> None:
    keys = {key for key, _ in name_keys("سيرغي شويغو", "PERSON")}
    assert {"سيرغي شويغو", "سيرجي شويجو"} <= keys
    assert "ترمب" in {key for key, _ in name_keys("ترامب", "PERSON")}


def test_adjective_keys_inflect_and_keep_definiteness_in_agreement() -> None:
    keys = dict(adjective_keys("الكوري الشمالي"))
    assert {"كوري شمالي", "كوريه شماليه", "كوريين شماليين", "كوري الشمالي", "كوريين الشماليين"} <= set(keys)
    assert "كوري شماليين" not in keys and "كوريين الشمالي" not in keys


def test_gazetteer_size_and_keys_reported() -> None:
    gazetteer = Gazetteer.from_files([CORE_FILE])
    stats = gazetteer.stats()
    assert stats["entities"] == len(gazetteer) > 100
    assert stats["matching_keys"] > stats["aliases"]


def test_reloading_tagger_picks_up_user_file_changes(tmp_path: Path) -> None:
    user = _write(tmp_path / "mine.yaml", [])
    reloading = ReloadingTagger([user], check_interval=0.0, include_builtin=False)
    assert reloading.tagger.tag("أكمي") == []
    assert reloading.reload_if_changed() is False
    _write(user, [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"ar": ["أكمي"]}}])
    future = time.time() + 5
    os.utime(user, (future, future))
    assert reloading.reload_if_changed() is True
    assert [e.id for e in reloading.tagger.tag("أكمي")] == ["ns:org/acme"]


def test_reloading_keeps_the_previous_tagger_when_the_file_breaks(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.yaml",
        [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"en": ["Acme"]}}],
    )
    reloading = ReloadingTagger([user], check_interval=0.0, include_builtin=False)
    user.write_text("entities: [ {id: ", encoding="utf-8")
    future = time.time() + 5
    os.utime(user, (future, future))
    assert reloading.reload_if_changed() is False
    assert [e.id for e in reloading.tagger.tag("Acme")] == ["ns:org/acme"]


def test_reloading_checks_at_most_once_per_interval(tmp_path: Path) -> None:
    user = _write(tmp_path / "mine.yaml", [])
    reloading = ReloadingTagger([user], check_interval=3600.0, include_builtin=False)
    _write(user, [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"en": ["Acme"]}}])
    future = time.time() + 5
    os.utime(user, (future, future))
    assert reloading.reload_if_changed() is False  # throttled
    assert reloading.reload_if_changed(force_check=True) is True
    with pytest.raises(ConfigError, match="check_interval"):
        ReloadingTagger([user], check_interval=-1.0)


def test_builtin_data_dir_is_inside_the_package() -> None:
    assert (DATA_DIR / "core.yaml").is_file()


def test_cache_is_used_when_files_are_unchanged_and_bounded(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.yaml",
        [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"en": ["Acme"]}}],
    )
    cache = tmp_path / "cache"
    first = Gazetteer.from_files([CORE_FILE, user], cache_dir=cache)
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 1
    second = Gazetteer.from_files([CORE_FILE, user], cache_dir=cache)
    assert second.build_seconds == first.build_seconds  # unpickled, not rebuilt
    assert [e.id for e in Tagger(second).tag("Acme and Putin")] == ["ns:org/acme", "Q7747"]
    _write(
        user,
        [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"en": ["Acme", "ACM"]}}],
    )
    future = time.time() + 5
    os.utime(user, (future, future))
    third = Gazetteer.from_files([CORE_FILE, user], cache_dir=cache)
    assert [e.id for e in Tagger(third).tag("ACM")] == ["ns:org/acme"]
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 1  # the stale file was replaced


def test_one_cache_directory_keeps_the_most_recently_used_sets(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    users = []
    for index in range(gazetteer_cache.KEEP + 1):
        users.append(
            _write(
                tmp_path / f"user{index}.yaml",
                [
                    {
                        "id": f"ns:org/o{index}",
                        "name": f"Org{index}",
                        "type": "ORGANIZATION",
                        "aliases": {"en": [f"Org{index}"]},
                    }
                ],
            )
        )
    base = time.time() - 100

    def build(index: int) -> Gazetteer:
        before = set(cache.glob("gazetteer-*.pickle"))
        built = Gazetteer.from_files([CORE_FILE, users[index]], cache_dir=cache)
        for written in set(cache.glob("gazetteer-*.pickle")) - before:
            os.utime(written, (base + index, base + index))  # written in this order, a second apart
        return built

    first = build(0)
    for index in range(1, len(users)):
        if index == gazetteer_cache.KEEP:  # reading the first set's cache counts as its use
            again = Gazetteer.from_files([CORE_FILE, users[0]], cache_dir=cache)
            assert again.build_seconds == first.build_seconds
        build(index)
    kept = {path.name.split("-")[1] for path in cache.glob("gazetteer-*.pickle")}
    expected = [gazetteer_cache._set_digest([CORE_FILE, user]) for user in users]
    # the set used least recently (the second) was dropped; the first, read again, was kept
    assert kept == {expected[0], *expected[2:]} and len(kept) == gazetteer_cache.KEEP


def test_unreadable_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Gazetteer.from_files([CORE_FILE], cache_dir=cache)
    (target,) = cache.glob("gazetteer-*.pickle")
    target.write_bytes(b"not a pickle")
    gazetteer = Gazetteer.from_files([CORE_FILE], cache_dir=cache)
    assert gazetteer.resolve("Russia") == "Q159"


def test_frequent_words_are_not_names_of_minor_entities(tmp_path: Path) -> None:
    cities = _write(
        tmp_path / "places.yaml",
        [
            {
                "id": "ns:geonames/1",
                "name": "Skien",
                "type": "LOCATION",
                "subtype": "city",
                "aliases": {"ar": ["سكان"]},
            },
            {
                "id": "ns:geonames/2",
                "name": "Zuwarah",
                "type": "LOCATION",
                "subtype": "city",
                "aliases": {"ar": ["زارة"]},
            },
            {
                "id": "ns:geonames/3",
                "name": "Lae",
                "type": "LOCATION",
                "subtype": "city",
                "aliases": {"ar": ["لاية"]},
            },
        ],
    )
    tagger = Tagger(Gazetteer.from_files([CORE_FILE, cities]))
    # سكان "population" is a frequent word; وزارة "ministry" and ولاية "state" are not و + a city
    assert tagger.tag("ارتفع عدد سكان المدينة وأعلنت وزارة الداخلية في ولاية كاليفورنيا") == []
    assert [e.name for e in tagger.tag("وصل القارب إلى زارة")] == ["Zuwarah"]
    # a frequent word that is a country's listed name stays a name (مصر is in the frequent-word list)
    assert [e.id for e in tagger.tag("قالت مصر إن")] == ["Q79"]


def test_user_file_that_appears_later_is_loaded(tmp_path: Path) -> None:
    user = tmp_path / "later.yaml"
    reloading = ReloadingTagger([user], check_interval=0.0, include_builtin=False)
    assert reloading.tagger.tag("Acme") == []
    _write(user, [{"id": "ns:org/acme", "name": "Acme", "type": "ORGANIZATION", "aliases": {"en": ["Acme"]}}])
    assert reloading.reload_if_changed() is True
    assert [e.id for e in reloading.tagger.tag("Acme")] == ["ns:org/acme"]


def test_namesakes_in_one_file_stay_apart(tmp_path: Path) -> None:
    cities = _write(
        tmp_path / "places.yaml",
        [
            {
                "id": "ns:geonames/1",
                "name": "Cambridge",
                "type": "LOCATION",
                "aliases": {"en": ["Cambridge"]},
            },
            {
                "id": "ns:geonames/2",
                "name": "Cambridge",
                "type": "LOCATION",
                "aliases": {"en": ["Cambridge"]},
            },
        ],
    )
    gazetteer = Gazetteer.from_files([cities])
    assert {record.id for record in gazetteer.records} == {"ns:geonames/1", "ns:geonames/2"}
    assert Tagger(gazetteer).tag("He studied in Cambridge.") == []  # two places: needs context


def test_vowel_deletions_only_for_people() -> None:
    assert "ترمب" in {key for key, _ in name_keys("ترامب", "PERSON")}
    assert "نالت" not in {key for key, _ in name_keys("نالوت", "LOCATION")}  # "she obtained"


def test_generated_spellings_of_a_town_need_its_listed_name(tmp_path: Path) -> None:
    """ج/غ/ق swaps of a town's name make words (الفجيرة → الفقيرة "the poor"): a generated one-word spelling
    of a minor place is linked only when the article also names the place as listed."""
    first = _write(tmp_path / "a.yaml", [{"id": "ns:location/first", "name": "First", "type": "LOCATION"}])
    towns = _write(
        tmp_path / "b.yaml",
        [
            {
                "id": "ns:geonames/292878",
                "name": "Fujairah",
                "type": "LOCATION",
                "subtype": "city",
                "aliases": {"ar": ["الفجيرة"]},
            }
        ],
    )
    tagger = Tagger(Gazetteer.from_files([first, towns]))
    assert tagger.tag("ساعدت الجمعية الأسر الفقيرة في المدينة") == []
    tagged = tagger.tag("وصل الوفد إلى الفجيرة. وفي الفقيرة سكان كثيرون")
    assert [(e.id, [m.text for m in e.mentions]) for e in tagged] == [
        ("ns:geonames/292878", ["فجيرة", "فقيرة"])
    ]
