"""Reading gazetteer YAML files into validated, merged ``EntityRecord`` objects.

File format (``agents/entities/data/*.yaml`` and user files)::

    entities:
      - id: Q7747                  # Wikidata QID when certain, else "ns:<kind>/<slug>"
        name: Vladimir Putin
        type: PERSON               # PERSON | LOCATION | ORGANIZATION | EVENT | OTHER
        subtype: head_of_state     # optional
        aliases: {ar: [...], fa: [...], en: [...]}
        short: {ar: [...], en: [...]}        # optional, linked only after a full mention
        adjectives: {ar: [...], en: [...]}   # optional, demonyms
        ambiguous: [...]                     # optional, aliases that need context
        country: Q884                        # optional, a place's country (a capital's, say), by id

Files merge in the order given: a later file may add aliases/short forms/adjectives to an id already seen
(and may mark more aliases ambiguous) but may not change its type; the first name wins. Errors raise
``ConfigError`` naming the file, the entry and the field.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from agents.entities.records import ENTITY_TYPES, EntityRecord
from agents.errors import ConfigError

logger = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"^(Q[1-9][0-9]*|ns:[a-z_]+/[a-z0-9_\-/]+)$")
_LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_entity_file(path: Path) -> list[dict[str, Any]]:
    """Parse one gazetteer file; return its raw, validated entries."""
    try:
        with path.open("rb") as handle:
            document = yaml.load(handle, Loader=_Loader)
    except OSError as exc:
        raise ConfigError(f"gazetteer file {path}: cannot read it ({exc}); check the path") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"gazetteer file {path}: invalid YAML ({exc})") from exc
    if document is None:
        return []
    if not isinstance(document, dict) or not isinstance(document.get("entities", []), list):
        raise ConfigError(f"gazetteer file {path}: expected a mapping with an 'entities' list")
    entries = document.get("entities") or []
    for index, entry in enumerate(entries):
        _validate_entry(path, index, entry)
    return entries


def _where(path: Path, index: int, entry: Any) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    return f"gazetteer file {path}, entity #{index}" + (f" ({ident})" if ident else "")


def _validate_language_map(where: str, field: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{field}' must map language codes to lists of strings")
    for language, names in value.items():
        if not isinstance(language, str) or not _LANGUAGE_PATTERN.match(language):
            raise ConfigError(f"{where}: '{field}' has language code {language!r}; use ISO 639 (ar, fa, en)")
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ConfigError(f"{where}: '{field}.{language}' must be a list of strings")


def _validate_entry(path: Path, index: int, entry: Any) -> None:
    where = _where(path, index, entry)
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: each entity must be a mapping")
    ident = entry.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise ConfigError(f"{where}: 'id' must be a Wikidata QID (Q123) or a project id (ns:kind/slug)")
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise ConfigError(f"{where}: 'name' (canonical English name) is required")
    if entry.get("type") not in ENTITY_TYPES:
        raise ConfigError(f"{where}: 'type' is {entry.get('type')!r}; allowed {', '.join(ENTITY_TYPES)}")
    for field in ("aliases", "short", "adjectives"):
        _validate_language_map(where, field, entry.get(field))
    ambiguous = entry.get("ambiguous")
    if ambiguous is not None and (
        not isinstance(ambiguous, list) or not all(isinstance(a, str) for a in ambiguous)
    ):
        raise ConfigError(f"{where}: 'ambiguous' must be a list of strings")
    if entry.get("subtype") is not None and not isinstance(entry.get("subtype"), str):
        raise ConfigError(f"{where}: 'subtype' must be a string")
    country = entry.get("country")
    if country is not None and (not isinstance(country, str) or not ID_PATTERN.match(country)):
        raise ConfigError(f"{where}: 'country' must be the id of a country entity (Q884, ns:country/xx)")


def _merge_map(target: dict[str, dict[str, None]], value: dict[str, list[str]] | None) -> None:
    for language, names in (value or {}).items():
        bucket = target.setdefault(language, {})
        for name in names or ():
            if name and name.strip():
                bucket.setdefault(name.strip(), None)


def _alias_set(entry: dict[str, Any]) -> set[str]:
    return {
        " ".join(name.lower().split())
        for names in (entry.get("aliases") or {}).values()
        for name in names or ()
        if isinstance(name, str)
    }


def merge_entries(
    sources: Iterable[tuple[Path, list[dict[str, Any]]]], merged_ids: dict[str, str] | None = None
) -> list[EntityRecord]:
    """Merge entries from several files by id (order matters: first name/subtype win).

    An entry with a *different* id but the same type, the same canonical name and at least one alias in
    common with an entity of an *earlier file* is the same real-world entity listed twice (a city from a
    generated list that the hand-curated file already has): it is merged into the earlier id, and the
    mapping is recorded in ``merged_ids`` (so lookups of the later id still work). Without this, every
    shared alias would be ambiguous and dropped. Namesakes within one file (Cambridge, England and
    Cambridge, Massachusetts from one city list) stay apart: their shared aliases need context.
    """
    merged: dict[str, dict[str, Any]] = {}
    by_name: dict[tuple[str, str], str] = {}
    aliases_seen: dict[str, set[str]] = {}
    for rank, (path, entries) in enumerate(sources):
        for entry in entries:
            ident = entry["id"]
            name_key = (entry["type"], " ".join(entry["name"].lower().split()))
            earlier = by_name.get(name_key)
            if (
                ident not in merged
                and earlier is not None
                and merged[earlier]["rank"] != rank
                and aliases_seen[earlier] & _alias_set(entry)
            ):
                logger.info("gazetteer: %s (%s) merged into %s, same name and aliases", ident, path, earlier)
                if merged_ids is not None:
                    merged_ids[ident] = earlier
                ident = earlier
            by_name.setdefault(name_key, ident)
            aliases_seen.setdefault(ident, set()).update(_alias_set(entry))
            current = merged.get(ident)
            if current is None:
                current = merged[ident] = {
                    "name": entry["name"].strip(),
                    "type": entry["type"],
                    "subtype": entry.get("subtype"),
                    "aliases": {},
                    "short": {},
                    "adjectives": {},
                    "ambiguous": {},
                    "rank": rank,
                    "country": entry.get("country"),
                }
            elif current["type"] != entry["type"]:
                raise ConfigError(
                    f"gazetteer file {path}: entity {ident} has type {entry['type']} but an earlier file "
                    f"declared {current['type']}; a later file may add aliases but not change the type"
                )
            _merge_map(current["aliases"], entry.get("aliases"))
            _merge_map(current["short"], entry.get("short"))
            _merge_map(current["adjectives"], entry.get("adjectives"))
            for alias in entry.get("ambiguous") or ():
                current["ambiguous"].setdefault(alias.strip(), None)
            if current["country"] is None:
                current["country"] = entry.get("country")
    records = []
    for ident, data in merged.items():
        records.append(
            EntityRecord(
                id=ident,
                name=data["name"],
                type=data["type"],
                subtype=data["subtype"],
                aliases={lang: tuple(names) for lang, names in data["aliases"].items()},
                short={lang: tuple(names) for lang, names in data["short"].items()},
                adjectives={lang: tuple(names) for lang, names in data["adjectives"].items()},
                ambiguous=frozenset(data["ambiguous"]),
                rank=data["rank"],
                country=data["country"],
            )
        )
    return records
