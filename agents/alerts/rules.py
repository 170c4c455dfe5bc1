"""Alert rules: what a user asks to be told about, parsed and validated from a YAML rules file.

A rule is a conjunction of conditions on a story (entities, keywords, languages, sources, source and
article counts inside an event-time window, a mention burst). The file is validated as a whole before it
replaces the running rules, so a typo never leaves a worker with half a rule set; every error names the
file, the rule and the field (``rules.yaml: rule 'breaking': field 'window': ...``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from agents.alerts.rule_fields import SEVERITIES, FieldReader
from agents.errors import ConfigError

log = logging.getLogger(__name__)

RULE_FIELDS = (
    "name",
    "description",
    "enabled",
    "severity",
    "entities",
    "any_entities",
    "keywords",
    "languages",
    "sources",
    "min_sources",
    "min_articles",
    "window",
    "burst",
    "escalate",
    "topic",
)
BURST_FIELDS = ("entity", "story", "window", "baseline", "z", "min_count", "warmup")
CONDITION_FIELDS = (
    "entities",
    "any_entities",
    "keywords",
    "languages",
    "sources",
    "min_sources",
    "min_articles",
    "burst",
)


@dataclass(frozen=True, slots=True)
class BurstSpec:
    """A mention-rate burst: the count in the last ``window`` against past windows over ``baseline``.

    ``entity`` names one entity (name, alias or Wikidata id) whose mentions are counted across all
    stories; otherwise (``story: true``) each story's own article rate is counted. The rule holds when
    the count is at least ``min_count`` and its z-score against the past windows is at least ``z``. No
    burst fires until ``warmup`` of history has been seen, because right after a deployment every
    subject has an empty baseline and would look like a burst.
    """

    entity: str | None
    window: timedelta
    baseline: timedelta
    z: float = 3.0
    min_count: int = 5
    warmup: timedelta | None = None

    def __post_init__(self) -> None:
        if self.window <= timedelta(0) or self.baseline < self.window * 3:
            raise ConfigError(
                f"burst: window {self.window} must be positive, baseline {self.baseline} at least 3 windows"
            )
        if not self.z > 0 or self.min_count < 1:
            raise ConfigError(
                f"burst: z {self.z!r} must be above 0 and min_count {self.min_count!r} at least 1"
            )

    @property
    def per_story(self) -> bool:
        return self.entity is None

    @property
    def effective_warmup(self) -> timedelta:
        return self.window * 3 if self.warmup is None else self.warmup


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule; every condition given must hold (conditions left empty always hold).

    ``entities``: all must be in the story; ``any_entities``: at least one. ``keywords``: at least one
    matched in some article of the story (normalised, Arabic clitics allowed). ``languages`` and
    ``sources``: the story has an article in one of them; with ``sources``, the counts below only count
    those sources. ``min_sources``/``min_articles``: distinct sources/articles whose first event times
    fit inside ``window`` (the whole story when no window). ``topic``: suffix of the dedicated topic
    (``news.alerts.<topic>``) the alert is also published on. ``escalate``: whether a material change
    may fire a higher level (see ``conditions``).
    """

    name: str
    severity: str = "medium"
    entities: tuple[str, ...] = ()
    any_entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_sources: int | None = None
    min_articles: int | None = None
    window: timedelta | None = None
    burst: BurstSpec | None = None
    topic: str | None = None
    description: str = ""
    enabled: bool = True
    escalate: bool = True

    def __post_init__(self) -> None:
        """Invariants for rules built in code; files get field-by-field messages from ``parse_rule``."""
        if self.severity not in SEVERITIES:
            raise ConfigError(
                f"rule '{self.name}': field 'severity': {self.severity!r} is not one of {SEVERITIES}"
            )
        for field in ("min_sources", "min_articles"):
            value = getattr(self, field)
            if value is not None and value < 1:
                raise ConfigError(f"rule '{self.name}': field '{field}': {value!r} must be at least 1")
        if self.window is not None and self.window <= timedelta(0):
            raise ConfigError(f"rule '{self.name}': field 'window': must be longer than zero")


