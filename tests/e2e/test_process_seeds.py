"""`newsstream process` on the five real seed pages, checked against what a reader of them knows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.cli import main
from streams.schemas import PROCESS_ALERT_FIELDS

RULES = (Path(__file__).resolve().parents[1] / "fixtures" / "seed_rules.yaml").read_text()
APRIL = {"678e11cc5c7d2d00", "0b0892e8255b9e3f", "39423b2dfda8c3a7"}


@pytest.fixture(scope="module")
def processed(seeds_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("process")
    (tmp / "rules.yaml").write_text(RULES)
    code = main(
        [
            "process",
            str(seeds_path),
            "--output",
            str(tmp / "out.jsonl"),
            "--alerts",
            str(tmp / "alerts.jsonl"),
            "--rules",
            str(tmp / "rules.yaml"),
        ]
    )
    assert code == 0
    articles = [orjson.loads(line) for line in (tmp / "out.jsonl").read_bytes().splitlines()]
    alerts = [orjson.loads(line) for line in (tmp / "alerts.jsonl").read_bytes().splitlines()]
    return articles, alerts


def test_one_record_per_seed_in_input_order_with_spans_into_the_text(processed, seeds_path):
    articles, _ = processed
    expected = [orjson.loads(line)["id"] for line in seeds_path.read_bytes().splitlines() if line.strip()]
    assert [a["id"] for a in articles] == expected
    for article in articles:
        assert article["language"] == "ar"
        for entity in article["entities"]:
            for mention in entity["mentions"]:
                assert article["text"][mention["start"] : mention["end"]] == mention["text"]


def test_stories_group_the_april_reports_and_keep_other_events_apart(processed):
    articles, _ = processed
    story = {a["id"]: a["story_id"] for a in articles}
    assert len({story[i] for i in APRIL}) == 1
    assert story["c20406b8055dfd68"] not in {story[i] for i in APRIL}
    assert story["f822dac4814519d8"] not in {story[i] for i in APRIL}
    assert story["c20406b8055dfd68"] != story["f822dac4814519d8"]
    assert all(a["duplicate_of"] is None for a in articles)


def test_exactly_one_breaking_alert_and_one_watch_alert_per_story(processed):
    articles, alerts = processed
    by_rule = Counter(a["rule"] for a in alerts)
    assert by_rule["breaking"] == 1
    stories = {a["story_id"] for a in articles}
    watch = [a for a in alerts if a["rule"] == "nk-russia-watch"]
    assert sorted(a["story_id"] for a in watch) == sorted(stories)
    breaking = next(a for a in alerts if a["rule"] == "breaking")
    assert set(breaking["article_ids"]) == APRIL
    assert "3" in breaking["reason"]
    assert len({a["id"] for a in alerts}) == len(alerts)
    for alert in alerts:
        assert set(alert) == PROCESS_ALERT_FIELDS
