"""The wired pipeline on the real local broker: seeds flow to news.tagged, bad input to news.dlq."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from tests.integration.harness import Deployment

pytestmark = pytest.mark.broker


RULES = (Path(__file__).resolve().parents[1] / "fixtures" / "seed_rules.yaml").read_text()


@pytest.fixture(scope="module")
def deployment(broker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("flow")
    (tmp / "rules.yaml").write_text(RULES)
    deployment = Deployment(
        broker.url,
        tmp,
        extra_env={
            "NEWSSTREAM_MAX_BODY_BYTES": "65536",
            "NEWSSTREAM_RULES": str(tmp / "rules.yaml"),
            "NEWSSTREAM_ALERTS_JSONL": str(tmp / "alerts.jsonl"),
        },
    )
    deployment.start_worker()
    yield deployment
    deployment.stop_all()


def test_push_command_sends_seeds_that_arrive_tagged_with_ids_intact(deployment, seeds_path):
    expected = [orjson.loads(line)["id"] for line in seeds_path.read_bytes().splitlines() if line.strip()]
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "push", "--rate", "4", str(seeds_path)],
        env=deployment.env(99),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"sent {len(expected)}" in result.stderr
    import asyncio

    tagged = asyncio.run(deployment.read(deployment.names.tagged, until=len(expected)))
    assert sorted(record["id"] for record in tagged) == sorted(expected)
    for record in tagged:
        assert record["text"] and record["title"]
        assert "entities" in record and "duplicate_of" in record


async def test_push_in_time_order_sends_a_folder_of_crawls_oldest_first(deployment, seeds_path, tmp_path):
    seeds = [orjson.loads(line) for line in seeds_path.read_bytes().splitlines() if line.strip()]
    days = ["2025-04-03", "2025-04-01", "2025-04-05", "2025-04-02", "2025-04-04"]
    records = [
        {**seed, "id": f"order-{day}", "published_at": f"{day}T09:00:00Z"}
        for seed, day in zip(seeds, days, strict=True)
    ]
    (tmp_path / "crawl").mkdir()
    for name, part in (("a.jsonl", records[:3]), ("b.jsonl", records[3:])):
        (tmp_path / "crawl" / name).write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in part))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "push",
            "--in-time-order",
            "--rate",
            "20",
            str(tmp_path / "crawl"),
        ],
        env=deployment.env(98),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

    def ours(values):
        return [value for value in values if str(value.get("id", "")).startswith("order-")]

    raw = await deployment.read(deployment.names.raw, done=lambda values: len(ours(values)) == len(days))
    sent = sorted(ours(raw), key=lambda value: value["metadata"]["pushed_at"])
    assert [value["id"] for value in sent] == [f"order-{day}" for day in sorted(days)]


async def test_each_kind_of_bad_input_is_dead_lettered_while_good_articles_flow(deployment):
    good = [
        orjson.dumps({"id": f"good-{i}", "source": "site-x", "text": f"Body number {i}. " * 20})
        for i in range(3)
    ]
    bad = {
        "invalid_json": b'{"id": "broken", "source": ',
        "schema": orjson.dumps({"id": "no-source", "text": "x", "source": 42}),
        "empty_body": orjson.dumps({"id": "empty", "source": "site-x", "text": "   "}),
        "too_large": orjson.dumps({"id": "huge", "source": "site-x", "text": "x" * 70000}),
        "bad_encoding": b'{"id": "latin1", "source": "site-x", "text": "caf\xe9"}',
        "not_object": b"[1, 2, 3]",
    }
    values = [good[0], *bad.values(), good[1], good[2]]
    await deployment.produce(deployment.names.raw, values, keys=[b"site-x"] * len(values))
    letters = await deployment.read(deployment.names.dlq, until=len(bad))
    assert Counter(letter["reason"] for letter in letters) == Counter(bad.keys())
    by_reason = {letter["reason"]: letter for letter in letters}
    for reason, original in bad.items():
        letter = by_reason[reason]
        assert letter["topic"] == deployment.names.raw and letter["offset"] is not None
        assert letter["message"]
        restored = (
            letter["original"].encode()
            if letter["encoding"] == "utf-8"
            else __import__("base64").b64decode(letter["original"])
        )
        assert restored == original
    wanted = {"good-0", "good-1", "good-2"}
    tagged = await deployment.read(
        deployment.names.tagged, timeout=30, done=lambda values: wanted <= {v["id"] for v in values}
    )
    assert wanted <= {record["id"] for record in tagged}


def _get(url: str, token: str | None = None):
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
        return response.status, response.headers.get("Content-Type", ""), body


def test_web_api_serves_stories_alerts_entities_metrics_and_dashboard(deployment, seeds_path):
    import time

    base = deployment.web_url(0)
    deadline = time.monotonic() + 30
    alerts: list = []
    while time.monotonic() < deadline:
        alerts = orjson.loads(_get(base + "/alerts")[2])
        if any(a["rule"] == "breaking" for a in alerts):
            break
        time.sleep(0.5)
    breaking = [a for a in alerts if a["rule"] == "breaking"]
    if len(breaking) != 1:
        import asyncio

        events = asyncio.run(deployment.read(deployment.names.stories, timeout=3, done=lambda v: False))
        trail = [(e["kind"], e["story_id"], e["article_ids"]) for e in events]
        on_topic = asyncio.run(deployment.read(deployment.names.alerts, timeout=3, done=lambda v: False))
        raise AssertionError(
            f"expected one breaking alert, got {alerts}; on topic {on_topic}; events {trail}"
        )
    assert sorted(breaking[0]["article_ids"]) == sorted(
        ["678e11cc5c7d2d00", "0b0892e8255b9e3f", "39423b2dfda8c3a7"]
    )
    assert len({a["id"] for a in alerts}) == len(alerts)
    # The JSONL sink the user switched on holds the same alerts, each once. Both are written as alerts
    # arrive, so compare them once they agree (later alerts may land in one a moment before the other).
    deadline = time.monotonic() + 15
    while True:
        alerts = orjson.loads(_get(base + "/alerts")[2])
        lines = (deployment.tmp / "alerts.jsonl").read_bytes().splitlines()
        sunk = [orjson.loads(line) for line in lines]
        if sorted(a["id"] for a in sunk) == sorted(a["id"] for a in alerts) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert sorted(a["id"] for a in sunk) == sorted(a["id"] for a in alerts)
    assert len({a["id"] for a in sunk}) == len(sunk)
    assert len(orjson.loads(_get(base + "/alerts?rule=breaking")[2])) == 1
    # The December letter moved event time eight months on: the April story has expired and left the board.
    stories = orjson.loads(_get(base + "/stories")[2])["stories"]
    assert stories, "the board should hold the live stories"
    live = stories[0]
    assert all(breaking[0]["story_id"] != s["story_id"] for s in stories)
    detail = orjson.loads(_get(f"{base}/stories/{live['story_id']}")[2])
    assert detail["timeline"] and detail["sources"] and detail["story_id"] == live["story_id"]
    if live["entities"]:
        entity_id = live["entities"][0]["id"]
        entity = orjson.loads(_get(f"{base}/entities/{entity_id}")[2])
        assert any(s["story_id"] == live["story_id"] for s in entity["stories"])
    status, kind, text = _get(base + "/metrics")
    assert status == 200 and b'newsstream_records_total{stage="clean"}' in text
    assert b"newsstream_consumer_lag{" in text and b'newsstream_table_keys{table="story_clusters"}' in text
    assert b'newsstream_dead_letters_total{reason="invalid_json",stage="clean"} 1.0' in text
    status, kind, page = _get(base + "/")
    assert "text/html" in kind and b"newsstream" in page
    spec = orjson.loads(_get(base + "/openapi.json")[2])
    assert "/stories/{story_id}" in spec["paths"]
    assert orjson.loads(_get(base + "/healthz")[2])["status"] == "ok"


def test_unfused_topology_tags_and_alerts_through_the_separate_hops(broker, tmp_path, seeds_path):
    """NEWSSTREAM_FUSE_STAGES=false: dedup writes news.deduped, tagging and alerting run as their own
    agents, and the seeds give the same verdicts and alerts as the fused default (``process``)."""
    import asyncio

    from streams.cli import main as cli_main

    offline, alerts_path = tmp_path / "offline.jsonl", tmp_path / "offline-alerts.jsonl"
    (tmp_path / "rules.yaml").write_text(RULES)
    env_rules = {"NEWSSTREAM_RULES": str(tmp_path / "rules.yaml")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSSTREAM_RULES", env_rules["NEWSSTREAM_RULES"])
        args = ["process", str(seeds_path), "--output", str(offline), "--alerts", str(alerts_path)]
        assert cli_main(args) == 0
    # Alert ids name the story that first fired, which depends on arrival order across partitions; what
    # must match is which rules fired, and how often.
    expected_alerts = Counter(
        record["rule"] for record in map(orjson.loads, alerts_path.read_bytes().splitlines())
    )
    assert expected_alerts
    deployment = Deployment(broker.url, tmp_path, extra_env={**env_rules, "NEWSSTREAM_FUSE_STAGES": "false"})
    values = [line for line in seeds_path.read_bytes().splitlines() if line.strip()]
    try:
        asyncio.run(deployment.create_topics())
        deployment.start_worker()
        # One at a time: the seeds span nine months, and a story that has expired by the time a report of it
        # arrives out of order cannot be joined (README "Guarantees").
        for value in values:
            asyncio.run(
                deployment.produce(deployment.names.raw, [value], [orjson.loads(value)["source"].encode()])
            )
            time.sleep(0.5)
        deduped = asyncio.run(deployment.read(deployment.names.deduped, until=len(values)))
        tagged = asyncio.run(deployment.read(deployment.names.tagged, until=len(values)))
        alerts = asyncio.run(
            deployment.read(
                deployment.names.alerts,
                timeout=60,
                done=lambda records: len(records) >= sum(expected_alerts.values()),
            )
        )
    finally:
        deployment.stop_all()
    offline_verdicts = {
        r["id"]: r["duplicate_of"] for r in map(orjson.loads, offline.read_bytes().splitlines())
    }
    assert {r["id"]: r["duplicate_of"] for r in deduped} == offline_verdicts
    assert all(record["entities"] for record in tagged)
    assert Counter(r["rule"] for r in alerts) == expected_alerts
    assert len({r["id"] for r in alerts}) == len(alerts)
