"""Field-by-field validation of one rule from a rules file.

Every failure raises ``ConfigError`` with the same shape, ``<file>: rule '<name>': field '<field>':
<problem>``, because the person reading it is editing that YAML file and needs the exact place to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pycountry

from agents.alerts.durations import parse_duration
from agents.errors import ConfigError
from agents.text import normalize, tokens

SEVERITIES = ("info", "low", "medium", "high", "critical")
ALERT_TOPIC = "news.alerts"
MAX_THRESHOLD = 100_000
MAX_LIST_ITEMS = 1_000
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_TOPIC_RE = re.compile(r"[A-Za-z0-9._-]{1,200}")
_WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*")


class FieldReader:
    """Reads and validates the fields of one rule mapping, naming the rule and field in every error."""

    __slots__ = ("label", "origin", "raw")

    def __init__(self, origin: str, label: str, raw: Mapping[str, Any]) -> None:
        self.origin = origin
        self.label = label
        self.raw = raw

    def fail(self, field: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.origin}: {self.label}: field '{field}': {problem}")

    def name(self) -> str:
        value = self.raw.get("name")
        if value is None:
            raise ConfigError(f"{self.origin}: {self.label}: field 'name': missing; every rule needs a name")
        if isinstance(value, bool):
            raise self.fail(
                "name", f"{value!r} is not a name (YAML reads yes/no/on/off as booleans; quote it)"
            )
        if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
            raise self.fail(
                "name",
                f"{value!r} is not a valid name (1-100 characters: letters, digits, '.', '_', '-', "
                "starting with a letter or digit)",
            )
        return value

    def severity(self) -> str:
        value = self.raw.get("severity", "medium")
        if not isinstance(value, str) or value.lower() not in SEVERITIES:
            raise self.fail("severity", f"{value!r} is not one of {', '.join(SEVERITIES)}")
        return value.lower()

    def text(self, field: str, default: str = "") -> str:
        value = self.raw.get(field, default)
        if not isinstance(value, str):
            raise self.fail(field, f"{value!r} is not text")
        return value

    def flag(self, field: str, default: bool) -> bool:
        value = self.raw.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, f"{value!r} is not true or false")
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        """A list of non-empty strings; a single string is read as a one-item list."""
        value = self.raw.get(field)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(field, f"{value!r} is not a list of names")
        if len(value) > MAX_LIST_ITEMS:
            raise self.fail(field, f"has {len(value)} items; at most {MAX_LIST_ITEMS} are allowed")
        items: list[str] = []
        for item in value:
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                raise self.fail(field, f"item {item!r} is not a non-empty string")
            if item.strip() not in items:
                items.append(item.strip())
        return tuple(items)

    def entity_refs(self, field: str) -> tuple[str, ...]:
        refs = self.strings(field)
        for ref in refs:
            if ref[:1] in "Qq" and ref[1:].isdigit() and not _WIKIDATA_RE.fullmatch(ref):
                raise self.fail(field, f"{ref!r} looks like a Wikidata id but is not one (like Q423)")
        return refs

    def keywords(self, field: str) -> tuple[str, ...]:
        words = self.strings(field)
        for word in words:
            if not tokens(normalize(word)):
                raise self.fail(field, f"keyword {word!r} has no letters or digits to match")
        return words

    def languages(self, field: str) -> tuple[str, ...]:
        codes = tuple(code.lower() for code in self.strings(field))
        for code in codes:
            if not _is_language_code(code):
                raise self.fail(field, f"{code!r} is not an ISO 639 language code like ar, fa, en")
        return codes

    def threshold(self, field: str) -> int | None:
        value = self.raw.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_THRESHOLD:
            raise self.fail(field, f"{value!r} is not a whole number from 1 to {MAX_THRESHOLD}")
        return value

    def duration(
        self, field: str, raw: Mapping[str, Any] | None = None, prefix: str = ""
    ) -> timedelta | None:
        source = self.raw if raw is None else raw
        value = source.get(field)
        if value is None:
            return None
        parsed = parse_duration(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.fail(prefix + field, f"{value!r} is not a duration like 30m, 24h, 7d")
        if parsed <= timedelta(0):
            raise self.fail(prefix + field, f"{value!r} must be longer than zero")
        if parsed > timedelta(days=366):
            raise self.fail(prefix + field, f"{value!r} is longer than the maximum of 366d")
        return parsed

    def number(self, raw: Mapping[str, Any], field: str, low: float, high: float, default: float) -> float:
        value = raw.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low < value <= high:
            raise self.fail(f"burst.{field}", f"{value!r} is not a number above {low:g} and at most {high:g}")
        return float(value)

    def topic(self, rule_name: str) -> str | None:
        """The dedicated topic's suffix: alerts go to ``news.alerts.<suffix>`` as well as ``news.alerts``.

        ``true`` means the rule's name; a full ``news.alerts.x`` is accepted and reduced to ``x``.
        """
        value = self.raw.get("topic")
        if value is None or value is False:
            return None
        if value is True:
            value = rule_name
        if not isinstance(value, str) or not value.strip():
            raise self.fail("topic", f"{value!r} is not a topic name (or true for news.alerts.<rule name>)")
        suffix = value.strip().removeprefix(ALERT_TOPIC + ".")
        if not _TOPIC_RE.fullmatch(suffix) or suffix.startswith(".") or suffix.endswith("."):
            raise self.fail(
                "topic",
                f"{value!r} is not a valid topic suffix (letters, digits, '.', '_', '-'; at most 200)",
            )
        return suffix


def _is_language_code(code: str) -> bool:
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return False
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return pycountry.languages.get(alpha_3=code) is not None
