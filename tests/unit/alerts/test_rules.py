"""Parsing and validation of the rules file: every field, every error message, reloading."""

from __future__ import annotations

import os
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from agents.alerts import BurstSpec, ReloadingRules, RuleSet
from agents.alerts.durations import format_duration, parse_duration
from agents.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]

ISSUE_RULES = """
rules:
  - name: nk-russia-watch          # unique; becomes the alert's rule
    entities: [North Korea, Russia] # all must be in the story; names, aliases or Wikidata ids
    severity: high
  - name: breaking
    min_sources: 3                  # distinct sources in one story...
    window: 24h                     # ...within this event-time window
    severity: critical
"""


def one_rule(body: str) -> str:
    return "rules:\n  - " + textwrap.indent(textwrap.dedent(body).strip(), "    ").lstrip()


def test_issue_rules_parse_with_their_fields() -> None:
    rules = RuleSet.parse(ISSUE_RULES, "rules.yaml")
    assert [rule.name for rule in rules] == ["nk-russia-watch", "breaking"]
    watch, breaking = rules["nk-russia-watch"], rules["breaking"]
    assert watch.entities == ("North Korea", "Russia")
    assert watch.severity == "high"
    assert watch.min_sources is None and watch.window is None
    assert breaking.min_sources == 3
    assert breaking.window == timedelta(hours=24)
    assert breaking.severity == "critical"
    assert breaking.topic is None and breaking.enabled and breaking.escalate


def test_every_other_field_is_read() -> None:
    text = one_rule(
        """
        name: all.fields_1
        description: everything at once
        severity: LOW
        entities: Q423
        any_entities: [Ukraine, Q212, Ukraine]
        keywords: [كورسك, "North Korea"]
        languages: [AR, fa]
        sources: [site-b, site-c]
        min_sources: 2
        min_articles: 4
        window: 1h30m
        escalate: false
        enabled: false
        topic: news.alerts.front
        burst: {entity: Russia, window: 30m, baseline: 12h, z: 2.5, min_count: 3, warmup: 0}
        """
    )
    rule = RuleSet.parse(text)["all.fields_1"]
    assert rule.description == "everything at once"
    assert rule.severity == "low"
    assert rule.entities == ("Q423",)
    assert rule.any_entities == ("Ukraine", "Q212")
    assert rule.keywords == ("كورسك", "North Korea")
    assert rule.languages == ("ar", "fa")
    assert rule.sources == ("site-b", "site-c")
    assert (rule.min_sources, rule.min_articles) == (2, 4)
    assert rule.window == timedelta(minutes=90)
    assert not rule.escalate and not rule.enabled
    assert rule.topic == "front"
    assert rule.burst == BurstSpec(
        entity="Russia",
        window=timedelta(minutes=30),
        baseline=timedelta(hours=12),
        z=2.5,
        min_count=3,
        warmup=timedelta(0),
    )


def test_defaults_severity_topic_and_burst() -> None:
    text = one_rule("name: b\nburst: {story: true}\ntopic: true")
    rule = RuleSet.parse(text)["b"]
    assert rule.severity == "medium"
    assert rule.topic == "b"
    assert rule.burst is not None and rule.burst.per_story
    assert rule.burst.window == timedelta(hours=1)
    assert rule.burst.baseline == timedelta(hours=24)
    assert (rule.burst.z, rule.burst.min_count) == (3.0, 5)
    assert rule.burst.effective_warmup == timedelta(hours=3)


