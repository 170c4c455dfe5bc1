"""Stateful stages across workers on the real broker: dedup verdicts with two workers and four partitions,
and story/alert state recovered from the changelog by a worker on a fresh machine."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.cli import main as cli_main
from tests.integration.harness import Deployment

pytestmark = pytest.mark.broker

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "data" / "sample" / "articles.jsonl"
RULES = (Path(__file__).resolve().parents[1] / "fixtures" / "seed_rules.yaml").read_text()


def _push(deployment: Deployment, path: Path, rate: float) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "push", "--rate", str(rate), str(path)],
        env=deployment.env(99),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _records(deployment: Deployment, topic: str, count: int, timeout: float = 90) -> list[dict]:
    return asyncio.run(
        deployment.read(topic, timeout=timeout, done=lambda values: len({v["id"] for v in values}) >= count)
    )


def _counter(base_url: str, series: str) -> float:
    import urllib.request

    with urllib.request.urlopen(base_url + "/metrics", timeout=5) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(series + " "):
                return float(line.split()[-1])
    return 0.0


def test_two_workers_four_partitions_give_the_same_dedup_verdicts_as_process(broker, tmp_path):
    offline = tmp_path / "offline.jsonl"
    assert cli_main(["process", str(SAMPLE), "--output", str(offline)]) == 0
    expected = {
        r["id"]: (r["duplicate_of"], r["duplicate_kind"])
        for r in map(orjson.loads, offline.read_bytes().splitlines())
    }
    assert sum(1 for dup, _ in expected.values() if dup) >= 25, "the sample corpus carries its copies"
    deployment = Deployment(broker.url, tmp_path)
    try:
        asyncio.run(deployment.create_topics())
        deployment.start_worker(0)
        deployment.start_worker(1)
        _push(deployment, SAMPLE, rate=25)
        deduped = _records(deployment, deployment.names.tagged, len(expected))
        streamed = {r["id"]: (r["duplicate_of"], r["duplicate_kind"]) for r in deduped}
        assert streamed == expected
        sources = {r["source"] for r in deduped}
        assert len(sources) >= 8  # the copies came from other outlets, i.e. other news.raw partitions
        cleaned = [
            _counter(deployment.web_url(index), 'newsstream_records_total{stage="clean"}') for index in (0, 1)
        ]
        assert all(count > 0 for count in cleaned), f"both workers clean articles: {cleaned}"
        deduped_by = [
            _counter(deployment.web_url(index), 'newsstream_records_total{stage="dedup"}') for index in (0, 1)
        ]
        assert sum(deduped_by) >= len(expected), deduped_by
    finally:
        deployment.stop_all()


def test_story_and_alert_state_survive_a_worker_replaced_by_one_with_empty_local_state(
    broker, tmp_path, seeds_path
):
    lines = [line for line in seeds_path.read_bytes().splitlines() if line.strip()]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(b"\n".join(lines[:3]) + b"\n")  # Kim-Shoigu (March) and two April reports
    second.write_bytes(b"\n".join(lines[3:]) + b"\n")  # the third April report and the December letter
    (tmp_path / "rules.yaml").write_text(RULES)
    deployment = Deployment(
        broker.url, tmp_path, extra_env={"NEWSSTREAM_RULES": str(tmp_path / "rules.yaml")}
    )
    try:
        asyncio.run(deployment.create_topics())
        worker = deployment.start_worker(0)
        _push(deployment, first, rate=4)
        _records(deployment, deployment.names.tagged, 3)
        asyncio.run(asyncio.sleep(1.5))  # let the last commit happen
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        deployment.start_worker(1)  # another data dir: its tables come from the changelog only
        _push(deployment, second, rate=4)
        _records(deployment, deployment.names.tagged, 5)
        events = asyncio.run(deployment.read(deployment.names.stories, timeout=4, done=lambda v: False))
        alerts = asyncio.run(deployment.read(deployment.names.alerts, timeout=3, done=lambda v: False))
    finally:
        deployment.stop_all()
    april = {"678e11cc5c7d2d00", "0b0892e8255b9e3f", "39423b2dfda8c3a7"}
    story_of: dict[str, set[str]] = {}
    for event in events:
        for article_id in event["article_ids"]:
            story_of.setdefault(article_id, set()).add(event["story_id"])
    assert all(len(stories) == 1 for stories in story_of.values()), story_of
    april_story = {next(iter(story_of[i])) for i in april}
    assert len(april_story) == 1, "the report after the restart joined the story made before it"
    grown = [e for e in events if e["story_id"] in april_story and len(e["article_ids"]) == 3]
    assert grown, "the recovered story grew to three articles"
    distinct = {a["id"]: a for a in alerts}
    assert Counter(a["rule"] for a in distinct.values()) == Counter({"nk-russia-watch": 3, "breaking": 1})
    breaking = next(a for a in distinct.values() if a["rule"] == "breaking")
    assert set(breaking["article_ids"]) == april