class RuleSet:
    """An immutable, validated collection of rules with unique names, in file order."""

    __slots__ = ("_by_name", "origin", "rules")

    def __init__(self, rules: tuple[Rule, ...] | list[Rule] = (), origin: str = "<rules>") -> None:
        by_name: dict[str, Rule] = {}
        for rule in rules:
            if rule.name in by_name:
                raise ConfigError(f"{origin}: rule '{rule.name}': field 'name': duplicate rule name")
            by_name[rule.name] = rule
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.origin = origin
        self._by_name = by_name

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __getitem__(self, name: str) -> Rule:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __repr__(self) -> str:
        return f"RuleSet({len(self.rules)} rules from {self.origin})"

    @classmethod
    def parse(cls, text: str, origin: str = "<rules>") -> RuleSet:
        """Parse a YAML rules document (``rules: [...]``); raise ``ConfigError`` naming rule and field."""
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
        if document is None:
            return cls((), origin)
        if not isinstance(document, Mapping):
            raise ConfigError(f"{origin}: expected a mapping with a 'rules' list at the top level")
        unknown = sorted(str(key) for key in document if key != "rules")
        if unknown:
            raise ConfigError(f"{origin}: unknown top-level key {', '.join(unknown)}; only 'rules' is read")
        raw_rules = document.get("rules") or []
        if not isinstance(raw_rules, list):
            raise ConfigError(f"{origin}: 'rules' must be a list of rules")
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_rules, start=1):
            rule = parse_rule(raw, origin, index)
            if rule.name in seen:
                raise ConfigError(
                    f"{origin}: rule '{rule.name}': field 'name': duplicate name (rule #{seen[rule.name]} "
                    f"has it too); names must be unique"
                )
            seen[rule.name] = index
            rules.append(rule)
        return cls(rules, origin)

    @classmethod
    def load(cls, path: Path) -> RuleSet:
        """Read and parse a rules file; a missing or unreadable file is a ``ConfigError``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read rules file: {exc}") from exc
        return cls.parse(text, origin=str(path))


def parse_rule(raw: Any, origin: str, index: int) -> Rule:
    """Validate one rule mapping (the ``index``-th in the file, from 1) into a ``Rule``."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{origin}: rule #{index}: expected a mapping of fields, got {raw!r}")
    label = f"rule #{index}"
    name = FieldReader(origin, label, raw).name()
    fields = FieldReader(origin, f"rule '{name}'", raw)
    unknown = [str(key) for key in raw if key not in RULE_FIELDS]
    if unknown:
        raise fields.fail(unknown[0], f"unknown field; allowed fields are {', '.join(RULE_FIELDS)}")
    rule = Rule(
        name=name,
        severity=fields.severity(),
        entities=fields.entity_refs("entities"),
        any_entities=fields.entity_refs("any_entities"),
        keywords=fields.keywords("keywords"),
        languages=fields.languages("languages"),
        sources=fields.strings("sources"),
        min_sources=fields.threshold("min_sources"),
        min_articles=fields.threshold("min_articles"),
        window=fields.duration("window"),
        burst=_parse_burst(fields),
        topic=fields.topic(name),
        description=fields.text("description"),
        enabled=fields.flag("enabled", True),
        escalate=fields.flag("escalate", True),
    )
    if rule.window is not None and rule.min_sources is None and rule.min_articles is None:
        raise fields.fail("window", "only applies with min_sources or min_articles; add one or remove window")
    if not any(raw.get(field) not in (None, [], "") for field in CONDITION_FIELDS):
        raise fields.fail(
            "conditions",
            f"the rule has no condition and would fire on every story; give one of "
            f"{', '.join(CONDITION_FIELDS)}",
        )
    return rule


def _parse_burst(fields: FieldReader) -> BurstSpec | None:
    raw = fields.raw.get("burst")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise fields.fail("burst", "expected a mapping like {entity: Russia, window: 1h, baseline: 24h}")
    unknown = [str(key) for key in raw if key not in BURST_FIELDS]
    if unknown:
        allowed = ", ".join(BURST_FIELDS)
        raise fields.fail(f"burst.{unknown[0]}", f"unknown field; allowed fields are {allowed}")
    entity = raw.get("entity")
    story = raw.get("story", False)
    if not isinstance(story, bool):
        raise fields.fail("burst.story", f"{story!r} is not true or false")
    if (entity is None) == (not story):
        raise fields.fail("burst", "give exactly one of 'entity: <name or id>' or 'story: true'")
    if entity is not None and (not isinstance(entity, str) or not entity.strip()):
        raise fields.fail("burst.entity", f"{entity!r} is not an entity name or Wikidata id")
    window = fields.duration("window", raw, "burst.") or timedelta(hours=1)
    baseline = fields.duration("baseline", raw, "burst.") or window * 24
    if baseline < window * 3:
        raise fields.fail("burst.baseline", "must be at least 3 windows long, so a spread can be measured")
    if baseline > window * 1000:
        raise fields.fail("burst.baseline", "must be at most 1000 windows long")
    if window < timedelta(minutes=1):
        raise fields.fail("burst.window", "must be at least 1m")
    min_count = raw.get("min_count", 5)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or not 1 <= min_count <= 1_000_000:
        raise fields.fail("burst.min_count", f"{min_count!r} is not a whole number from 1 to 1000000")
    warmup = raw.get("warmup")
    if warmup in (0, "0"):
        warmup_value: timedelta | None = timedelta(0)
    else:
        warmup_value = fields.duration("warmup", raw, "burst.")
    return BurstSpec(
        entity=entity.strip() if isinstance(entity, str) else None,
        window=window,
        baseline=baseline,
        z=fields.number(raw, "z", 0.0, 100.0, 3.0),
        min_count=min_count,
        warmup=warmup_value,
    )


class ReloadingRules:
    """A rules file watched by mtime and size, so edits take effect without restarting workers.

    The first load fails fast (``ConfigError``). Later reloads that fail are logged and the previous
    rules stay in force: a half-edited file never silences alerting.
    """

    __slots__ = ("_checked_at", "_rules", "_stamp", "check_interval", "path")

    def __init__(self, path: Path | str, check_interval: float = 2.0) -> None:
        if not 0 <= check_interval <= 3600:
            raise ConfigError(f"check_interval: {check_interval!r} is not between 0 and 3600 seconds")
        self.path = Path(path)
        self.check_interval = check_interval
        self._stamp = self._read_stamp()
        self._rules = RuleSet.load(self.path)
        self._checked_at = time.monotonic()

    @property
    def rules(self) -> RuleSet:
        return self._rules

    def current(self) -> RuleSet:
        """The rules, after a reload check if ``check_interval`` seconds passed since the last one."""
        now = time.monotonic()
        if now - self._checked_at >= self.check_interval:
            self._checked_at = now
            self.reload_if_changed()
        return self._rules

    def reload_if_changed(self) -> bool:
        """Reload when the file changed; True only when new rules were adopted."""
        stamp = self._read_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            rules = RuleSet.load(self.path)
        except ConfigError as exc:
            log.error("rules file not reloaded, keeping %d previous rules: %s", len(self._rules), exc)
            return False
        log.info("reloaded %d rules from %s", len(rules), self.path)
        self._rules = rules
        return True

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size