def test_empty_document_and_empty_list_give_no_rules() -> None:
    assert len(RuleSet.parse("")) == 0
    assert len(RuleSet.parse("rules: []")) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "name: breaking\nmin_sources: 3\nwindow: 24 hours",
            "rules.yaml: rule 'breaking': field 'window': '24 hours' is not a duration like 30m, 24h, 7d",
        ),
        ("name: w\nmin_sources: 3\nwindow: 3600", "rule 'w': field 'window': 3600 is not a duration"),
        ("name: w\nmin_sources: 3\nwindow: 0m", "rule 'w': field 'window': '0m' must be longer than zero"),
        ("name: w\nmin_sources: 3\nwindow: 400d", "field 'window': '400d' is longer than the maximum"),
        (
            "name: w\nentities: [Russia]\nwindow: 1h",
            "rule 'w': field 'window': only applies with min_sources",
        ),
        (
            "name: s\nentities: [Russia]\nseverity: urgent",
            "rule 's': field 'severity': 'urgent' is not one of info, low, medium, high, critical",
        ),
        ("name: m\nmin_sources: 0", "rule 'm': field 'min_sources': 0 is not a whole number from 1 to"),
        ("name: m\nmin_sources: true", "field 'min_sources': True is not a whole number"),
        ("name: m\nmin_articles: 2.5", "rule 'm': field 'min_articles': 2.5 is not a whole number"),
        ("name: e\nentities: {a: 1}", "rule 'e': field 'entities': {'a': 1} is not a list of names"),
        ("name: e\nany_entities: ['']", "rule 'e': field 'any_entities': item '' is not a non-empty string"),
        ("name: e\nentities: [Q0423]", "field 'entities': 'Q0423' looks like a Wikidata id but is not one"),
        ("name: k\nkeywords: ['...']", "rule 'k': field 'keywords': keyword '...' has no letters or digits"),
        (
            "name: l\nlanguages: [arabic]",
            "rule 'l': field 'languages': 'arabic' is not an ISO 639 language code",
        ),
        ("name: l\nlanguages: [xx]", "field 'languages': 'xx' is not an ISO 639 language code"),
        (
            "name: t\nentities: [a]\ntopic: 'bad topic'",
            "rule 't': field 'topic': 'bad topic' is not a valid topic",
        ),
        ("name: t\nentities: [a]\ntopic: 5", "rule 't': field 'topic': 5 is not a topic name"),
        (
            "name: x\nentities: [a]\nescalate: maybe",
            "rule 'x': field 'escalate': 'maybe' is not true or false",
        ),
        ("name: x\nentities: [a]\nenabled: 1", "rule 'x': field 'enabled': 1 is not true or false"),
        ("name: x\nentities: [a]\ndescription: [1]", "rule 'x': field 'description': [1] is not text"),
        ("name: x\nentitys: [a]", "rule 'x': field 'entitys': unknown field; allowed fields are name,"),
        ("name: x\nseverity: high", "rule 'x': field 'conditions': the rule has no condition"),
        ("name: 'has space'\nentities: [a]", "rule #1: field 'name': 'has space' is not a valid name"),
        ("entities: [a]", "rule #1: field 'name': missing"),
        ("name: b\nburst: 3", "rule 'b': field 'burst': expected a mapping"),
        ("name: b\nburst: {story: true, entity: Russia}", "field 'burst': give exactly one of"),
        ("name: b\nburst: {window: 1h}", "field 'burst': give exactly one of"),
        ("name: b\nburst: {story: yes please}", "field 'burst.story': 'yes please' is not true or false"),
        ("name: b\nburst: {story: true, windw: 1h}", "field 'burst.windw': unknown field"),
        ("name: b\nburst: {story: true, window: 1 hour}", "field 'burst.window': '1 hour' is not a duration"),
        (
            "name: b\nburst: {story: true, window: 1h, baseline: 2h}",
            "field 'burst.baseline': must be at least 3",
        ),
        (
            "name: b\nburst: {story: true, window: 30s, baseline: 1h}",
            "field 'burst.window': must be at least 1m",
        ),
        ("name: b\nburst: {story: true, z: 0}", "field 'burst.z': 0 is not a number above 0 and at most 100"),
        ("name: b\nburst: {story: true, min_count: 0}", "field 'burst.min_count': 0 is not a whole number"),
        ("name: b\nburst: {entity: ''}", "field 'burst.entity': '' is not an entity name"),
    ],
)
def test_validation_errors_name_rule_and_field(body: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        RuleSet.parse(one_rule(body), "rules.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("rules.yaml: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "rules.yaml: not valid YAML"),
        ("- a\n- b", "rules.yaml: expected a mapping with a 'rules' list"),
        ("rules: []\nrulez: []", "rules.yaml: unknown top-level key rulez"),
        ("rules: {name: a}", "rules.yaml: 'rules' must be a list"),
        ("rules: [3]", "rules.yaml: rule #1: expected a mapping of fields"),
        (
            "rules:\n  - {name: a, min_sources: 2}\n  - {name: a, min_sources: 3}",
            "rules.yaml: rule 'a': field 'name': duplicate name (rule #1 has it too)",
        ),
    ],
)
def test_document_errors(text: str, message: str) -> None:
    with pytest.raises(
        ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace("#", r"\#")
    ):
        RuleSet.parse(text, "rules.yaml")


