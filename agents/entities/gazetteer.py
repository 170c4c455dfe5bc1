"""The compiled gazetteer: entity records plus one Aho-Corasick automaton over every matching key.

Each key (a normalised alias spelling, short form, demonym inflection, title trigger, or the surname part
of a person's name) maps to
``(key_length, candidates, allowed_prefixes, groups, article_groups, trigger_prefixes, tails)``; all but
``candidates`` are set when no candidate is Latin, so the matcher decides those with set and dict lookups:
``allowed_prefixes`` are the clitics an entity match may follow,
``article_groups`` its entities when those clitics end in the article, ``groups`` its entities otherwise,
``trigger_prefixes`` the clitics a title trigger may follow (``None``: the key is no trigger), ``tails``
the surname-part candidates as ``(head_skeleton, groups)`` pairs (``None``: the key is no surname part).
Then ``candidates`` is empty; for Latin keys ``allowed_prefixes``, ``trigger_prefixes`` and ``tails`` are
``None``, the groups empty, and the matcher checks each candidate. Equal sets and groups are shared
between keys to keep the automaton small. A
candidate is a tuple ``(entity_index, form, article_rule, flags, extra)``:

- ``form``: ``FORM_NAME`` / ``FORM_ADJECTIVE`` / ``FORM_SHORT`` (linked only after a full mention);
- ``article_rule``: which attached clitics may precede the key (``arabic.ARTICLE_*``);
- ``flags``: ``AMBIGUOUS`` (needs context), ``LATIN`` (no clitics, plain word boundary), ``ACRONYM`` (the
  display text must equal ``extra`` exactly: "US" is not "us"), ``CAPITALISED`` (display must start upper
  case: "Turkey" not "turkey"), ``TAIL`` (surname part; ``extra`` is the first name's skeleton the
  preceding token must have), ``TRIGGER`` (a title introducing an unknown person; ``entity_index`` -1);
- keys that several entities share are ambiguous by construction.

Building is pure and deterministic, so two workers loading the same files tag identically.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ahocorasick

from agents.entities import lexicon
from agents.entities.arabic import (
    ARTICLE_FORBIDDEN,
    ARTICLE_OPTIONAL,
    ARTICLE_REQUIRED,
    PREFIXES_WITH_ARTICLE,
    PREFIXES_WITHOUT_ARTICLE,
    is_arabic_script,
    strip_article,
)
from agents.entities.common_words import COMMON_WORDS
from agents.entities.gazetteer_cache import read_cache, write_cache
from agents.entities.gazetteer_files import merge_entries, read_entity_file
from agents.entities.records import EntityRecord
from agents.entities.variants import adjective_keys, canonical_key, name_keys, tail_keys
from agents.text import normalize

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"

FORM_NAME, FORM_ADJECTIVE, FORM_SHORT = 0, 1, 2
FORM_NAMES = ("name", "adjective", "short")
AMBIGUOUS, LATIN, ACRONYM, CAPITALISED, TAIL, TRIGGER = 1, 2, 4, 8, 16, 32

Candidate = tuple[int, int, int, int, str | None]
ALLOWED_PREFIXES = {
    ARTICLE_FORBIDDEN: PREFIXES_WITHOUT_ARTICLE,
    ARTICLE_REQUIRED: PREFIXES_WITH_ARTICLE,
    ARTICLE_OPTIONAL: PREFIXES_WITHOUT_ARTICLE | PREFIXES_WITH_ARTICLE,
}
Group = tuple[int, int, bool]
_MIN_KEY_LENGTH = 3
_KEEP, _NEEDS_CONTEXT, _DROP = 0, 1, 2
_MAJOR_SUBTYPES = frozenset({"country", "capital", "continent", "former_country"})
_MINOR_PLACE_SUBTYPES = frozenset({"city", "town", "village"})
_FORM_ORDER = {FORM_NAME: 0, FORM_ADJECTIVE: 1, FORM_SHORT: 2}
# Normalised Arabic letters (and the space) from most to least frequent in news text, measured on the ANT
# corpus. pyahocorasick finds a trie node's child by a linear scan in insertion order; inserting the keys
# in this collation puts frequent letters first at every node, which makes the scan ~10% faster.
_FREQUENT_FIRST = " اليموهنتربعدفسقكحجشصطخضذزثغءظ"
_TRIE_RANKS = str.maketrans({char: chr(1 + rank) for rank, char in enumerate(_FREQUENT_FIRST)})


def group_candidates(candidates: Iterable[Candidate]) -> tuple[Group, ...]:
    """Per entity: ``(entity_index, best_form, ambiguous)``, name before adjective before short form.

    Arabic-script keys of fewer than ``_MIN_KEY_LENGTH`` letters are not indexed as names: two-letter keys
    occur inside most words. Two letters are allowed for Latin keys (UN, EU, checked for case) and for
    short forms, which link only to an entity named in full in the article (شي after شي جين بينغ).
    """
    best: dict[int, tuple[int, bool]] = {}
    for entity, form, _rule, flags, _extra in candidates:
        ambiguous = bool(flags & AMBIGUOUS)
        current = best.get(entity)
        if current is None or _FORM_ORDER[form] < _FORM_ORDER[current[0]]:
            best[entity] = (form, ambiguous)
        elif form == current[0] and not ambiguous:
            best[entity] = (form, False)
    return tuple((entity, form, ambiguous) for entity, (form, ambiguous) in sorted(best.items()))


def _trie_order(item: tuple[str, object]) -> str:
    """Sort key inserting frequent letters first (``_FREQUENT_FIRST``); the matches do not change."""
    return item[0].translate(_TRIE_RANKS)


def builtin_files() -> list[Path]:
    """Gazetteer files shipped with the package, in load order (sorted by name)."""
    return sorted(DATA_DIR.glob("*.yaml"))


class Gazetteer:
    """Loaded entities and their matching automaton (immutable once built; share it between taggers)."""

    def __init__(self, records: Sequence[EntityRecord], source_paths: Sequence[Path] = ()) -> None:
        started = time.perf_counter()
        self.records: tuple[EntityRecord, ...] = tuple(records)
        self.source_paths: tuple[Path, ...] = tuple(source_paths)
        self.merged_ids: dict[str, str] = {}
        self._common_words = _common_words()
        self._index_by_id = {record.id: index for index, record in enumerate(self.records)}
        #: A place's gazetteer index -> its country's (``country`` in the files; see ``capitals``).
        self.country_of: dict[int, int] = {
            index: self._index_by_id[record.country]
            for index, record in enumerate(self.records)
            if record.country is not None and record.country in self._index_by_id
        }
        self._resolve_index: dict[str, set[str]] = {}
        keys: dict[str, dict[Candidate, None]] = {}
        self.alias_count = 0
        for index, record in enumerate(self.records):
            self.alias_count += self._add_record(keys, index, record)
        self._add_triggers(keys)
        self.automaton = ahocorasick.Automaton()
        shared_sets: dict[frozenset[str], frozenset[str]] = {}
        shared_groups: dict[tuple[Group, ...], tuple[Group, ...]] = {}
        for key, candidate_set in sorted(keys.items(), key=_trie_order):
            candidates = self._prefer_earlier_file(list(candidate_set))
            entity_ids = {c[0] for c in candidates if not c[3] & (TRIGGER | TAIL) and c[1] == FORM_NAME}
            shared = AMBIGUOUS if len(entity_ids) > 1 else 0
            payload = tuple((c[0], c[1], c[2], c[3] | shared, c[4]) for c in candidates)
            allowed = trigger_prefixes = None
            groups: tuple[Group, ...] = ()
            article_groups: tuple[Group, ...] = ()
            tails: tuple[tuple[str, tuple[Group, ...]], ...] | None = None
            if not any(c[3] & LATIN for c in payload):
                vetoed = _word_prefixes(key)
                entities = [c for c in payload if not c[3] & (TRIGGER | TAIL)]
                allowed, groups, article_groups = _prefix_rules(entities, vetoed)
                triggers = [c for c in payload if c[3] & TRIGGER]
                trigger_prefixes = _prefix_rules(triggers, vetoed)[0] if triggers else None
                tails = _tail_groups([c for c in payload if c[3] & TAIL])
                allowed = shared_sets.setdefault(allowed, allowed)
                if trigger_prefixes is not None:
                    trigger_prefixes = shared_sets.setdefault(trigger_prefixes, trigger_prefixes)
                groups = shared_groups.setdefault(groups, groups)
                article_groups = shared_groups.setdefault(article_groups, article_groups)
                payload = ()
            self.automaton.add_word(
                key, (len(key), payload, allowed, groups, article_groups, trigger_prefixes, tails)
            )
        self.automaton.make_automaton()
        self.key_count = len(keys)
        self.build_seconds = time.perf_counter() - started
        logger.info(
            "gazetteer: %d entities, %d aliases, %d matching keys built in %.2fs",
            len(self.records),
            self.alias_count,
            self.key_count,
            self.build_seconds,
        )

    def _prefer_earlier_file(self, candidates: list[Candidate]) -> list[Candidate]:
        """A name key listed by entities of different files belongs to the earliest file's entity.

        The curated ``core.yaml`` loads before generated lists, so "غزة" stays the Gaza Strip although a
        city list also has a Gaza. Entities of the same file sharing a key stay ambiguous, and so does a
        key the earliest entity itself marks ambiguous (عمان: Oman and Amman).
        """
        names = [c for c in candidates if c[1] == FORM_NAME and not c[3] & (TRIGGER | TAIL) and c[0] >= 0]
        if len({c[0] for c in names}) < 2:
            return candidates
        best_rank = min(self.records[c[0]].rank for c in names)
        winners = {c[0] for c in names if self.records[c[0]].rank == best_rank}
        if len(winners) != 1 or any(c[3] & AMBIGUOUS for c in names if c[0] in winners):
            return candidates
        return [c for c in candidates if c[0] in winners or c[1] != FORM_NAME or c[3] & (TRIGGER | TAIL)]

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = (), cache_dir: Path | None = None) -> Gazetteer:
        """Built-in data files (sorted) then ``extra_paths`` (user files, in order; later ones extend).

        With ``cache_dir`` the compiled gazetteer is kept there as a pickle keyed by the files' paths,
        mtimes and sizes and by this package's source, so a restart or reload with unchanged files takes
        a fraction of a second instead of seconds. Use a directory only this user can write (pickle).
        """
        paths = [*builtin_files(), *(Path(p) for p in extra_paths)]
        return cls.from_files(paths, cache_dir)

    @classmethod
    def from_files(cls, paths: Iterable[Path], cache_dir: Path | None = None) -> Gazetteer:
        paths = list(paths)
        if cache_dir is not None:
            cached = read_cache(Path(cache_dir), paths)
            if isinstance(cached, Gazetteer):
                return cached
        sources = [(path, read_entity_file(path)) for path in paths]
        merged_ids: dict[str, str] = {}
        gazetteer = cls(merge_entries(sources, merged_ids), source_paths=paths)
        gazetteer.merged_ids = merged_ids
        if cache_dir is not None:
            write_cache(Path(cache_dir), paths, gazetteer)
        return gazetteer

    @classmethod
    def from_entries(cls, entries: list[dict[str, Any]]) -> Gazetteer:
        """Build from in-memory entries in the file format (tests, tools)."""
        from agents.entities.gazetteer_files import _validate_entry

        path = Path("<memory>")
        for position, entry in enumerate(entries):
            _validate_entry(path, position, entry)
        return cls(merge_entries([(path, entries)]))

    def __len__(self) -> int:
        return len(self.records)

    def entity(self, entity_id: str) -> EntityRecord | None:
        index = self._index_by_id.get(entity_id)
        return None if index is None else self.records[index]

    def resolve(self, name_or_alias_or_id: str) -> str | None:
        """Id for an id, a canonical name or an alias as listed (any script).

        ``None`` when unknown or when several entities share the alias (alert rules then need the id).
        """
        if name_or_alias_or_id in self._index_by_id:
            return name_or_alias_or_id
        if name_or_alias_or_id in self.merged_ids:
            return self.merged_ids[name_or_alias_or_id]
        key = canonical_key(name_or_alias_or_id)
        ids = self._resolve_index.get(key)
        if not ids and is_arabic_script(key):
            ids = self._resolve_index.get(strip_article(key)[0])
        if ids and len(ids) == 1:
            return next(iter(ids))
        return None

    def _remember(self, text: str, entity_id: str) -> None:
        key = canonical_key(text)
        if key:
            self._resolve_index.setdefault(key, set()).add(entity_id)

    def _add_record(self, keys: dict[str, dict[Candidate, None]], index: int, record: EntityRecord) -> int:
        def add(key: str, form: int, rule: int, flags: int, extra: str | None = None) -> None:
            if len(key) >= (_MIN_KEY_LENGTH if not flags & LATIN and form != FORM_SHORT else 2):
                keys.setdefault(key, {})[(index, form, rule, flags, extra)] = None

        self._remember(record.name, record.id)
        ambiguous = {canonical_key(a) for a in record.ambiguous}
        major = record.rank == 0 or record.subtype in _MAJOR_SUBTYPES
        # Generated one-word spellings of a town (ج/غ/ق swaps...) are linked only next to its listed name:
        # thousands of towns times a dozen variants make ordinary words (Yasuj → يسوق "drives", Fujairah →
        # فقيرة "poor", Jablah → قبلة "kiss").
        minor_place = record.type == "LOCATION" and record.subtype in _MINOR_PLACE_SUBTYPES and not major
        count = 0
        full_keys: set[str] = set()
        for language, names in record.aliases.items():
            for alias in names:
                count += 1
                self._remember(alias, record.id)
                flags = (AMBIGUOUS if canonical_key(alias) in ambiguous else 0) | _latin_flags(alias)
                exact = alias.strip() if flags & ACRONYM else None
                for position, (key, rule) in enumerate(name_keys(alias, record.type, language)):
                    kind = self._word_kind(key, rule, listed=position == 0, major=major)
                    if kind == _KEEP and position and minor_place and " " not in key:
                        kind = _NEEDS_CONTEXT
                    if kind != _DROP:
                        add(key, FORM_NAME, rule, flags | (AMBIGUOUS if kind == _NEEDS_CONTEXT else 0), exact)
                        full_keys.add(key)
                if record.type == "PERSON":
                    for key, head in tail_keys(alias):
                        add(key, FORM_NAME, ARTICLE_FORBIDDEN, TAIL | (flags & AMBIGUOUS), head)
        for names in record.short.values():
            for alias in names:
                count += 1
                for position, (key, rule) in enumerate(name_keys(alias, record.type)):
                    if self._word_kind(key, rule, listed=position == 0, major=major) != _DROP:
                        add(key, FORM_SHORT, rule, _latin_flags(alias))
        if record.type == "PERSON":
            for key in _surnames(record):
                if key not in full_keys:
                    for variant, rule in name_keys(key, record.type):
                        if self._word_kind(variant, rule, listed=False, major=False) == _KEEP:
                            add(variant, FORM_SHORT, rule, _latin_flags(key) & ~ACRONYM)
        for names in record.adjectives.values():
            for adjective in names:
                count += 1
                for key, rule in adjective_keys(adjective):
                    kind = self._word_kind(key, rule, listed=True, major=major)
                    if kind != _DROP:
                        flags = (_latin_flags(adjective) & ~ACRONYM) | (
                            AMBIGUOUS if kind == _NEEDS_CONTEXT else 0
                        )
                        add(key, FORM_ADJECTIVE, rule, flags)
        return count

    def _word_kind(self, key: str, rule: int, listed: bool, major: bool) -> int:
        """How far a one-word key is also an ordinary word: ``_KEEP``, ``_NEEDS_CONTEXT`` or ``_DROP``.

        Listed aliases of major entities (countries, capitals, continents, and every entity of the first,
        hand-curated file) are trusted, except that a function or title word among them needs context.
        Generated spellings and minor entities' aliases that are function, title or frequent words
        (``common_words``: a geonames city called سكان "population" or قائمة "list", a surname الله) are
        not indexed at all: an article that names the city once still uses the word in its ordinary sense
        everywhere else, so even context would not make the word a name.
        """
        if " " in key:
            return _KEEP
        function_word = key in self._common_words
        if listed and major:
            return _NEEDS_CONTEXT if function_word else _KEEP
        frequent = key in COMMON_WORDS or (rule != ARTICLE_FORBIDDEN and "ال" + key in COMMON_WORDS)
        return _DROP if function_word or frequent else _KEEP

    @staticmethod
    def _add_triggers(keys: dict[str, dict[Candidate, None]]) -> None:
        for phrase in (*lexicon.TITLE_TRIGGERS_AR, *lexicon.TITLE_TRIGGERS_FA):
            key = canonical_key(phrase)
            core, has_article = strip_article(key)
            rule = ARTICLE_OPTIONAL if has_article else ARTICLE_FORBIDDEN
            keys.setdefault(core if has_article else key, {})[(-1, FORM_NAME, rule, TRIGGER, None)] = None
        for phrase in lexicon.TITLE_TRIGGERS_EN:
            key = canonical_key(phrase.rstrip("."))
            flags = TRIGGER | LATIN | (CAPITALISED if phrase[0].isupper() else 0)
            keys.setdefault(key, {})[(-1, FORM_NAME, ARTICLE_FORBIDDEN, flags, None)] = None

    def stats(self) -> dict[str, int]:
        return {"entities": len(self.records), "aliases": self.alias_count, "matching_keys": self.key_count}


def _prefix_rules(
    candidates: Sequence[Candidate], vetoed: frozenset[str]
) -> tuple[frozenset[str], tuple[Group, ...], tuple[Group, ...]]:
    """``(allowed_prefixes, groups, article_groups)`` of plain Arabic-script candidates of one key.

    The matcher then decides such a key with one set lookup instead of checking each candidate's article
    rule: the clitics before a match either end in the article (``PREFIXES_WITH_ARTICLE``: candidates
    whose rule requires or allows it, ``article_groups``) or not (``groups``: rule forbidden or optional).
    ``vetoed`` clitics (those that turn the key into a frequent word, ``_word_prefixes``) are left out.
    """
    bare = [c for c in candidates if c[2] != ARTICLE_REQUIRED]
    with_article = [c for c in candidates if c[2] != ARTICLE_FORBIDDEN]
    allowed = (PREFIXES_WITHOUT_ARTICLE if bare else frozenset()) | (
        PREFIXES_WITH_ARTICLE if with_article else frozenset()
    )
    return allowed - vetoed, group_candidates(bare), group_candidates(with_article)


def _tail_groups(candidates: Sequence[Candidate]) -> tuple[tuple[str, tuple[Group, ...]], ...] | None:
    """``(head_skeleton, groups)`` per first name of surname-part candidates, in candidate order.

    Grouping at build time leaves the matcher one dict lookup per first name instead of a pass over the
    candidates at every occurrence (common surnames such as محمد or ترامب end hundreds of names).
    """
    by_head: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate[4] is not None:
            by_head.setdefault(candidate[4], []).append(candidate)
    if not by_head:
        return None
    return tuple((head, group_candidates(tail)) for head, tail in by_head.items())


def _word_prefixes(key: str) -> frozenset[str]:
    """Clitics that would turn ``key`` into a frequent word (و + زارة = وزارة "ministry"): not a split."""
    return frozenset(prefix for prefix in PREFIXES_WITHOUT_ARTICLE if prefix and prefix + key in COMMON_WORDS)


def _common_words() -> frozenset[str]:
    """Function words and title words: an alias equal to one of them needs context (a village called
    الزعيم must not be tagged in every "the leader")."""
    words = set()
    for phrase in (
        *lexicon.STOPWORDS_AR,
        *lexicon.STOPWORDS_FA,
        *lexicon.TITLE_TRIGGERS_AR,
        *lexicon.TITLE_TRIGGERS_FA,
    ):
        key = canonical_key(phrase)
        words.add(key)
        words.add(strip_article(key)[0])
    return frozenset(words)


def _latin_flags(alias: str) -> int:
    if is_arabic_script(alias):
        return 0
    stripped = alias.strip()
    if stripped.isupper() and len(stripped.replace(".", "")) <= 6:
        return LATIN | ACRONYM
    if stripped[:1].isupper():
        return LATIN | CAPITALISED
    return LATIN


def _surnames(record: EntityRecord) -> list[str]:
    """Last tokens of multi-token person names, as implicit short forms (بوتين after فلاديمير بوتين).

    Three-letter or shorter tokens are skipped: in Korean/Chinese names the last token is a given name
    (أون in كيم جونغ أون), and short tokens are too often ordinary words.
    """
    out = []
    stop = {normalize(word) for word in (*lexicon.STOPWORDS_AR, *lexicon.STOPWORDS_FA)}
    for names in record.aliases.values():
        for alias in names:
            parts = alias.split()
            if len(parts) >= 2 and len(parts[-1]) >= 4 and normalize(parts[-1]) not in stop:
                out.append(parts[-1])
    return list(dict.fromkeys(out))