def test_errors_name_the_rule_by_position_before_its_name_is_known() -> None:
    text = "rules:\n  - {name: ok, min_sources: 2}\n  - {severity: high}"
    with pytest.raises(ConfigError, match="rule #2: field 'name': missing"):
        RuleSet.parse(text, "rules.yaml")


def test_example_rules_file_parses_and_covers_every_kind() -> None:
    rules = RuleSet.load(REPO / "examples" / "rules.yaml")
    assert {"nk-russia-watch", "breaking"} <= {rule.name for rule in rules}
    assert rules["breaking"].min_sources == 3 and rules["breaking"].window == timedelta(hours=24)
    kinds = {
        "entities": any(r.entities for r in rules),
        "any_entities": any(r.any_entities for r in rules),
        "keywords": any(r.keywords for r in rules),
        "languages": any(r.languages for r in rules),
        "sources": any(r.sources for r in rules),
        "min_articles": any(r.min_articles for r in rules),
        "entity burst": any(r.burst and r.burst.entity for r in rules),
        "story burst": any(r.burst and r.burst.per_story for r in rules),
        "topic": any(r.topic for r in rules),
    }
    assert all(kinds.values()), kinds


def test_load_of_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read rules file"):
        RuleSet.load(tmp_path / "nope.yaml")


def _bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_reloading_rules_picks_up_edits_and_keeps_old_rules_on_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(ISSUE_RULES, encoding="utf-8")
    reloading = ReloadingRules(path, check_interval=0)
    assert [rule.name for rule in reloading.rules] == ["nk-russia-watch", "breaking"]
    assert reloading.reload_if_changed() is False

    path.write_text(one_rule("name: only\nmin_sources: 5"), encoding="utf-8")
    _bump_mtime(path)
    assert reloading.reload_if_changed() is True
    assert [rule.name for rule in reloading.current()] == ["only"]

    path.write_text(one_rule("name: only\nmin_sources: 5\nwindow: soon"), encoding="utf-8")
    _bump_mtime(path)
    assert reloading.reload_if_changed() is False
    assert reloading.rules["only"].min_sources == 5

    path.unlink()
    assert reloading.reload_if_changed() is False
    assert [rule.name for rule in reloading.rules] == ["only"]


def test_reloading_rules_fails_fast_on_an_invalid_file_at_start(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(one_rule("name: x\nmin_sources: -1"), encoding="utf-8")
    with pytest.raises(ConfigError, match="field 'min_sources'"):
        ReloadingRules(path)
    with pytest.raises(ConfigError, match="check_interval"):
        ReloadingRules(tmp_path / "whatever.yaml", check_interval=-1)


def test_current_only_rechecks_after_the_interval(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(ISSUE_RULES, encoding="utf-8")
    reloading = ReloadingRules(path, check_interval=3600)
    path.write_text(one_rule("name: only\nmin_sources: 5"), encoding="utf-8")
    _bump_mtime(path)
    assert len(reloading.current()) == 2
    assert reloading.reload_if_changed() is True
    assert len(reloading.current()) == 1


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("24h", 86400), ("7d", 604800), ("1h30m", 5400), ("2w", 1209600), (" 45S ", 45)],
)
def test_parse_duration_accepts_unit_forms(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["24 hours", "3600", "1.5h", "h", "30m1h", "1h1h", ""])
def test_parse_duration_rejects_other_forms(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "text"), [(86400, "24h"), (172800, "2d"), (5400, "1h30m"), (45, "45s"), (0, "0s")]
)
def test_format_duration_round_trips_readably(seconds: int, text: str) -> None:
    assert format_duration(timedelta(seconds=seconds)) == text
    if seconds:
        assert parse_duration(text) == timedelta(seconds=seconds)
